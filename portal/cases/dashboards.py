"""Staff dashboards: what each role needs to see first.

Source: issue "Cases and conferences" (dashboards): the chair's upcoming conferences with
overdue items first and every rule's compliance; the social worker's cases; the SQA
manager's view of every conference with filters and a CSV export.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.cases.conferences import Status, conference_day, keep_conference_facts, with_conference_facts
from portal.cases.rules import rule_statuses_for
from portal.cases.models import Case, Conference, Participant
from portal.db import db
from portal.roles import Role
from portal.timeline import RuleState, RuleStatus
from portal.reports.discussion import unanswered_questions
from portal.cases.conferences import professional_reports_shared_at
from portal.timeline import london_date, reports_shared_by
from portal.support.services import flags_for
from portal.wishes.services import missing_offers

MAX_ROWS = 500


@dataclass
class ConferenceRow:
    """One conference on a dashboard, with where each rule stands."""

    conference: Conference
    reference: str
    day: date
    rules: list[RuleStatus]
    late_reports: int = 0
    unanswered_questions: int = 0
    support: object = None  # the support feature's flags (interpreters to arrange, advocacy to review)
    advocacy_offers_missing: tuple[str, ...] = ()  # children of 5 or over with no advocacy offer recorded

    @property
    def overdue(self) -> int:
        return sum(1 for rule in self.rules if rule.state == RuleState.OVERDUE)


def _rows(conferences, today: date) -> list[ConferenceRow]:
    conferences = list(conferences)
    rules = rule_statuses_for(conferences, today)
    return [ConferenceRow(c, c.case.reference, conference_day(c), rules[c.id]) for c in conferences]


def _base_query():
    """Conferences with their case, venue and chair, and their facts in the same rows (one statement):
    read them with _conferences."""
    return with_conference_facts(select(Conference).options(joinedload(Conference.case), joinedload(Conference.venue),
                                                          joinedload(Conference.chair)))


def _conferences(query) -> list[Conference]:
    return keep_conference_facts(db.session.execute(query))


def chair_upcoming(chair, today: date) -> list[ConferenceRow]:
    """The chair's scheduled conferences: those with an overdue rule first, then soonest first."""
    conferences = _conferences(_base_query().where(Conference.chair_id == chair.id, Conference.status == Status.SCHEDULED.value)
                               .order_by(Conference.starts_at).limit(MAX_ROWS))
    questions = _unanswered_questions(conferences)  # first: it brings the reports' facts the rules need (one statement)
    rows = _rows(conferences, today)
    _add_report_flags(rows, questions)
    _add_support_flags(rows)
    _add_young_people_flags(rows)
    return sorted(rows, key=lambda row: (row.overdue == 0, row.conference.starts_at))


def _unanswered_questions(conferences: list[Conference]) -> dict[int, int]:
    return unanswered_questions([conference.id for conference in conferences])


def _add_report_flags(rows: list[ConferenceRow], unanswered_questions: dict[int, int]) -> None:
    """Reports shared late and family questions not yet answered, per conference (one statement in all, read
    by _unanswered_questions).

    Source: issue "Reports" (late reports and unanswered questions show on the chair's dashboard).
    """
    by_id = {row.conference.id: row for row in rows}
    if not by_id:
        return
    for conference_id, shared_at in professional_reports_shared_at(list(by_id)):
        row = by_id[conference_id]
        if shared_at is not None and london_date(shared_at) > reports_shared_by(row.day):
            row.late_reports += 1
    for conference_id, count in unanswered_questions.items():
        by_id[conference_id].unanswered_questions = count


def _add_support_flags(rows: list[ConferenceRow]) -> None:
    """Interpreters not arranged and advocacy not taken up, per conference, through the support feature's services.

    Source: issue "Support" (the chair's dashboard flags both).
    """
    flags = flags_for([row.conference for row in rows])
    for row in rows:
        row.support = flags[row.conference.id]


