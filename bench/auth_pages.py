"""Issue 2's speed: the sign-in page and GET /api/v1/auth/me against "hello", in one run.

The sign-in page is loaded as a first visit (no cookie: a new session and CSRF token each
time, as a visitor arriving from a link gets). /auth/me carries a Bearer access token.
"""

from __future__ import annotations

from bench.harness import Target

DESCRIPTION = "sign-in page and GET /api/v1/auth/me (Bearer) vs hello; goal: sign-in page >= 40% of hello"
SIGN_IN_GOAL = 0.40


def main(ctx) -> dict:
    app = ctx.app_server()
    email, password = ctx.account("talent")
    token = ctx.bearer_token(app, email, password)
    figures = ctx.compare([
        Target("sign-in page GET /auth/login", app.url("/auth/login")),
        Target("GET /api/v1/auth/me (Bearer)", app.url("/api/v1/auth/me"), headers={"Authorization": f"Bearer {token}"}),
    ], title="Sign-in page and /api/v1/auth/me")
    ratio = figures["sign-in page GET /auth/login"]["rps_ratio"]
    ctx.goal(f"sign-in page at least {SIGN_IN_GOAL:.0%} of hello's requests per second", ratio >= SIGN_IN_GOAL,
             f"{ratio:.0%}")
    return figures
