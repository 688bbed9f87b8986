"""Retention and legal hold: how long each kind of record is kept, and what is never deleted.

Source: UK GDPR Article 5(1)(e) (storage limitation: personal data kept no longer than needed for the
purpose) and the council's records retention schedule for children's social care. The portal is not
the council's record of a child: the case management system keeps the child's file for as long as
the schedule says. The portal's copy of a case (its children, people, conferences, reports, wishes
and feelings, plans, support requests and feedback) is needed while the family takes part in
conferences, then for the complaints and appeal period that follows. Each period is a setting
(config.py, RETENTION_*), so the council's information governance team can change it.

| record | kept until | setting |
| --- | --- | --- |
| a case and everything under it | RETENTION_YEARS_CASE (6) years after the case closed | RETENTION_YEARS_CASE |
| a draft never sent, or the stamp of a sent one | RETENTION_DAYS_DRAFT (30) days after it was last saved or sent | RETENTION_DAYS_DRAFT |
| the record that a text or email was sent | RETENTION_DAYS_SENT_NOTIFICATION (365) days after it was sent | RETENTION_DAYS_SENT_NOTIFICATION |
| an invitation or password reset link | RETENTION_DAYS_TOKEN (90) days after it expired | RETENTION_DAYS_TOKEN |
| an audit event | never deleted here | - |

Audit events are append-only: the database refuses to update or delete one (triggers of the
migration). They hold ids, never content, and are the proof of who saw a child's records, which
the council keeps as long as the case file itself; so this module never purges them. A purge
writes audit events of its own: one per purged case (with the case's id only) and one per run
with the counts.

A case is closed (`closed_at`) when nothing more is to happen on it in the portal:
- it has no conference still to come (a scheduled one in the future keeps it open); and
- either its latest conference that was not cancelled decided that no plan is needed, or it never
  had one (every conference cancelled, or none scheduled), or it has had a plan but no conference
  for RETENTION_DORMANT_YEARS (2) years (a plan is reviewed at least every 6 months, so the plan
  ended outside the portal).
It closed at its last activity: the start of its latest conference, or its creation.

Legal hold: a case under hold (a `LegalHold` row not released) is never purged, whatever its age,
nor anything under it: for litigation, a complaint, a subject access request or an inquiry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Optional

from flask import current_app
from sqlalchemy import DateTime, ForeignKey, String, and_, delete, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from portal import audit
from portal.db import Base, db, utcnow
from portal.cases.models import Case, Conference
from portal.cases.conferences import Decision, Status
from portal.auth.models import Invitation, PasswordReset
from portal.drafts import Draft
from portal.notify.models import SentNotification


class LegalHold(Base):
    """A case that must not be deleted, and why. Released holds stay as history."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    released_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


