"""Conferences: scheduling, cancelling, and where each timeline rule stands.

Sources: practice guide (12 days' notice; ICPCs at council offices; chair contact and reports
2 days before; midway review at 6 weeks); Working Together 2023 (ICPC within 15 working days;
reviews within 3 then 6 months); DESIGN.md (Domain: Conference).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from portal import audit, timeline
from portal.auth.models import User
from portal.cases.models import Case, Conference, Participant, Venue
from portal.db import db, utcnow
from portal.notify.events import send_event
from portal.request_memo import remember, remembered, remembered_many
from portal.roles import Role
from portal.timeline import LONDON
from portal.cases.models import Attendee, PreConferenceContact
from portal.reports.models import PROFESSIONAL, Report

CONFERENCE_LENGTH = timedelta(hours=2)
SHORT_NOTICE_CANCELLATION = timedelta(days=2)


class Kind(StrEnum):
    ICPC = "icpc"
    REVIEW = "review"
    EXTRA_FAMILIAL = "extra_familial"


class Agency(StrEnum):
    YOUTH_JUSTICE = "youth_justice"
    SCHOOL = "school"
    YOUTH_SERVICE = "youth_service"
    POLICE = "police"
    COMMUNITY_SAFETY = "community_safety"
    HEALTH = "health"
    EARLY_HELP = "early_help"


# Who a chair is offered to invite: the agencies around an adolescent whose risk lies outside the family,
# or (for the family-centred conferences) those around a young child. Source: practice guide ("a
# conference tailored to extra familial risk will be offered to make sure the right people are invited").
SUGGESTED_AGENCIES = {
    Kind.EXTRA_FAMILIAL: (Agency.YOUTH_JUSTICE, Agency.SCHOOL, Agency.YOUTH_SERVICE, Agency.POLICE, Agency.COMMUNITY_SAFETY),
    Kind.ICPC: (Agency.SCHOOL, Agency.HEALTH),
    Kind.REVIEW: (Agency.SCHOOL, Agency.HEALTH),
}


class Format(StrEnum):
    IN_PERSON = "in_person"
    HYBRID = "hybrid"


class Status(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


def london_to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in London as an aware UTC datetime (for storage)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


def conference_day(conference: Conference) -> date:
    """The London date of the conference."""
    return timeline.london_date(conference.starts_at)


def needs_short_notice_reason(day: date, today: date) -> bool:
    """Fewer than 12 days' notice needs a recorded reason (practice guide: at least 12 days' notice)."""
    return day < today + timedelta(days=timeline.PARENT_NOTICE_DAYS)


def venue_allowed(kind: str, venue: Venue) -> bool:
    """Initial conferences are always held at council offices (practice guide)."""
    return venue.active and (kind != Kind.ICPC or venue.council_office)


def active_venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).where(Venue.active.is_(True)).order_by(Venue.name)))


def chairs() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.CHAIR.value, User.active.is_(True)).order_by(User.name)))


def conferences_of(case: Case | int) -> list[Conference]:
    """Every conference of a case, oldest first, with its venue and chair, in one statement kept for the
    request: the conference, plan, feedback and young people's parts of a page all take their conference from
    it (a case has a handful: the first conference and a review every six months at most)."""
    case_id = case if isinstance(case, int) else case.id
    return list(conferences_of_cases([case_id])[case_id])


def conferences_of_cases(case_ids) -> dict[int, tuple[Conference, ...]]:
    """{case id: its conferences, oldest first}: one statement for the cases this request has not read yet.
    The same statement brings each conference's facts (with_conference_facts), so the rules of a page's
    conferences cost no more statements."""
    def read(ids: list[int]) -> dict[int, tuple[Conference, ...]]:
        found: dict[int, list[Conference]] = {}
        query = with_conference_facts(select(Conference).options(joinedload(Conference.venue), joinedload(Conference.chair))
                                      .where(Conference.case_id.in_(ids)).order_by(Conference.starts_at, Conference.id))
        for conference in keep_conference_facts(db.session.execute(query)):
            found.setdefault(conference.case_id, []).append(conference)
        return {case_id: tuple(conferences) for case_id, conferences in found.items()}

    return remembered_many("conferences_of", case_ids, read, depends_on=(Conference,), missing=())


def with_conferences(query, user=None):
    """A query of cases, with each case's conferences (oldest first, with venue, chair and their facts, this
    person's among them) in the same rows, one row per conference (a case with none has one row, with None):
    pass its rows to keep_conferences. For a page that reads a person's cases and then their conferences."""
    query = (query.add_columns(Conference).outerjoin(Conference, Conference.case_id == Case.id)
             .options(joinedload(Conference.venue), joinedload(Conference.chair))
             .order_by(Conference.starts_at, Conference.id))
    return with_conference_facts(query, user)


