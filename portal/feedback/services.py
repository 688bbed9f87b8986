"""Feedback after a conference: one answer per person per conference, on one scale for everyone.

Source: practice guide, "What happens after the conference?" ("parents, children and professionals will
all be asked to complete a short feedback form"; "The conference chair will review the feedback and
tailor the review conference to ensure the needs identified are met"); issue "Young people" (the
child-friendly version, counted with everyone's results); issue "After the conference" (one answer per
person per conference; a parent may keep their name from the chair).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.access import participant_for
from portal.cases.conferences import Status
from portal.cases.models import Case, Conference
from portal.db import db
from portal.feedback.models import Feedback, ReviewChange
from portal.roles import Role
from portal.timeline import london_date

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


# --- who gives feedback, and who reads it --------------------------------------------------------

# The adults' form: parents and carers, and the professionals who took part (an advocate counts as one).
RESPONDENT_OF_ROLE = {Role.PARENT.value: "parent", Role.CARER.value: "parent", Role.SOCIAL_WORKER.value: "professional",
                      Role.PROFESSIONAL.value: "professional", Role.ADVOCATE.value: "professional"}
RESPONDENTS = ("parent", "young_person", "professional")
# Only a parent or carer may keep their name from the chair (issue "After the conference").
MAY_BE_ANONYMOUS = ("parent",)


def respondent_for(user, conference: Conference) -> str | None:
    """Which form this person answers about a held conference (parent or professional), or None."""
    if conference.status != Status.HELD:
        return None
    participant = participant_for(user, conference.case_id)
    return RESPONDENT_OF_ROLE.get(participant.role) if participant is not None else None


def may_review(user, conference: Conference) -> bool:
    """The conference's chair reviews its feedback; the SQA manager sees everyone's."""
    return conference.status == Status.HELD and (user.role == Role.SQA_MANAGER or conference.chair_id == user.id)


def for_conference(conference: Conference) -> list[Feedback]:
    """Every answer about one conference: parents first, then young people, then professionals."""
    rows = list(db.session.scalars(select(Feedback).options(joinedload(Feedback.user))
                                   .where(Feedback.conference_id == conference.id).order_by(Feedback.id)))
    return sorted(rows, key=lambda row: RESPONDENTS.index(row.respondent) if row.respondent in RESPONDENTS else 9)


def shown_name(row: Feedback) -> str | None:
    """The name the chair and the SQA manager see, or None when the parent chose to keep it from them."""
    return None if row.anonymous else row.user.name


# --- the chair's feedback review across conferences ---------------------------------------------

@dataclass(frozen=True)
class MonthCounts:
    """One month of one question: how many answered yes, partly and no."""

    month: date
    yes: int
    partly: int
    no: int

    @property
    def total(self) -> int:
        return self.yes + self.partly + self.no

    def percent(self, value: int) -> int:
        return round(100 * value / self.total) if self.total else 0


def _scope(user, respondent: str | None):
    """The feedback a person may review: the chair's own conferences; the SQA manager, all of them."""
    query = select(Feedback, Conference.starts_at, Conference.kind, Case.reference) \
        .join(Conference, Feedback.conference_id == Conference.id).join(Case, Conference.case_id == Case.id)
    if user.role != Role.SQA_MANAGER:
        query = query.where(Conference.chair_id == user.id)
    if respondent in RESPONDENTS:
        query = query.where(Feedback.respondent == respondent)
    return query


def over_time(user, respondent: str | None = None, months: int = 12) -> dict[str, list[MonthCounts]]:
    """For each question, month by month (of the conference date, in London), the last `months` months
    that had answers: what people would rather look at than read, with the numbers beside it."""
    counts: dict[str, dict[date, list[int]]] = {q: {} for q in QUESTIONS}
    for row, starts_at, _kind, _reference in db.session.execute(_scope(user, respondent)):
        day = london_date(starts_at)
        month = date(day.year, day.month, 1)
        for q in QUESTIONS:
            value = getattr(row, q)
            if value in (YES, PARTLY, NO):
                counts[q].setdefault(month, [0, 0, 0])[(YES, PARTLY, NO).index(value)] += 1
    return {q: [MonthCounts(m, *counts[q][m]) for m in sorted(counts[q])[-months:]] for q in QUESTIONS}


ANSWER_WORDS = {YES: "yes", PARTLY: "partly", NO: "no"}


def export_rows(user, respondent: str | None = None) -> list[list[str]]:
    """The answers as rows for a spreadsheet. A parent who kept their name from the chair has none here either."""
    rows = [["case", "conference_date", "conference_kind", "respondent", "name", *QUESTIONS, "do_better", "given_on"]]
    query = _scope(user, respondent).order_by(Conference.starts_at, Feedback.id)
    for row, starts_at, kind, reference in db.session.execute(query.options(joinedload(Feedback.user))):
        rows.append([reference, london_date(starts_at).isoformat(), kind,
                     row.respondent, "" if row.anonymous else row.user.name,
                     *[ANSWER_WORDS.get(getattr(row, q), "") for q in QUESTIONS], row.do_better or "",
                     london_date(row.created_at).isoformat()])
    return [[_spreadsheet_safe(cell) for cell in line] for line in rows]


def _spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP: CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- what the chair changes for the review conference ------------------------------------------

def changes_for(conference: Conference) -> list[ReviewChange]:
    return list(db.session.scalars(select(ReviewChange).where(ReviewChange.conference_id == conference.id)
                                   .order_by(ReviewChange.id)))


def add_change(conference: Conference, by, text: str) -> ReviewChange:
    """The chair records one thing to change for the review conference because of the feedback."""
    change = ReviewChange(case_id=conference.case_id, conference_id=conference.id, text=text.strip(), created_by_id=by.id)
    db.session.add(change)
    db.session.flush()
    audit.record("feedback.change_add", actor=by, object_kind="review_change", object_id=change.id, case_id=conference.case_id)
    db.session.commit()
    return change


def remove_change(change: ReviewChange, by) -> None:
    audit.record("feedback.change_remove", actor=by, object_kind="review_change", object_id=change.id, case_id=change.case_id)
    db.session.delete(change)
    db.session.commit()


def changes_before(conference: Conference) -> list[ReviewChange]:
    """What the chair changed for this conference because of feedback on the one held before it (the
    review conference's preparation page, and the family's page of it)."""
    previous = db.session.scalar(select(Conference.id).where(Conference.case_id == conference.case_id,
                                                             Conference.status == Status.HELD,
                                                             Conference.starts_at < conference.starts_at)
                                 .order_by(Conference.starts_at.desc()).limit(1))
    if previous is None or conference.status == Status.CANCELLED:
        return []
    return list(db.session.scalars(select(ReviewChange).where(ReviewChange.conference_id == previous).order_by(ReviewChange.id)))


def reviewable_conferences(user, limit: int = 50) -> list[tuple[Conference, str, int]]:
    """The held conferences whose feedback this person reviews, newest first, with their case reference and
    how many answers each has (one query)."""
    from sqlalchemy import func

    answers = select(Feedback.conference_id, func.count(Feedback.id).label("answers")).group_by(Feedback.conference_id).subquery()
    query = select(Conference, Case.reference, func.coalesce(answers.c.answers, 0)) \
        .join(Case, Conference.case_id == Case.id).outerjoin(answers, answers.c.conference_id == Conference.id) \
        .where(Conference.status == Status.HELD)
    if user.role != Role.SQA_MANAGER:
        query = query.where(Conference.chair_id == user.id)
    return [tuple(row) for row in db.session.execute(query.order_by(Conference.starts_at.desc()).limit(limit))]
