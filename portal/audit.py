"""Append-only audit events: who did what to which object, when, from where.

Never holds the content itself. The application never updates or deletes an event,
and the database refuses to (triggers created by the migration, on SQLite and PostgreSQL).
Source: DESIGN.md, Access and safety; issue "Accounts, roles, invitations and the access policy".
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Optional

from flask import Flask, Response, has_request_context, request
from sqlalchemy import DateTime, Index, String, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, db, utcnow
from portal.request_memo import remembered


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
    audit_event = _event(action, actor, object_kind, object_id, case_id, outcome)
    db.session.add(audit_event)
    return audit_event


def record_read(
    action: str,
    *,
    actor,
    object_kind: str,
    object_id: object,
    case_id: int | None = None,
    outcome: str = "success",
) -> AuditEvent:
    """Audit a read that changes nothing. In a request it is kept until the response is ready (or this
    request's next commit) and then written with the request's other events in one INSERT, so a page that
    shows a case, its conference and its plan costs one statement for its audit, not three. If it cannot be
    written, the page is not sent (init_app). Outside a request it is written at once."""
    audit_event = _event(action, actor, object_kind, object_id, case_id, outcome)
    if not has_request_context():
        db.session.add(audit_event)
        db.session.commit()
    else:
        request.__dict__.setdefault(_PENDING, []).append(audit_event)
    return audit_event


# The actions has_done is asked about ("has the family read their conference page yet?"): all of a person's are
# read in one statement, kept for the request, however many tasks on a page ask.
DONE_ACTIONS = ("conference.read", "wishes.read")


def has_done(actor, action: str, object_id: object, object_kind: str | None = None) -> bool:
    """True when this person has done this to this object (an action of DONE_ACTIONS): in an earlier request,
    or in this one."""
    if action not in DONE_ACTIONS:
        raise ValueError(f"has_done is not kept for {action!r}: add it to DONE_ACTIONS")
    object_id = str(object_id)
    for pending in request.__dict__.get(_PENDING, ()) if has_request_context() else ():
        if (pending.actor_id, pending.action, pending.object_id) == (actor.id, action, object_id) and (
                object_kind is None or pending.object_kind == object_kind):
            return True
    return any(kind == object_kind or object_kind is None
               for kind in _done_by(actor.id).get((action, object_id), ()))


def _done_by(actor_id: int) -> dict[tuple[str, str], frozenset]:
    """{(action, object id): the object kinds} of everything this person has done of DONE_ACTIONS."""
    def read():
        done: dict[tuple[str, str], set] = {}
        for action, object_id, kind in db.session.execute(
                select(AuditEvent.action, AuditEvent.object_id, AuditEvent.object_kind).distinct()
                .where(AuditEvent.actor_id == actor_id, AuditEvent.action.in_(DONE_ACTIONS))):
            done.setdefault((action, object_id), set()).add(kind)
        return {key: frozenset(kinds) for key, kinds in done.items()}

    return remembered("audit_done_by", actor_id, read, depends_on=(AuditEvent,))


def _event(action, actor, object_kind, object_id, case_id, outcome) -> AuditEvent:
    return AuditEvent(
        occurred_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", None),
        action=action,
        object_kind=object_kind,
        object_id=None if object_id is None else str(object_id),
        case_id=case_id,
        ip=request.remote_addr if has_request_context() else None,
        outcome=outcome,
    )


_PENDING = "portal_audit_pending_reads"
log = logging.getLogger(__name__)


@event.listens_for(Session, "before_commit")
def _write_pending_reads(session) -> None:
    """A commit in the request takes the reads recorded so far with it, in one INSERT (the rows' ids are not
    needed, so the ORM's one statement per row, to read each id back, is avoided)."""
    if has_request_context() and request.__dict__.get(_PENDING):
        _write(session, request.__dict__.pop(_PENDING))


_COLUMNS = ("occurred_at", "actor_id", "actor_role", "action", "object_kind", "object_id", "case_id", "ip", "outcome")


def _write(session, events: list[AuditEvent]) -> None:
    session.execute(insert(AuditEvent.__table__), [{name: getattr(e, name) for name in _COLUMNS} for e in events])


def init_app(app: Flask) -> None:
    """Write the request's pending reads before its response leaves, and nothing else: whatever the request
    changed and did not commit itself is dropped first, as it would be at the end of the request. A page whose
    reads cannot be written becomes an error page: nobody reads a case without it being recorded."""

    @app.after_request
    def write_pending_reads(response: Response) -> Response:
        pending = request.__dict__.pop(_PENDING, None)
        if not pending:
            return response
        db.session.rollback()
        if response.status_code < 500:
            _write(db.session, pending)
            db.session.commit()  # an error here is raised: the error page is sent instead of this one
            return response
        # The request already failed, but what was read (and perhaps sent) is recorded.
        try:
            _write(db.session, pending)
            db.session.commit()
        except Exception:  # noqa: BLE001 - the error page is already on its way; say so in the log
            log.exception("could not write %d audit events of a failed request", len(pending))
            db.session.rollback()
        return response