def keep_conferences(rows, user=None) -> list:
    """The rows of a with_conferences query, each cut to what came before the conference, with the conferences
    kept for this request as each case's conferences_of."""
    width = _FACTS_AT + len(_facts_read(user))
    of_case: dict[int, list[Conference]] = {}
    firsts, facts = [], []
    for row in rows:
        case, conference = row[0], row[-width]
        if case.id not in of_case:
            of_case[case.id] = []
            firsts.append(tuple(row[:-width]))
        if conference is not None:
            of_case[case.id].append(conference)
            facts.append(row[-width:])
    keep_conference_facts(facts, user)
    for case_id, conferences in of_case.items():
        remember("conferences_of", case_id, tuple(conferences), depends_on=(Conference,))
    return firsts


# --- facts about a conference, read with it ---------------------------------------------------

@dataclass(frozen=True)
class ConferenceFact:
    """A fact about a conference that a page showing it asks for (when its midway review was held; whether its
    plan has actions; whether this person has given feedback on it), as a correlated SQL expression on
    Conference. A feature registers its own with conference_fact."""

    column: Callable  # (user) -> the expression
    depends_on: tuple[type, ...]
    per_person: bool = False  # the answer depends on who asks
    convert: Callable | None = None  # from the value the statement gives to the one conference_fact_of answers


_FACTS: dict[str, ConferenceFact] = {}
_FACTS_AT = 2  # a row of with_conference_facts: the conference, its pre-conference contact, then each fact


def conference_fact(name: str, column: Callable, *, depends_on: tuple[type, ...], per_person: bool = False,
                    convert: Callable | None = None) -> None:
    """Register a fact about a conference: from then on it is read in the same statement as the conferences of
    a page (with_conference_facts), and conference_fact_of answers it without another statement."""
    _FACTS[name] = ConferenceFact(column, depends_on, per_person, convert)
    _shared_fact_column.cache_clear()


def conference_fact_of(name: str, conference: Conference, user, read: Callable):
    """A registered fact of this conference (for this person, if it is per person), as read with it; read() when
    it was not."""
    fact = _FACTS[name]
    key = (conference.id, user.id) if fact.per_person else conference.id
    return remembered("conference_fact:" + name, key, read, depends_on=fact.depends_on)


def conference_fact_of_many(name: str, conference_ids: list[int], read: Callable[[list], dict]) -> dict:
    """A registered fact (not per person) of these conferences, {conference id: value}: those not read with their
    conference are read with one read(ids)."""
    return remembered_many("conference_fact:" + name, conference_ids, read, depends_on=_FACTS[name].depends_on)


def _facts_read(user) -> list[str]:
    return sorted(name for name, fact in _FACTS.items() if user is not None or not fact.per_person)


def with_conference_facts(query, user=None):
    """The query of conferences, with each one's pre-conference contact (at most one) and each registered fact
    (this person's too, when given) in the same rows: pass its rows to keep_conference_facts."""
    query = (query.add_columns(PreConferenceContact)
             .outerjoin(PreConferenceContact, PreConferenceContact.conference_id == Conference.id))
    for name in _facts_read(user):
        fact = _FACTS[name]
        query = query.add_columns(fact.column(user).label(_fact_label(name)) if fact.per_person else _shared_fact_column(name))
    return query


def _fact_label(name: str) -> str:
    return name.replace(".", "_")


@lru_cache(maxsize=None)
def _shared_fact_column(name: str):
    """A fact that is the same whoever asks, as its labelled SQL expression: built once (building a correlated
    subquery costs more than running it), then used by every statement that reads it."""
    return _FACTS[name].column(None).label(_fact_label(name))


def keep_conference_facts(rows, user=None) -> list[Conference]:
    """The conferences of rows read with with_conference_facts, keeping their facts for this request (for
    pre_conference_contact, the timeline's rules and conference_fact_of)."""
    names = _facts_read(user)
    conferences = []
    for conference, contact, *values in rows:
        remember("pre_conference_contacts", conference.id, contact, depends_on=(PreConferenceContact,))
        for name, value in zip(names, values):
            fact = _FACTS[name]
            value = fact.convert(value) if fact.convert is not None else value
            remember("conference_fact:" + name, (conference.id, user.id) if fact.per_person else conference.id, value,
                     depends_on=fact.depends_on)
        conferences.append(conference)
    return conferences


