"""Feedback after a conference: one answer per person per conference, on one scale for everyone.

Source: practice guide ("After the conference parents, children and professionals complete a short
feedback form"); issue "Young people" (the child-friendly version, counted with everyone's results).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.cases.conferences import Status
from portal.cases.models import Conference
from portal.db import db
from portal.feedback.models import Feedback

# The questions every form asks (the child-friendly form in simpler words), and the one scale.
QUESTIONS = ("welcomed", "about_child", "understood_reports", "had_say")
YES, PARTLY, NO = 3, 2, 1


def last_held(case_id: int) -> Conference | None:
    """The case's most recent conference that has been held: the one feedback is about."""
    return db.session.scalar(select(Conference).where(Conference.case_id == case_id, Conference.status == Status.HELD)
                             .order_by(Conference.starts_at.desc()).limit(1))


def feedback_of(conference: Conference, user) -> Feedback | None:
    return db.session.scalar(select(Feedback).where(Feedback.conference_id == conference.id, Feedback.user_id == user.id))


def give(conference: Conference, user, respondent: str, answers: dict[str, int | None], do_better: str | None, *,
         child_friendly: bool = False, anonymous: bool = False) -> bool:
    """Record one person's feedback; a second answer for the same conference (a retry, two tabs) is
    refused by the unique constraint and returns False, leaving the first."""
    if conference.status != Status.HELD or feedback_of(conference, user) is not None:
        return False
    row = Feedback(case_id=conference.case_id, conference_id=conference.id, user_id=user.id, respondent=respondent,
                   child_friendly=child_friendly, anonymous=anonymous, do_better=(do_better or "").strip() or None,
                   **{q: answers.get(q) for q in QUESTIONS})
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    audit.record("feedback.give", actor=user, object_kind="feedback", object_id=row.id, case_id=conference.case_id)
    db.session.commit()
    return True


def results(conference_ids: list[int] | None = None) -> dict[str, dict[int, int]]:
    """For each question, how many answered yes, partly and no: young people's answers counted with everyone's."""
    query = select(Feedback)
    if conference_ids is not None:
        query = query.where(Feedback.conference_id.in_(conference_ids))
    counts = {q: {YES: 0, PARTLY: 0, NO: 0} for q in QUESTIONS}
    for row in db.session.scalars(query):
        for q in QUESTIONS:
            value = getattr(row, q)
            if value in counts[q]:
                counts[q][value] += 1
    return counts