@dataclass
class PurgeReport:
    """What a purge deleted (or, in a dry run, would delete): numbers only, never content."""

    dry_run: bool
    cases: int = 0
    case_rows: dict[str, int] = field(default_factory=dict)  # rows under the purged cases, by table
    drafts: int = 0
    sent_notifications: int = 0
    tokens: int = 0
    held_cases_kept: int = 0

    @property
    def summary(self) -> str:
        """The counts in at most 64 characters, for the audit event of the run."""
        rows = sum(self.case_rows.values())
        return f"c={self.cases};r={rows};d={self.drafts};n={self.sent_notifications};t={self.tokens}"[:64]


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive UTC times back; PostgreSQL aware ones."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _years(n: int) -> timedelta:
    return timedelta(days=365 * n + n // 4)


def settings() -> dict[str, int]:
    """The retention periods in force (config.py, RETENTION_*)."""
    config = current_app.config
    return {name: int(config[name]) for name in (
        "RETENTION_YEARS_CASE", "RETENTION_DORMANT_YEARS", "RETENTION_DAYS_DRAFT",
        "RETENTION_DAYS_SENT_NOTIFICATION", "RETENTION_DAYS_TOKEN")}


# --- legal hold ---------------------------------------------------------------------------------

def _case_by_reference(reference: str):
    return db.session.scalar(select(Case).where(Case.reference == (reference or "").strip().upper()))


def held_case_ids() -> set[int]:
    """Every case under a legal hold not released."""
    return set(db.session.scalars(select(LegalHold.case_id).where(LegalHold.released_at.is_(None))))


def is_held(case_id: int) -> bool:
    """True when the case is under a legal hold."""
    return db.session.scalar(select(LegalHold.id).where(LegalHold.case_id == case_id, LegalHold.released_at.is_(None))
                             .limit(1)) is not None


def place_hold(reference: str, reason: str, *, now: datetime | None = None) -> LegalHold:
    """Put a case under legal hold (audited). A case already held keeps its first hold. LookupError: no such case."""
    case = _case_by_reference(reference)
    if case is None:
        raise LookupError(reference)
    hold = db.session.scalar(select(LegalHold).where(LegalHold.case_id == case.id, LegalHold.released_at.is_(None)))
    if hold is None:
        hold = LegalHold(case_id=case.id, reason=reason.strip()[:500], placed_at=now or utcnow())
        db.session.add(hold)
        db.session.flush()
        audit.record("retention.hold", object_kind="legal_hold", object_id=hold.id, case_id=case.id)
    db.session.commit()
    return hold


def release_hold(reference: str, *, now: datetime | None = None) -> int:
    """Release every legal hold of a case (audited); returns how many. LookupError: no such case."""
    case = _case_by_reference(reference)
    if case is None:
        raise LookupError(reference)
    holds = list(db.session.scalars(select(LegalHold).where(LegalHold.case_id == case.id, LegalHold.released_at.is_(None))))
    for hold in holds:
        hold.released_at = now or utcnow()
        audit.record("retention.release", object_kind="legal_hold", object_id=hold.id, case_id=case.id)
    db.session.commit()
    return len(holds)


# --- which cases are closed ------------------------------------------------------------------

def closed_at(case, conferences, now: datetime, dormant_years: int) -> datetime | None:
    """When the case closed (see the module's docstring), or None while it is open."""
    starts = [_aware(c.starts_at) for c in conferences]
    if any(start > now and c.status == Status.SCHEDULED for start, c in zip(starts, conferences)):
        return None
    last_activity = max([_aware(case.created_at), *starts])
    held = [c for c in conferences if c.status != Status.CANCELLED]
    latest = max(held, key=lambda c: _aware(c.starts_at), default=None)
    if latest is None or latest.decision == Decision.NO_PLAN:
        return last_activity
    if now - last_activity >= _years(dormant_years):
        return last_activity
    return None


def expired_case_ids(now: datetime, case_years: int, dormant_years: int) -> tuple[list[int], int]:
    """Cases closed more than `case_years` ago, and how many such cases a legal hold keeps."""
    cutoff = now - _years(case_years)
    # A case closes at its last activity, never before it was created: younger cases need no look.
    candidates = list(db.session.scalars(select(Case).where(Case.created_at < cutoff).order_by(Case.id)))
    if not candidates:
        return [], 0
    by_case: dict[int, list] = {case.id: [] for case in candidates}
    for conference in db.session.scalars(select(Conference).where(Conference.case_id.in_(list(by_case)))):
        by_case[conference.case_id].append(conference)
    held = held_case_ids()
    expired, kept = [], 0
    for case in candidates:
        closed = closed_at(case, by_case[case.id], now, dormant_years)
        if closed is None or closed >= cutoff:
            continue
        if case.id in held:
            kept += 1
        else:
            expired.append(case.id)
    return expired, kept


# --- deleting a case and everything under it -------------------------------------------------

def rows_under_case(case_id: int) -> dict:
    """Every row that depends (through foreign keys, at any depth) on the case, by table, the case included.

    Walks the tables the models declare, parents before children, so a feature that adds a table
    under a case is purged with it without a change here. Audit events name a case without a foreign
    key, so they stay."""
    tables = Base.metadata.sorted_tables
    doomed: dict = {table: set() for table in tables}
    cases = Base.metadata.tables["cases"]
    doomed[cases] = {case_id}
    changed = True
    while changed:  # again until nothing new: tables that point at themselves (a reply to a comment)
        changed = False
        for table in tables:
            pk = list(table.primary_key.columns)
            if len(pk) != 1:
                continue
            conditions = [fk.parent.in_(list(doomed[fk.column.table]))
                          for fk in table.foreign_keys if doomed.get(fk.column.table)]
            if not conditions:
                continue
            found = set(db.session.scalars(select(pk[0]).where(or_(*conditions))))
            if not found <= doomed[table]:
                doomed[table] |= found
                changed = True
    return {table: ids for table, ids in doomed.items() if ids}


def _delete_case(case_id: int) -> dict[str, int]:
    """Delete the case and its dependents, children before parents (foreign-key safe on SQLite and
    PostgreSQL); returns the rows deleted by table."""
    doomed = rows_under_case(case_id)
    counts: dict[str, int] = {}
    for table in reversed(Base.metadata.sorted_tables):
        ids = doomed.get(table)
        if not ids:
            continue
        pk = list(table.primary_key.columns)[0]
        for column in (fk.parent for fk in table.foreign_keys if fk.column.table is table):
            # A row pointing at another row of the same table (a reply): unlink first, then one delete.
            db.session.execute(table.update().where(pk.in_(list(ids))).values({column.name: None}))
        db.session.execute(delete(table).where(pk.in_(list(ids))))
        counts[table.name] = len(ids)
    return counts


# --- the purge -----------------------------------------------------------------------------------

def purge(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete every record past its retention period (see the module's docstring), except a case under
    legal hold and anything under it. A dry run counts and deletes nothing. Each purged case, and the
    run, is audited with ids and counts only."""
    now = now or utcnow()
    periods = settings()
    report = PurgeReport(dry_run=dry_run)

    case_ids, report.held_cases_kept = expired_case_ids(now, periods["RETENTION_YEARS_CASE"], periods["RETENTION_DORMANT_YEARS"])
    report.cases = len(case_ids)
    for case_id in case_ids:
        if dry_run:
            counts = {table.name: len(ids) for table, ids in rows_under_case(case_id).items()}
        else:
            counts = _delete_case(case_id)
            audit.record("retention.case_purged", object_kind="case", object_id=case_id, case_id=case_id)
            db.session.commit()  # one case at a time: a failure leaves whole cases, never half of one
        for name, n in counts.items():
            report.case_rows[name] = report.case_rows.get(name, 0) + n

    draft_cutoff = now - timedelta(days=periods["RETENTION_DAYS_DRAFT"])
    notification_cutoff = now - timedelta(days=periods["RETENTION_DAYS_SENT_NOTIFICATION"])
    token_cutoff = now - timedelta(days=periods["RETENTION_DAYS_TOKEN"])
    simple = (
        ("drafts", Draft, and_(Draft.saved_at < draft_cutoff, or_(Draft.sent_at.is_(None), Draft.sent_at < draft_cutoff))),
        ("sent_notifications", SentNotification, SentNotification.created_at < notification_cutoff),
        ("tokens", Invitation, Invitation.expires_at < token_cutoff),
        ("tokens", PasswordReset, PasswordReset.expires_at < token_cutoff),
    )
    for name, model, condition in simple:
        ids = list(db.session.scalars(select(model.id).where(condition)))
        if ids and not dry_run:
            db.session.execute(delete(model).where(model.id.in_(ids)))
        setattr(report, name, getattr(report, name) + len(ids))

    if not dry_run:
        audit.record("retention.purge", object_kind="retention_run", object_id=report.summary)
        db.session.commit()
    else:
        db.session.rollback()
    return report
