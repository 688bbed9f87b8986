"""Who opened or changed a child's records: the audit events of the child's case, in plain words.

Source: DESIGN.md, Access and safety ("the SQA manager sees all (audited)"; "every read of a report,
wishes and feelings, or plan writes an audit event"); issue 11, item 8 (audit trail for people).
An audit event holds ids, never content, so this page shows no content either: who (their name and
role at the time), what (the kind of action), when, and from which address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l, lazy_pgettext
from sqlalchemy import select

from portal import audit
from portal.audit import AuditEvent
from portal.db import db
from portal.roles import Role
from portal.auth.models import User

PER_PAGE = 50

ROLE_LABELS = {
    Role.PARENT: _l("Parent"),
    Role.CARER: _l("Carer"),
    Role.YOUNG_PERSON: _l("Young person"),
    Role.ADVOCATE: _l("Advocate"),
    Role.SOCIAL_WORKER: _l("Social worker"),
    Role.PROFESSIONAL: _l("Professional"),
    Role.CHAIR: _l("Conference chair"),
    Role.SQA_MANAGER: _l("Safeguarding and quality assurance manager"),
    Role.ADMIN: _l("Administrator"),
}

# What an action was, in plain words: first the exact action, then its feature (the part before the first dot).
ACTION_LABELS = {
    "case.read": _l("Opened the case"),
    "conference.read": _l("Opened a conference"),
    "report.read": _l("Read a report"),
    "wishes.read": _l("Read wishes and feelings"),
    # i18n: a line of the access log: this person read the plan (past tense, not "go and read it")
    "plan.read": lazy_pgettext("access log", "Read the plan"),
    "support.read": _l("Opened a request for support"),
    "feedback.read": _l("Read feedback"),
    "access_log.read": _l("Looked at this access log"),
    "retention.hold": _l("Put the case under legal hold"),
    "retention.release": _l("Released the legal hold"),
}
FEATURE_LABELS = {
    "report": _l("Wrote or changed a report"),
    "wishes": _l("Wrote or changed wishes and feelings"),
    "plan": _l("Changed the plan"),
    "support": _l("Asked for or arranged support"),
    "conference": _l("Arranged or recorded a conference"),
    "child_advocacy": _l("Arranged advocacy for a child"),
    "case": _l("Changed who takes part in the case"),
    "child": _l("Changed who takes part in the case"),
    "participant": _l("Changed who takes part in the case"),
    "invitation": _l("Changed who takes part in the case"),
    "feedback": _l("Gave or reviewed feedback"),
}
OTHER_ACTION = _l("Another action")


@dataclass(frozen=True)
class Entry:
    """One line of the access log: no content, only who, what, when and from where."""

    name: str | None  # None: done by the portal itself (a command run on the server)
    role: str | None
    what: str
    when: datetime
    ip: str | None
    refused: bool


def describe(action: str) -> str:
    """An action in plain words."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return FEATURE_LABELS.get(action.split(".", 1)[0], OTHER_ACTION)


def entries_for(case, page: int) -> tuple[list[Entry], bool]:
    """One page of the case's audit events, newest first, and whether there are older ones (one query)."""
    rows = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.case_id == case.id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE + 1)
        .offset((page - 1) * PER_PAGE)
    ).all()
    entries = [
        Entry(name=name, role=ROLE_LABELS.get(event.actor_role) if event.actor_role else None, what=describe(event.action),
              when=event.occurred_at, ip=event.ip, refused=event.outcome == "denied")
        for event, name in rows[:PER_PAGE]
    ]
    return entries, len(rows) > PER_PAGE


def record_view(user, case, child) -> None:
    """Looking at the access log is itself recorded (committed by the caller once the page is made: a commit
    before would load the case, the child and the viewer again)."""
    audit.record("access_log.read", actor=user, object_kind="child", object_id=child.id, case_id=case.id,
                 outcome="sqa_access")
