"""Health of the components the app depends on."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from webapp.core import warmup
from webapp.extensions import db


def health() -> tuple[dict, bool]:
    report: dict[str, str] = {}
    healthy = True
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy, with its reason
        db.session.rollback()
        report["database"] = f"error: {type(exc).__name__}"
        healthy = False
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
            report["redis"] = "ok"
        except Exception as exc:
            report["redis"] = f"error: {type(exc).__name__}"
            healthy = False
    else:
        report["redis"] = "not configured"
    # Still building its in-memory indexes is healthy (the SQL answers meanwhile), but it is
    # said, so that a benchmark or a load balancer can wait for a warmed-up worker.
    building = warmup.in_progress(current_app)
    report["warm_up"] = "building: " + ", ".join(building) if building else "done"
    report["status"] = "ok" if healthy else "degraded"
    return report, healthy