def _add_young_people_flags(rows: list[ConferenceRow]) -> None:
    """Children of 5 or over (on the conference day) with no advocacy offer recorded, through the young
    people feature's services. Source: issue "Young people" (missing offers show on the chair's dashboard)."""
    missing = missing_offers([row.conference for row in rows])
    for row in rows:
        row.advocacy_offers_missing = tuple(missing.get(row.conference.id, ()))


def social_worker_cases(user) -> list[tuple[Case, Conference | None]]:
    """The social worker's cases, each with its next scheduled conference."""
    cases = list(db.session.scalars(
        select(Case).join(Participant).where(Participant.user_id == user.id, Participant.role == Role.SOCIAL_WORKER.value)
        .order_by(Case.created_at.desc())
    ))
    upcoming = {}
    if cases:
        for conference in db.session.scalars(
            select(Conference).where(Conference.case_id.in_([c.id for c in cases]), Conference.status == Status.SCHEDULED.value)
            .order_by(Conference.starts_at)
        ):
            upcoming.setdefault(conference.case_id, conference)
    return [(case, upcoming.get(case.id)) for case in cases]


@dataclass(frozen=True)
class Filters:
    """The SQA manager's filters, from the query string (a GET: nothing changes)."""

    chair_id: int | None = None
    status: str | None = None
    overdue_rule: str | None = None
    sort: str = "date"
    descending: bool = True

    @classmethod
    def from_args(cls, args) -> "Filters":
        chair = args.get("chair", "")
        status = args.get("status", "")
        rule = args.get("overdue", "")
        sort = args.get("sort", "date")
        return cls(
            chair_id=int(chair) if chair.isdigit() else None,
            status=status if status in {s.value for s in Status} else None,
            overdue_rule=rule if rule in OVERDUE_RULES else None,
            sort=sort if sort in SORT_KEYS else "date",
            descending=args.get("order", "desc") != "asc",
        )

    def query_args(self, **changes) -> dict[str, str]:
        """These filters as query-string arguments, with some changed (for sort links and the CSV)."""
        values = {"chair": str(self.chair_id or ""), "status": self.status or "", "overdue": self.overdue_rule or "",
                  "sort": self.sort, "order": "desc" if self.descending else "asc"}
        values.update(changes)
        return {key: value for key, value in values.items() if value}


SORT_KEYS = {
    "date": lambda row: row.conference.starts_at,
    "case": lambda row: row.reference,
    "chair": lambda row: row.conference.chair.name.lower(),
    "status": lambda row: row.conference.status,
    "overdue": lambda row: row.overdue,
}
OVERDUE_RULES = ("any", "parent_notice", "chair_contact", "reports_shared", "fgc_offered", "icpc_within_15_working_days", "midway_review", "first_review", "next_review")


def all_conferences(filters: Filters, today: date) -> list[ConferenceRow]:
    """Every conference (most recent first), filtered by chair, status and overdue rule."""
    query = _base_query().order_by(Conference.starts_at.desc()).limit(MAX_ROWS)
    if filters.chair_id:
        query = query.where(Conference.chair_id == filters.chair_id)
    if filters.status:
        query = query.where(Conference.status == filters.status)
    rows = _rows(_conferences(query), today)
    if filters.overdue_rule == "any":
        rows = [row for row in rows if row.overdue]
    elif filters.overdue_rule:
        rows = [row for row in rows if any(r.rule == filters.overdue_rule and r.state == RuleState.OVERDUE for r in row.rules)]
    return sorted(rows, key=SORT_KEYS[filters.sort], reverse=filters.descending)


def as_csv(rows: list[ConferenceRow]) -> str:
    """The rows as CSV for the SQA manager: one line per conference, one column per rule."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", "conference", "kind", "date", "status", "chair", *OVERDUE_RULES[1:]])
    for row in rows:
        states = {rule.rule: rule.state.value for rule in row.rules}
        writer.writerow([row.reference, row.conference.id, row.conference.kind, row.day.isoformat(), row.conference.status,
                         row.conference.chair.name, *(states.get(rule, "") for rule in OVERDUE_RULES[1:])])
    return out.getvalue()