def _next_held_review_column(user):  # noqa: ARG001
    later = aliased(Conference)
    return (select(func.min(later.starts_at)).where(later.case_id == Conference.case_id, later.kind == Kind.REVIEW.value,
                                                    later.status == Status.HELD.value, later.starts_at > Conference.starts_at)
            .correlate(Conference).scalar_subquery())


def next_conference(case: Case) -> Conference | None:
    """The next scheduled conference of a case, else the latest one."""
    conferences = conferences_of(case)
    upcoming = [c for c in conferences if c.status == Status.SCHEDULED]
    return upcoming[0] if upcoming else (conferences[-1] if conferences else None)


def venue_by_id(value: str) -> Venue | None:
    return db.session.get(Venue, int(value)) if str(value).isdigit() else None


def user_by_id(value: str) -> User | None:
    return db.session.get(User, int(value)) if str(value).isdigit() else None


def get_conference_for(case: Case, conference_id: int) -> Conference:
    """A conference of this (already authorised) case, else 404."""
    conference = next((c for c in conferences_of(case) if c.id == conference_id), None)
    if conference is None:
        abort(404)
    return conference


def schedule(case: Case, by: User, *, kind: str, starts_at: datetime, format: str, venue: Venue, chair: User,
             short_notice_reason: str | None) -> Conference:
    """Schedule a conference, tell the family (neutral words) and record when they were told."""
    conference = Conference(case_id=case.id, kind=kind, starts_at=starts_at, format=format, venue_id=venue.id,
                            chair_id=chair.id, short_notice_reason=short_notice_reason or None, created_by_id=by.id)
    db.session.add(conference)
    db.session.flush()
    # The chair takes part in the case from now on.
    if db.session.scalar(select(Participant).where(Participant.case_id == case.id, Participant.user_id == chair.id)) is None:
        db.session.add(Participant(case_id=case.id, user_id=chair.id, role=Role.CHAIR.value, relationship_to_child=None))
    send_event("notice", conference)
    conference.family_notified_at = utcnow()
    audit.record("conference.schedule", actor=by, object_kind="conference", object_id=conference.id, case_id=case.id)
    db.session.commit()
    return conference


def cancel(conference: Conference, by: User, reason: str, now: datetime | None = None) -> bool:
    """Cancel with a reason and tell the family; return True when it is at short notice (flagged)."""
    now = now or utcnow()
    conference.status = Status.CANCELLED.value
    conference.cancelled_reason = reason
    conference.cancelled_at = now
    short_notice = _as_utc(conference.starts_at) - now < SHORT_NOTICE_CANCELLATION
    send_event("cancelled", conference)
    audit.record("conference.cancel", actor=by, object_kind="conference", object_id=conference.id,
                 case_id=conference.case_id, outcome="short_notice" if short_notice else "success")
    db.session.commit()
    return short_notice


def latest_held(case_id: int) -> Conference | None:
    """The case's most recent conference that has been held (the plan's and the feedback's conference). Several
    parts of one page ask, so it is read once per request."""
    return next((c for c in reversed(conferences_of(case_id)) if c.status == Status.HELD), None)


def starts_after(conference: Conference, other: Conference) -> bool:
    """True when conference starts later than other (a row just written holds its time with a zone, a row
    read from SQLite without one: both are compared in UTC)."""
    return _as_utc(conference.starts_at) > _as_utc(other.starts_at)


def has_started(conference: Conference, now: datetime | None = None) -> bool:
    """True once the conference's start time has passed."""
    return _as_utc(conference.starts_at) <= (now or utcnow())


def cancelled_at_short_notice(conference: Conference) -> bool:
    return bool(conference.cancelled_at) and _as_utc(conference.starts_at) - _as_utc(conference.cancelled_at) < SHORT_NOTICE_CANCELLATION


@dataclass(frozen=True)
class FamilyStep:
    """One line of the family's own timeline: by this date, this happens."""

    key: str
    by: date


def family_steps(conference: Conference) -> list[FamilyStep]:
    """What the family can expect before the conference, with dates from the timeline."""
    day = conference_day(conference)
    return [
        FamilyStep("chair_contact", timeline.chair_contact_by(day)),
        FamilyStep("reports_shared", timeline.reports_shared_by(day)),
        FamilyStep("conference", day),
    ]


