"""Writing and reading the audit log."""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import select

from webapp.audit.models import AuditEvent
from webapp.extensions import db


def record(action: str, actor=None, target=None, **details) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=str(target.id) if getattr(target, "id", None) is not None else None,
        ip_address=request.remote_addr if has_request_context() else None,
        details=details,
    )
    db.session.add(event)
    return event


def events_by(actor_id: int) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.actor_id == actor_id).order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))
