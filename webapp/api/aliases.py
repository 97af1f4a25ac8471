"""Where the seeds name one capability twice, one canonical path serves and the others are
aliases, declared here and nowhere else. Each alias answers exactly like its canonical path."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint

from webapp.api.framework import OPERATIONS

# (method, alias path) -> canonical path
ALIASES: dict[tuple[str, str], str] = {
    ("POST", "/auth/signup"): "/auth/register",                    # seed 002
    ("POST", "/auth/forgot-password"): "/password-reset/request",  # seed 002 / seed 000
    ("POST", "/auth/reset-password"): "/password-reset/confirm",   # seed 002 / seed 000
    ("GET", "/users/profile"): "/users/me",                        # seed 000 / seeds 001, 002
    ("PUT", "/users/profile"): "/users/me",                        # seed 000 / seed 001
    ("DELETE", "/users/account"): "/users/me",                     # seed 000 / seed 002
    ("GET", "/talents"): "/skills",                                # seed 003 / seed 001
    ("GET", "/talents/<int:skill_id>"): "/skills/<int:skill_id>",  # seed 003 / seed 001
    # Conversations: seed 002's /conversations is canonical; seed 000 says /chat/..., seed 001 /messaging/...
    ("GET", "/chat/conversations"): "/conversations",
    ("POST", "/chat/conversations"): "/conversations",
    ("GET", "/chat/conversations/<int:conversation_id>/messages"): "/conversations/<int:conversation_id>/messages",
    ("POST", "/chat/conversations/<int:conversation_id>/messages"): "/conversations/<int:conversation_id>/messages",
    ("GET", "/messaging/conversations"): "/conversations",
    ("POST", "/messaging/conversations"): "/conversations",
    ("POST", "/messaging/conversations/search"): "/conversations/search",
    ("GET", "/messaging/conversations/<int:conversation_id>"): "/conversations/<int:conversation_id>",
    ("GET", "/messaging/conversations/<int:conversation_id>/messages"): "/conversations/<int:conversation_id>/messages",
    ("POST", "/messaging/conversations/<int:conversation_id>/messages"): "/conversations/<int:conversation_id>/messages",
    ("PUT", "/messaging/messages/<int:message_id>/read"): "/messages/<int:message_id>/read",
    ("POST", "/search/candidates"): "/candidates/search",          # seed 001, twice
}


def register_aliases(bp: Blueprint) -> None:
    for (method, alias), canonical in ALIASES.items():
        operation = next(
            (op for op in OPERATIONS if op.rule == canonical and op.method == method and not op.alias_of), None
        )
        if operation is None:
            raise RuntimeError(f"alias {method} {alias} points to unknown {method} {canonical}")
        endpoint = f"alias_{operation.endpoint}_{alias.strip('/').replace('/', '_').replace('-', '_')}"
        bp.add_url_rule(alias, endpoint=endpoint, view_func=operation.view, methods=[method], strict_slashes=False)
        OPERATIONS.append(replace(operation, rule=alias, endpoint=endpoint, alias_of=canonical))