def contacts_of(conference_ids: list[int]) -> dict:
    """Each conference's recorded pre-conference contact, or None: one statement for those not read yet in this
    request (the timeline's rules and the conference page both ask)."""
    return remembered_many("pre_conference_contacts", conference_ids, lambda ids: {
        contact.conference_id: contact for contact in db.session.scalars(
            select(PreConferenceContact).where(PreConferenceContact.conference_id.in_(ids)))},
        depends_on=(PreConferenceContact,))


def professional_reports_shared_at(conference_ids: list[int]) -> list[tuple[int, datetime | None]]:
    """(conference id, when it reached the family or None) for each professional report of these conferences:
    one statement, kept for the request (the timeline's rules and the chair's dashboard flags both ask)."""
    def read(ids: list[int]) -> dict[int, tuple]:
        found: dict[int, list] = {}
        for conference_id, shared_at in db.session.execute(
                select(Report.conference_id, Report.shared_at).where(Report.conference_id.in_(ids), Report.kind == PROFESSIONAL)):
            found.setdefault(conference_id, []).append(shared_at)
        return {conference_id: tuple(moments) for conference_id, moments in found.items()}

    by_conference = remembered_many("professional_reports_shared_at", conference_ids, read, depends_on=(Report,), missing=())
    return [(conference_id, moment) for conference_id, moments in by_conference.items() for moment in moments]


def keep_professional_reports_shared_at(conference: Conference, reports: list) -> None:
    """The conference's reports were read whole (reports_for_conference): keep when each professional one was
    shared, for professional_reports_shared_at."""
    keep_reports_shared_at({conference.id: [report.shared_at for report in reports if report.kind == PROFESSIONAL]})


def keep_reports_shared_at(by_conference: dict[int, list]) -> None:
    """{conference id: when each of its professional reports was shared (None: not yet)}, read with something
    else: kept for professional_reports_shared_at."""
    for conference_id, moments in by_conference.items():
        remember("professional_reports_shared_at", conference_id, tuple(moments), depends_on=(Report,))


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


def scheduling_problems(*, kind: str, day: date | None, at: time | None, venue_id: str, chair_id: str,
                        short_notice_reason: str | None, now: datetime | None = None) -> dict[str, str]:
    """What stops this conference being scheduled, by form field (empty when nothing does).

    Sources: practice guide (12 days' notice unless a reason is recorded; ICPCs at council offices).
    """
    from flask_babel import gettext as _

    now = now or utcnow()
    problems: dict[str, str] = {}
    venue = venue_by_id(venue_id)
    if venue is None or not venue.active:
        problems["venue"] = _("Select a venue from the list")
    elif not venue_allowed(kind, venue):
        problems["venue"] = _("An initial conference must be held at council offices. Choose a council office")
    chair = user_by_id(chair_id)
    if chair is None or chair.role != Role.CHAIR or not chair.active:
        problems["chair"] = _("Select a chair from the list")
    if day is not None and at is not None:
        if london_to_utc(day, at) <= now:
            problems["day"] = _("The date of the conference must be in the future")
        elif needs_short_notice_reason(day, timeline.london_date(now)) and not (short_notice_reason or "").strip():
            problems["short_notice_reason"] = _("The family will have less than 12 days' notice. Say why")
    return problems


def has_read(user, conference: Conference) -> bool:
    """True when this person has opened the conference page (its reads are audited)."""
    return audit.has_done(user, "conference.read", conference.id)


def record_read(user, conference: Conference) -> None:
    """Audit a read of the conference page (who, which, when; never the content)."""
    audit.record_read("conference.read", actor=user, object_kind="conference", object_id=conference.id,
                      case_id=conference.case_id)


# --- pre-conference contact -------------------------------------------------------------

def pre_conference_contact(conference: Conference):
    """The chair's recorded contact with the family for this conference, if any."""
    return contacts_of([conference.id])[conference.id]


def attendees(conference: Conference) -> list:
    """The agreed attendee list, with each family member's or professional's account (the page shows their names:
    read in the same statement, not one more query per person)."""
    return list(db.session.scalars(select(Attendee).options(joinedload(Attendee.participant).joinedload(Participant.user))
                                   .where(Attendee.conference_id == conference.id).order_by(Attendee.id)))


