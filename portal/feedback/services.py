"""Feedback after a conference: one answer per person per conference, on one scale for everyone.

Source: practice guide, "What happens after the conference?" ("parents, children and professionals will
all be asked to complete a short feedback form"; "The conference chair will review the feedback and
tailor the review conference to ensure the needs identified are met"); issue "Young people" (the
child-friendly version, counted with everyone's results); issue "After the conference" (one answer per
person per conference; a parent may keep their name from the chair).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.access import participant_for
from portal.cases.conferences import Status, conference_fact, conference_fact_of, conferences_of, starts_after
from portal.cases.models import Case, Conference
from portal.db import db, rows_as_json, utcnow
from portal.feedback.models import Feedback, ReviewChange
from portal.roles import Role
from portal.timeline import london_date

# The questions every form asks (the child-friendly form in simpler words), and the one scale.
QUESTIONS = ("welcomed", "about_child", "understood_reports", "had_say")
YES, PARTLY, NO = 3, 2, 1


def feedback_of(conference: Conference, user) -> Feedback | None:
    return db.session.scalar(select(Feedback).where(Feedback.conference_id == conference.id, Feedback.user_id == user.id))


def has_answered(conference: Conference, user) -> bool:
    """Whether this person has given their feedback on this conference (read with the conference, where it was)."""
    return conference_fact_of("feedback_answered", conference, user, lambda: feedback_of(conference, user) is not None)


# Read with a person's conferences (cases.conferences.with_conference_facts): no statement of its own.
conference_fact("feedback_answered", lambda user: select(Feedback.id).where(
    Feedback.conference_id == Conference.id, Feedback.user_id == user.id).correlate(Conference).exists(),
    depends_on=(Feedback,), per_person=True)


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
    # An anonymous answer is audited against the conference, so the audit trail never ties the person to the answer.
    audit.record("feedback.give", actor=user, object_kind="conference" if anonymous else "feedback",
                 object_id=conference.id if anonymous else row.id, case_id=conference.case_id)
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


def for_conference(conference: Conference) -> list[tuple[Feedback, str | None]]:
    """Every answer about one conference with the name the chair and the SQA manager see: parents first, then
    young people, then professionals.

    When any parent or carer kept their name from the chair, no parent's or carer's name is shown, and their
    answers are in the order of the answers themselves: a named other parent, or who answered first, would
    otherwise give the anonymous one away (issue "After the conference")."""
    rows = list(db.session.scalars(select(Feedback).options(joinedload(Feedback.user))
                                   .where(Feedback.conference_id == conference.id).order_by(Feedback.id)))
    hide_parents = any(row.anonymous for row in rows if row.respondent in MAY_BE_ANONYMOUS)

    def order(row: Feedback):
        rank = RESPONDENTS.index(row.respondent) if row.respondent in RESPONDENTS else 9
        if hide_parents and row.respondent in MAY_BE_ANONYMOUS:
            return (rank, tuple(getattr(row, q) or 0 for q in QUESTIONS), row.do_better or "")
        return (rank, (), "")

    shown = sorted(rows, key=order)
    return [(row, None if row.anonymous or (hide_parents and row.respondent in MAY_BE_ANONYMOUS) else row.user.name)
            for row in shown]


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
    """For each question, month by month (of the conference date, in London), over the last `months` months
    (the months with answers): what people would rather look at than read, with the numbers beside it."""
    from dateutil.relativedelta import relativedelta

    counts: dict[str, dict[date, list[int]]] = {q: {} for q in QUESTIONS}
    today = london_date(utcnow())
    since = date(today.year, today.month, 1) - relativedelta(months=months - 1)
    in_window = _scope(user, respondent).where(Conference.starts_at >= since - relativedelta(days=1))
    for row, starts_at, _kind, _reference in db.session.execute(in_window):
        day = london_date(starts_at)
        month = date(day.year, day.month, 1)
        if month < since:
            continue
        for q in QUESTIONS:
            value = getattr(row, q)
            if value in (YES, PARTLY, NO):
                counts[q].setdefault(month, [0, 0, 0])[(YES, PARTLY, NO).index(value)] += 1
    return {q: [MonthCounts(m, *counts[q][m]) for m in sorted(counts[q])] for q in QUESTIONS}


ANSWER_WORDS = {YES: "yes", PARTLY: "partly", NO: "no"}


def export_rows(user, respondent: str | None = None) -> list[list[str]]:
    """The answers as rows for a spreadsheet. A parent who kept their name from the chair has none here either,
    nor the day they answered; and no other parent or carer of that conference is named beside them."""
    rows = [["case", "conference_date", "conference_kind", "respondent", "name", *QUESTIONS, "do_better", "given_on"]]
    query = _scope(user, respondent).order_by(Conference.starts_at, Feedback.respondent, Feedback.welcomed, Feedback.about_child,
                                              Feedback.understood_reports, Feedback.had_say)
    found = list(db.session.execute(query.options(joinedload(Feedback.user))))
    hidden = {row.conference_id for row, *_ in found if row.anonymous}
    for row, starts_at, kind, reference in found:
        nameless = row.respondent in MAY_BE_ANONYMOUS and row.conference_id in hidden
        rows.append([reference, london_date(starts_at).isoformat(), kind, row.respondent, "" if nameless else row.user.name,
                     *[ANSWER_WORDS.get(getattr(row, q), "") for q in QUESTIONS], row.do_better or "",
                     "" if nameless else london_date(row.created_at).isoformat()])
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
    previous = _held_before(conference)
    if previous is None:
        return []
    return list(db.session.scalars(select(ReviewChange).where(ReviewChange.conference_id == previous.id)
                                   .order_by(ReviewChange.id)))


def change_texts_before(conference: Conference) -> list[str]:
    """The words of changes_before, oldest first, for the conference page: read with the conferences (the
    review_changes fact below), where they were."""
    previous = _held_before(conference)
    if previous is None:
        return []
    pairs = conference_fact_of("review_changes", previous, None,
                               lambda: [(change.id, change.text) for change in changes_before(conference)])
    return [text for _, text in sorted(pairs)]


def _held_before(conference: Conference) -> Conference | None:
    """The conference held before this one, unless this one was cancelled."""
    if conference.status == Status.CANCELLED:
        return None
    return next((c for c in reversed(conferences_of(conference.case_id))
                 if c.status == Status.HELD and starts_after(conference, c)), None)


def _review_changes_column(user):  # noqa: ARG001
    return (select(rows_as_json(ReviewChange.id, ReviewChange.text)).where(ReviewChange.conference_id == Conference.id)
            .correlate(Conference).scalar_subquery())


# Read with a page's conferences (cases.conferences.with_conference_facts): no statement of their own.
conference_fact("review_changes", _review_changes_column, depends_on=(ReviewChange,),
                convert=lambda value: [tuple(pair) for pair in json.loads(value)] if value else [])


def reviewable_conferences(user, limit: int = 50) -> list[tuple[Conference, str, int]]:
    """The held conferences whose feedback this person reviews, newest first, with their case reference and
    how many answers each has (two queries, whatever the number of conferences)."""
    from sqlalchemy import func

    query = select(Conference, Case.reference).join(Case, Conference.case_id == Case.id).where(Conference.status == Status.HELD)
    if user.role != Role.SQA_MANAGER:
        query = query.where(Conference.chair_id == user.id)
    shown = list(db.session.execute(query.order_by(Conference.starts_at.desc()).limit(limit)))
    ids = [conference.id for conference, _reference in shown]
    answers = dict(db.session.execute(select(Feedback.conference_id, func.count(Feedback.id))
                                      .where(Feedback.conference_id.in_(ids)).group_by(Feedback.conference_id)).all()) if ids else {}
    return [(conference, reference, answers.get(conference.id, 0)) for conference, reference in shown]
