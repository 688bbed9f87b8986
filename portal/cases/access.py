"""Access to a case and its children, built on the core policy (portal/access.py): the case with this
reference if the person reaches it, else 404, every read audited. Source: DESIGN.md, Access and safety."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.access import can_reach_case, remember_participant
from portal.cases.conferences import keep_conferences, with_conferences
from portal.cases.models import Case, Child, Participant
from portal.db import db
from portal.roles import Role


def _case_with_participant(user, reference: str):
    """The case with this reference and the user's place in it, read in one statement (the place is then
    remembered for participant_for), with the case's conferences (kept for conferences_of: nearly every case
    page shows one of them). Nothing read is shown before the caller's check."""
    rows = keep_conferences(db.session.execute(with_conferences(
        select(Case, Participant).options(joinedload(Participant.advocate_for))  # whom an advocate speaks for
        .outerjoin(Participant, (Participant.case_id == Case.id) & (Participant.user_id == user.id))
        .where(Case.reference == (reference or "").upper()), user)), user)
    if not rows:
        return None
    case, participant = rows[0]
    remember_participant(user, case.id, participant)
    return case


def get_case_for(user, reference: str):
    """The case with this public reference if the user may reach it, else 404. Every read is audited."""
    case = _case_with_participant(user, reference) if getattr(user, "is_authenticated", False) else None
    if not can_reach_case(user, case):
        audit.record("case.read", actor=user, object_kind="case", object_id=reference[:64] if reference else None,
                     case_id=case.id if case else None, outcome="denied")
        db.session.commit()
        abort(404)
    audit.record_read("case.read", actor=user, object_kind="case", object_id=case.id, case_id=case.id,
                      outcome="success" if user.role != Role.SQA_MANAGER else "sqa_access")
    return case


def get_child_for(case, child_id: int):
    """A child of this (already authorised) case, else 404. What the person may do with them is the
    feature's rule (portal/wishes/services.py)."""
    child = db.session.get(Child, child_id)
    if child is None or child.case_id != case.id:
        abort(404)
    return child
