"""Append-only audit events: who did what to which object, when, from where.

Never holds the content itself. The application never updates or deletes an event,
and the database refuses to (triggers created by the migration, on SQLite and PostgreSQL).
Source: DESIGN.md, Access and safety; issue "Accounts, roles, invitations and the access policy".
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask import has_request_context, request
from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, db, utcnow


class AuditEvent(Base):
    """One thing that happened. Holds ids, never content."""

    __tablename__ = "audit_events"
    # "Has this person opened it?" (a task done once the family has read the conference page) without reading every event.
    __table_args__ = (Index("ix_audit_events_actor_action_object", "actor_id", "action", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column()
    actor_role: Mapped[Optional[str]] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    object_kind: Mapped[Optional[str]] = mapped_column(String(40))
    object_id: Mapped[Optional[str]] = mapped_column(String(64))
    case_id: Mapped[Optional[int]] = mapped_column(index=True)
    ip: Mapped[Optional[str]] = mapped_column(String(45))
    outcome: Mapped[str] = mapped_column(String(20), default="success")


def record(
    action: str,
    *,
    actor=None,
    object_kind: str | None = None,
    object_id: object | None = None,
    case_id: int | None = None,
    outcome: str = "success",
) -> AuditEvent:
    """Add an audit event to the current transaction (committed with the change it describes)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", None),
        action=action,
        object_kind=object_kind,
        object_id=None if object_id is None else str(object_id),
        case_id=case_id,
        ip=request.remote_addr if has_request_context() else None,
        outcome=outcome,
    )
    db.session.add(event)
    return event