def suggested_attendees(conference: Conference, participants: list[Participant]) -> tuple[list[int], list[str]]:
    """The attendee list a chair starts from. Family-centred conferences: the family, the social worker and
    the professionals of the case. Extra-familial risk: the young person, the social worker and the
    agencies around them (parents are added by the chair where they help keep the young person safe)."""
    if conference.kind == Kind.EXTRA_FAMILIAL:
        roles = {Role.YOUNG_PERSON.value, Role.SOCIAL_WORKER.value}
    else:
        roles = {Role.PARENT.value, Role.CARER.value, Role.YOUNG_PERSON.value, Role.SOCIAL_WORKER.value, Role.PROFESSIONAL.value}
    people = [p.id for p in participants if p.role in roles]
    return people, [agency.value for agency in SUGGESTED_AGENCIES.get(conference.kind, ())]


def parse_other_attendees(text: str) -> tuple[list[tuple[str, str, str]], int | None]:
    """Lines of 'name, role, agency' as tuples; the number of the first line that is not like that, if any."""
    people = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        # A plain comma, or the Arabic comma that Arabic and Urdu keyboards type.
        parts = [part.strip() for part in line.replace("\u060c", ",").split(",")]
        if len(parts) != 3 or not all(parts) or any(len(part) > 120 for part in parts):
            return people, number
        people.append((parts[0], parts[1], parts[2]))
    return people, None


def record_pre_conference_contact(conference: Conference, chair: User, *, contacted_on: date, contacted_whom: str,
                                  family_views: str, comfortable_professional: str, extra_support: str,
                                  participant_ids: list[int], others: list[tuple[str, str, str]],
                                  agencies: list[str] = ()) -> None:
    """Save the chair's contact with the family and the agreed attendee list (replacing an earlier one).

    Source: practice guide ("The conference chair will contact the family at least 2 days ahead ...
    finalising the list of people who will attend").
    """
    contact = pre_conference_contact(conference) or PreConferenceContact(conference_id=conference.id, recorded_by_id=chair.id)
    contact.contacted_on = contacted_on
    contact.contacted_whom = contacted_whom
    contact.family_views = family_views or None
    contact.comfortable_professional = comfortable_professional or None
    contact.extra_support = extra_support or None
    contact.recorded_by_id = chair.id
    contact.recorded_at = utcnow()
    db.session.add(contact)
    for attendee in attendees(conference):
        if attendee.support_request_id is None:  # an agreed supporter stays: the chair decided that separately
            db.session.delete(attendee)
    allowed = {p.id for p in db.session.scalars(select(Participant).where(Participant.case_id == conference.case_id))}
    for participant_id in participant_ids:
        if participant_id in allowed:
            db.session.add(Attendee(conference_id=conference.id, participant_id=participant_id))
    for name, role, agency in others:
        db.session.add(Attendee(conference_id=conference.id, name=name, role=role, agency=agency))
    for agency_kind in dict.fromkeys(agencies):
        if agency_kind in Agency.__members__.values():
            db.session.add(Attendee(conference_id=conference.id, agency_kind=agency_kind))
    audit.record("conference.pre_contact", actor=chair, object_kind="conference", object_id=conference.id, case_id=conference.case_id)
    db.session.commit()


# --- outcome ----------------------------------------------------------------------------

class Decision(StrEnum):
    PLAN = "plan"
    NO_PLAN = "no_plan"


class Category(StrEnum):
    """The categories of a child protection plan (Working Together to Safeguard Children 2023)."""

    NEGLECT = "neglect"
    PHYSICAL = "physical_abuse"
    EMOTIONAL = "emotional_abuse"
    SEXUAL = "sexual_abuse"


def record_outcome(conference: Conference, chair: User, *, decision: str, category: str | None, reasons: str) -> None:
    """The chair records that the conference was held and what was decided, with reasons in plain words.

    Source: issue "Cases and conferences" (conference outcome); Working Together 2023 (plan categories).
    """
    conference.status = Status.HELD.value
    conference.decision = decision
    conference.category = category if decision == Decision.PLAN else None
    conference.decision_reasons = reasons
    conference.outcome_recorded_at = utcnow()
    send_event("outcome", conference)
    audit.record("conference.outcome", actor=chair, object_kind="conference", object_id=conference.id, case_id=conference.case_id)
    db.session.commit()


# When the next review conference after a held one was held (the "next review" rule).
conference_fact("next_held_review_at", _next_held_review_column, depends_on=(Conference,))
