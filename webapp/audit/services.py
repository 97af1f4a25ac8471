"""Writing and reading the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import has_request_context, request
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

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


@dataclass(frozen=True)
class AuditFilters:
    """What the audit log page and API filter by; empty means any."""

    actor: str = ""  # part of the actor's email or name, or their id
    action: str = ""  # an action ("user.suspended") or its family ("export")
    target: str = ""  # "user 12", "user:12", "user" or "12"
    start: date | None = None
    end: date | None = None

    def as_args(self) -> dict:
        args = {"actor": self.actor, "action": self.action, "target": self.target,
                "from": self.start.isoformat() if self.start else "", "to": self.end.isoformat() if self.end else ""}
        return {key: value for key, value in args.items() if value}


def filters_from(args) -> AuditFilters:
    from webapp.core.dates import day_range

    start, end = day_range(args)
    return AuditFilters(actor=(args.get("actor") or "").strip()[:120], action=(args.get("action") or "").strip()[:64],
                        target=(args.get("target") or "").strip()[:80], start=start, end=end)


def _target_condition(text: str):
    kind, _sep, ident = text.replace(":", " ").replace("#", " ").partition(" ")
    kind, ident = kind.strip().lower(), ident.strip()
    if not ident and kind.isdigit():
        return AuditEvent.target_id == kind
    condition = AuditEvent.target_type == kind
    return and_(condition, AuditEvent.target_id == ident) if ident else condition


def events_page(filters: AuditFilters, page: int, per_page: int):
    """The audit log, newest first, narrowed by `filters`."""
    from webapp.accounts.models import User
    from webapp.core.dates import day_bounds
    from webapp.core.pagination import paginate

    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor))
    if filters.actor:
        if filters.actor.isdigit():
            stmt = stmt.where(AuditEvent.actor_id == int(filters.actor))
        else:
            like = f"%{filters.actor.lower()}%"
            people = select(User.id).where(func.lower(User.email).like(like) | func.lower(User.full_name).like(like))
            stmt = stmt.where(AuditEvent.actor_id.in_(people))
    if filters.action:
        stmt = stmt.where(or_(AuditEvent.action == filters.action, AuditEvent.action.like(f"{filters.action}.%")))
    if filters.target:
        stmt = stmt.where(_target_condition(filters.target))
    low, high = day_bounds(filters.start, filters.end)
    if low is not None:
        stmt = stmt.where(AuditEvent.created_at >= low)
    if high is not None:
        stmt = stmt.where(AuditEvent.created_at < high)
    return paginate(stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()), page, per_page)


def known_actions() -> list[str]:
    """The actions the log holds, for the filter's choices."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
