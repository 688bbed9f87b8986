"""Conferences: scheduling, cancelling, and where each timeline rule stands.

Sources: practice guide (12 days' notice; ICPCs at council offices; chair contact and reports
2 days before; midway review at 6 weeks); Working Together 2023 (ICPC within 15 working days;
reviews within 3 then 6 months); DESIGN.md (Domain: Conference).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import audit, timeline
from portal.auth.models import User
from portal.cases.models import Case, Conference, Participant, Venue
from portal.db import db, utcnow
from portal.request_memo import remember, remembered, remembered_many
from portal.roles import Role
from portal.timeline import LONDON, RuleState, RuleStatus

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
    return list(remembered("conferences_of", case_id, lambda: list(db.session.scalars(
        select(Conference).options(joinedload(Conference.venue), joinedload(Conference.chair))
        .where(Conference.case_id == case_id).order_by(Conference.starts_at, Conference.id))),
        depends_on=(Conference,)))


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
    from portal.notify.due import send_event

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
    from portal.notify.due import send_event

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


def rule_statuses(conference: Conference, today: date) -> list[RuleStatus]:
    """Where each timeline rule that the portal can check stands for this conference."""
    return rule_statuses_for([conference], today)[conference.id]


def rule_statuses_for(conferences: list[Conference], today: date) -> dict[int, list[RuleStatus]]:
    """Where each timeline rule stands for each conference, by conference id: the facts for all of them are read
    in one query per kind of fact, so a dashboard of 500 conferences costs what a dashboard of one does."""
    from portal.plans.services import midway_held_on_for
    from portal.support.services import fgc_offered_on_for

    if not conferences:
        return {}
    contacts = _contacts_for(conferences)
    shared_on = _reports_shared_on_for(conferences)
    fgc_offered = fgc_offered_on_for([c for c in conferences if c.kind == Kind.ICPC])
    held = [c for c in conferences if c.status == Status.HELD]
    midway = midway_held_on_for(held)
    later = _next_conference_days(held)
    return {c.id: _rule_statuses(c, today, contacts.get(c.id), shared_on.get(c.id), fgc_offered.get(c.id),
                                 midway.get(c.id), later.get(c.id)) for c in conferences}


def _rule_statuses(conference: Conference, today: date, contacted_on: date | None, reports_shared_on: date | None,
                   fgc_offered_on: date | None, midway_held_on: date | None, later: date | None) -> list[RuleStatus]:
    """The rules of one conference, from the facts already read."""
    day = conference_day(conference)
    held = conference.status == Status.HELD
    statuses = [
        timeline.evaluate("parent_notice", timeline.parent_notice_by(day),
                          timeline.london_date(conference.family_notified_at) if conference.family_notified_at else None, today),
        timeline.evaluate("chair_contact", timeline.chair_contact_by(day), contacted_on, today),
        timeline.evaluate("reports_shared", timeline.reports_shared_by(day), reports_shared_on, today),
    ]
    if conference.kind == Kind.ICPC:
        statuses.append(timeline.evaluate("fgc_offered", timeline.fgc_offered_by(timeline.london_date(conference.created_at)),
                                          fgc_offered_on, today))
    strategy = conference.case.strategy_discussion_on
    if conference.kind == Kind.ICPC and strategy:
        deadline = timeline.icpc_by(strategy)
        status = timeline.evaluate("icpc_within_15_working_days", deadline, day if held else None, today)
        if not held and day > deadline:
            # Scheduled after the deadline: it cannot be on time, so it is shown as overdue now.
            status = replace(status, state=RuleState.OVERDUE)
        statuses.append(status)
    if held:
        statuses.append(timeline.evaluate("midway_review", timeline.midway_review_on(day), midway_held_on, today))
        if conference.kind == Kind.ICPC:
            statuses.append(timeline.evaluate("first_review", timeline.first_review_by(day), later, today))
        elif conference.kind == Kind.REVIEW:
            statuses.append(timeline.evaluate("next_review", timeline.next_review_by(day), later, today))
    return statuses


def _contacts_for(conferences: list[Conference]) -> dict[int, date]:
    """The day the chair contacted each conference's family, where recorded."""
    return {conference_id: contact.contacted_on
            for conference_id, contact in _contacts_of([c.id for c in conferences]).items() if contact is not None}


def _contacts_of(conference_ids: list[int]) -> dict:
    """Each conference's recorded pre-conference contact, or None: one statement for those not read yet in this
    request (the timeline's rules and the conference page both ask)."""
    from portal.cases.models import PreConferenceContact

    return remembered_many("pre_conference_contacts", conference_ids, lambda ids: {
        contact.conference_id: contact for contact in db.session.scalars(
            select(PreConferenceContact).where(PreConferenceContact.conference_id.in_(ids)))},
        depends_on=(PreConferenceContact,))


def _reports_shared_on_for(conferences: list[Conference]) -> dict[int, date]:
    """For each conference, the day the last professional report reached the family, once every one has been shared.

    Not done while there is no report yet, or while any report is still unshared (a draft counts:
    the family must get every report). Source: practice guide, reports shared 2 days before.
    """
    moments: dict[int, list] = {}
    for conference_id, shared_at in professional_reports_shared_at([c.id for c in conferences]):
        moments.setdefault(conference_id, []).append(shared_at)
    return {conference_id: max(timeline.london_date(moment) for moment in shared)
            for conference_id, shared in moments.items() if all(moment is not None for moment in shared)}


def professional_reports_shared_at(conference_ids: list[int]) -> list[tuple[int, datetime | None]]:
    """(conference id, when it reached the family or None) for each professional report of these conferences:
    one statement, kept for the request (the timeline's rules and the chair's dashboard flags both ask)."""
    from portal.reports.models import PROFESSIONAL, Report

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
    from portal.reports.models import PROFESSIONAL, Report

    remember("professional_reports_shared_at", conference.id,
             tuple(report.shared_at for report in reports if report.kind == PROFESSIONAL), depends_on=(Report,))


def _next_conference_days(held: list[Conference]) -> dict[int, date]:
    """For each held conference, the day of the next review conference held after it, if there has been one."""
    if not held:
        return {}
    reviews: dict[int, list[Conference]] = {}
    for review in db.session.scalars(
            select(Conference).where(Conference.case_id.in_({c.case_id for c in held}), Conference.kind == Kind.REVIEW.value,
                                     Conference.status == Status.HELD.value).order_by(Conference.starts_at)):
        reviews.setdefault(review.case_id, []).append(review)
    found = {}
    for conference in held:
        following = next((r for r in reviews.get(conference.case_id, []) if r.starts_at > conference.starts_at), None)
        if following is not None:
            found[conference.id] = conference_day(following)
    return found


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
    return _contacts_of([conference.id])[conference.id]


def attendees(conference: Conference) -> list:
    """The agreed attendee list, with each family member's or professional's account (the page shows their names:
    read in the same statement, not one more query per person)."""
    from portal.cases.models import Attendee

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
    from portal.cases.models import Attendee, PreConferenceContact

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
    from portal.notify.due import send_event

    send_event("outcome", conference)
    audit.record("conference.outcome", actor=chair, object_kind="conference", object_id=conference.id, case_id=conference.case_id)
    db.session.commit()
