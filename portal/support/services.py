"""The rules of support requests: who may ask for what and when, who decides, what the family sees.

Sources: practice guide ("Support for families": advocacy offered by the social worker and
reviewed by the chair if not taken up; a friend or relative agreed with the chair; an interpreter
of the correct dialect, a preferred one where possible; the chair's meeting identifies extra
support; review venue chosen by the family; an FGC offered by the time an ICPC is decided, and
in development in place of it; a 15 minute break; a debrief with the chair or social worker;
appeals to the Safeguarding and Quality Assurance team); DESIGN.md (Domain: Support request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.cases.models import Attendee, Conference, Participant, Venue
from portal.db import db, utcnow
from portal.request_memo import remembered_many
from portal.roles import Role
from portal.support.models import SupportRequest, SupportStatusChange
from portal.access import participant_for
from portal.cases.conferences import Kind as ConferenceKind, Status as ConferenceStatus, _as_utc, active_venues, has_started
from portal.reports.family_views import remove_helper_from_all
from portal.notify.events import send_event
from portal.notify.messages import send_appeal_notice, send_news


class Kind(StrEnum):
    ADVOCACY = "advocacy"
    SUPPORTER = "supporter"
    INTERPRETER = "interpreter"
    ACCESS_NEEDS = "access_needs"
    VENUE = "venue"
    FGC = "fgc"
    BREAK = "break"
    DEBRIEF = "debrief"
    APPEAL = "appeal"


class Status(StrEnum):
    ASKED = "asked"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    INSTEAD = "instead"  # an FGC in place of the initial conference (behind a setting)
    AGREED = "agreed"
    ARRANGED = "arranged"
    NOT_AGREED = "not_agreed"
    IN_REVIEW = "in_review"
    ANSWERED = "answered"


# Who may ask, and the roles that answer offers: parents and carers (young people: issue "Young people").
ASKING_ROLES = (Role.PARENT.value, Role.CARER.value)

# What the deciding member of staff may move a request to, from each status.
DECISIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Kind.ADVOCACY: {Status.ASKED: (Status.ARRANGED,), Status.ACCEPTED: (Status.ARRANGED,)},
    Kind.SUPPORTER: {Status.ASKED: (Status.AGREED, Status.NOT_AGREED)},
    Kind.INTERPRETER: {Status.ASKED: (Status.ARRANGED, Status.NOT_AGREED)},
    Kind.ACCESS_NEEDS: {Status.ASKED: (Status.ARRANGED, Status.NOT_AGREED)},
    Kind.VENUE: {Status.ASKED: (Status.AGREED, Status.NOT_AGREED)},
    Kind.FGC: {Status.OFFERED: (Status.ARRANGED,), Status.ACCEPTED: (Status.ARRANGED,), Status.INSTEAD: (Status.ARRANGED,)},
    Kind.BREAK: {Status.ASKED: (Status.ARRANGED,)},
    Kind.DEBRIEF: {Status.ASKED: (Status.ARRANGED, Status.NOT_AGREED)},
    Kind.APPEAL: {Status.ASKED: (Status.IN_REVIEW, Status.ANSWERED), Status.IN_REVIEW: (Status.ANSWERED,)},
}
# Decisions the family must be told the reason for.
NEEDS_REASON = (Status.NOT_AGREED, Status.ANSWERED)

# A request of these kinds is one per person per conference: asking again changes the open one.
ONE_OPEN_REQUEST = (Kind.INTERPRETER, Kind.ACCESS_NEEDS, Kind.VENUE, Kind.DEBRIEF, Kind.APPEAL, Kind.ADVOCACY)

# "During the conference": from its start until this long after (the chair records the outcome at the end).
BREAK_WINDOW = timedelta(hours=6)

INTERPRETER_PURPOSES = ("conference", "talk_through", "debrief")
ACCESS_NEEDS = ("step_free", "hearing_loop", "quiet_room", "childcare", "travel_costs", "break_room")
APPEAL_DECISIONS = ("plan", "category", "other")


def fgc_instead_allowed() -> bool:
    """The family may choose a safeguarding FGC in place of the ICPC: "in development", off by default."""
    return bool(current_app.config.get("FGC_INSTEAD_OF_ICPC"))


# --- who ----------------------------------------------------------------------------------

def _case_role(user, case_id: int) -> str | None:
    participant = participant_for(user, case_id)
    return participant.role if participant else None


def is_chair(user, conference: Conference) -> bool:
    return conference.chair_id == user.id


def is_social_worker(user, case_id: int) -> bool:
    return _case_role(user, case_id) == Role.SOCIAL_WORKER.value


def sees_case_requests(user, conference: Conference) -> bool:
    """The conference's chair, the case's social worker and the SQA manager see the family's requests."""
    return (user.role == Role.SQA_MANAGER or is_chair(user, conference)
            or is_social_worker(user, conference.case_id))


def can_see(user, request: SupportRequest) -> bool:
    """The person it is for; the conference's chair and the case's social worker (not an appeal:
    that goes to the SQA team only); the SQA manager. Never the other parent, an advocate or
    another professional. Source: DESIGN.md, Access and safety (minimum data)."""
    if request.participant.user_id == user.id or user.role == Role.SQA_MANAGER:
        return True
    if request.kind == Kind.APPEAL:
        return False
    return is_chair(user, request.conference) or is_social_worker(user, request.case_id)


def can_decide(user, request: SupportRequest, case_role: str | None = None) -> bool:
    """Each kind has an owner: the chair (supporter, venue, break, access needs), the social worker
    (interpreter, advocacy, FGC, access needs), the one the parent chose (debrief), the SQA manager (appeal).

    Only while it still makes sense: what is about the meeting itself (a supporter, the venue) until it
    starts; an interpreter, access needs, advocacy or a break while it is scheduled. `case_role` saves a
    query when the caller already knows the user's role in the case.
    """
    if not DECISIONS[request.kind].get(request.status):
        return False
    conference = request.conference
    scheduled = conference.status == ConferenceStatus.SCHEDULED
    if request.kind in (Kind.SUPPORTER, Kind.VENUE) and (not scheduled or has_started(conference)):
        return False
    if request.kind in (Kind.INTERPRETER, Kind.ACCESS_NEEDS, Kind.ADVOCACY, Kind.BREAK) and not scheduled:
        return False
    chair = is_chair(user, conference)
    social_worker = (case_role if case_role is not None else _case_role(user, request.case_id)) == Role.SOCIAL_WORKER.value
    owners = {
        Kind.SUPPORTER: chair, Kind.VENUE: chair, Kind.BREAK: chair,
        Kind.ACCESS_NEEDS: chair or social_worker,
        Kind.INTERPRETER: social_worker, Kind.ADVOCACY: social_worker, Kind.FGC: social_worker,
        Kind.DEBRIEF: chair if request.details.get("with") == "chair" else social_worker,
        Kind.APPEAL: user.role == Role.SQA_MANAGER,
    }
    return bool(owners[request.kind])


def decisions_for(request: SupportRequest) -> tuple[str, ...]:
    return DECISIONS[request.kind].get(request.status, ())


def askable(participant: Participant | None, conference: Conference, now: datetime | None = None) -> list[str]:
    """What this family member may ask for now, for this conference.

    Before it: a supporter, an interpreter, access needs, advocacy; the venue for a review
    conference (an ICPC is at council offices). During it: a break. After it: a debrief and an appeal.
    """
    if participant is None or participant.role not in ASKING_ROLES:
        return []
    now = now or utcnow()
    kinds: list[str] = []
    if conference.status == ConferenceStatus.SCHEDULED:
        kinds += [Kind.INTERPRETER, Kind.ACCESS_NEEDS, Kind.SUPPORTER, Kind.ADVOCACY]
        if conference.kind == ConferenceKind.REVIEW and not has_started(conference, now):
            kinds.append(Kind.VENUE)
        if during(conference, now):
            kinds.append(Kind.BREAK)
    elif conference.status == ConferenceStatus.HELD:
        kinds += [Kind.DEBRIEF, Kind.APPEAL]
    return kinds


def during(conference: Conference, now: datetime | None = None) -> bool:
    """True while the conference is on: started, not more than BREAK_WINDOW ago, outcome not recorded."""
    now = now or utcnow()
    start = _as_utc(conference.starts_at)
    return conference.status == ConferenceStatus.SCHEDULED and start <= now <= start + BREAK_WINDOW


def break_watch(conference: Conference, now: datetime | None = None) -> bool:
    """The chair's page polls for breaks from 12 hours before the start until the conference ends, so a page
    opened before the meeting still shows a break asked during it without a reload."""
    now = now or utcnow()
    start = _as_utc(conference.starts_at)
    return conference.status == ConferenceStatus.SCHEDULED and start - timedelta(hours=12) <= now <= start + BREAK_WINDOW


# --- reading ------------------------------------------------------------------------------

def requests_for_conference(conference: Conference, user) -> list[SupportRequest]:
    """The requests of a conference this person may see: their own, or (staff) the family's."""
    query = (select(SupportRequest).options(joinedload(SupportRequest.participant).joinedload(Participant.user))
             .where(SupportRequest.conference_id == conference.id).order_by(SupportRequest.created_at))
    if not sees_case_requests(user, conference):
        participant = participant_for(user, conference.case_id)
        if participant is None:
            return []
        query = query.where(SupportRequest.participant_id == participant.id)
    elif user.role != Role.SQA_MANAGER:
        query = query.where(SupportRequest.kind != Kind.APPEAL.value)
    return list(db.session.scalars(query))


def open_request(conference: Conference, participant: Participant, kind: str) -> SupportRequest | None:
    """This person's request of this kind that is still open (asked, or an offer), if any."""
    return db.session.scalar(
        select(SupportRequest).where(SupportRequest.conference_id == conference.id, SupportRequest.participant_id == participant.id,
                                     SupportRequest.kind == kind,
                                     SupportRequest.status.in_((Status.ASKED, Status.OFFERED, Status.ACCEPTED, Status.DECLINED,
                                                                Status.INSTEAD, Status.IN_REVIEW)))
        .order_by(SupportRequest.id.desc()).limit(1))


def latest_of_kind(conference: Conference, participant: Participant, kind: str) -> SupportRequest | None:
    return db.session.scalar(
        select(SupportRequest).where(SupportRequest.conference_id == conference.id, SupportRequest.participant_id == participant.id,
                                     SupportRequest.kind == kind).order_by(SupportRequest.id.desc()).limit(1))


def requests_of(conference_ids: list[int]) -> list[SupportRequest]:
    """Every request for these conferences, with who asked: one statement for those this request has not read
    yet, kept for the request (the timeline's rules, the conference page and the dashboard's flags all ask).
    A family asks for a handful per conference."""
    def read(ids: list[int]) -> dict[int, tuple[SupportRequest, ...]]:
        found: dict[int, list[SupportRequest]] = {}
        for request in db.session.scalars(select(SupportRequest)
                                          .options(joinedload(SupportRequest.participant).joinedload(Participant.user))
                                          .where(SupportRequest.conference_id.in_(ids)).order_by(SupportRequest.id)):
            found.setdefault(request.conference_id, []).append(request)
        return {conference_id: tuple(requests) for conference_id, requests in found.items()}

    by_conference = remembered_many("support_requests_of", conference_ids, read,
                                    depends_on=(SupportRequest, Participant), missing=())
    return [request for requests in by_conference.values() for request in requests]


def own_request_ids(user, conference: Conference) -> set[int]:
    """The ids of this person's own requests for a conference."""
    return {request.id for request in requests_of([conference.id])
            if request.participant is not None and request.participant.user_id == user.id}


def attendees_seen_by(user, conference: Conference, attendees: list) -> list:
    """The attendee list as this person may see it: an agreed supporter is seen by the chair, the social
    worker, the SQA manager and the parent who asked (the other parent, advocates and other professionals
    do not learn who supports them)."""
    if sees_case_requests(user, conference):
        return attendees
    mine = own_request_ids(user, conference)
    return [a for a in attendees if a.support_request_id is None or a.support_request_id in mine]


def breaks_asked(conference: Conference) -> list[SupportRequest]:
    """Every break asked for in this conference, newest first (the chair's page polls this). From the
    conference's requests, read once per request with who asked."""
    breaks = [request for request in requests_of([conference.id]) if request.kind == Kind.BREAK]
    return sorted(breaks, key=lambda request: (request.created_at, request.id), reverse=True)


def family_of(conference: Conference) -> list[Participant]:
    """The parents and carers of the conference's case (those who can be offered advocacy or an FGC)."""
    return list(db.session.scalars(
        select(Participant).options(joinedload(Participant.user))
        .where(Participant.case_id == conference.case_id, Participant.role.in_(ASKING_ROLES)).order_by(Participant.id)))


def advocates_free_for(conference: Conference, participant_id: int) -> list[Participant]:
    """The case's advocates who may be allocated to this parent: those not acting for anyone else.

    An advocate acts for one person; moving one from the other parent would carry what they saw
    of that parent's drafts across. Source: issue "Support" (an advocate reaches only that parent's things).
    """
    return list(db.session.scalars(
        select(Participant).options(joinedload(Participant.user))
        .where(Participant.case_id == conference.case_id, Participant.role == Role.ADVOCATE.value,
               Participant.advocate_for_child_id.is_(None),
               (Participant.advocate_for_id.is_(None)) | (Participant.advocate_for_id == participant_id))
        .order_by(Participant.id)))


def chosen_venue(request: SupportRequest) -> Venue | None:
    """The listed venue a venue request chose, if it chose one."""
    venue_id = request.details.get("venue_id") if request.kind == Kind.VENUE else None
    return db.session.get(Venue, int(venue_id)) if str(venue_id or "").isdigit() else None


def venue_choices() -> list[Venue]:
    return active_venues()


# --- changing -----------------------------------------------------------------------------

def _change(request: SupportRequest, status: str, by) -> None:
    """Move a request to a status: kept in its history and audited (never the words themselves)."""
    request.status = status
    request.updated_at = utcnow()
    db.session.add(SupportStatusChange(request=request, status=status, changed_by_id=by.id))
    audit.record(f"support.{request.kind}.{status}", actor=by, object_kind="support_request", object_id=request.id,
                 case_id=request.case_id)


def ask(conference: Conference, participant: Participant, by, kind: str, details: dict, key: str | None) -> SupportRequest:
    """A family member asks for something. A double tap (same key) asks once; asking again for a kind
    that is one per person changes the open request instead of making another."""
    if key:
        earlier = db.session.scalar(select(SupportRequest).where(SupportRequest.submission_key == key))
        if earlier is not None:
            return earlier
    existing = open_request(conference, participant, kind) if kind in ONE_OPEN_REQUEST else None
    if existing is not None and (existing.status != Status.ASKED or kind == Kind.APPEAL):
        return existing  # an offer to answer, or something already being worked on: never a second one
    if existing is not None:
        existing.details = details
        existing.updated_at = utcnow()
        audit.record(f"support.{kind}.changed", actor=by, object_kind="support_request", object_id=existing.id,
                     case_id=existing.case_id)
        db.session.commit()
        return existing
    request = SupportRequest(case_id=conference.case_id, conference_id=conference.id, participant_id=participant.id,
                             kind=kind, status=Status.ASKED, details=details, submission_key=key, created_by_id=by.id)
    db.session.add(request)
    db.session.flush()
    _change(request, Status.ASKED, by)
    try:
        db.session.commit()
    except IntegrityError:  # the same key arrived twice at once
        db.session.rollback()
        return db.session.scalar(select(SupportRequest).where(SupportRequest.submission_key == key))
    _tell_owners(request)
    if kind == Kind.APPEAL:
        send_appeal_notice(current_app.config["SQA_EMAIL"], appeal_reference(request))
    return request


def appeal_reference(request: SupportRequest) -> str:
    """The reference the SQA team works an appeal by: says nothing about the family."""
    return f"AP-{request.id:06d}"


def offer(conference: Conference, participant: Participant, by, kind: str, offered_on: date, answer: str | None) -> SupportRequest:
    """The social worker records an offer (advocacy or an FGC) and, if they have it, the family's answer.

    What the family already said (they asked, said yes, or it is arranged) is never undone by recording
    the offer: only its date is added.
    """
    request = latest_of_kind(conference, participant, kind)
    new = request is None or request.status == Status.NOT_AGREED
    if new:
        request = SupportRequest(case_id=conference.case_id, conference_id=conference.id, participant_id=participant.id,
                                 kind=kind, status=Status.OFFERED, details={}, created_by_id=by.id)
        db.session.add(request)
        db.session.flush()
    request.details = {**request.details, "offered_on": offered_on.isoformat()}
    settled = request.status in (Status.ASKED, Status.ACCEPTED, Status.INSTEAD, Status.ARRANGED)
    if new or (not settled and (answer or Status.OFFERED) != request.status):
        _change(request, answer or Status.OFFERED, by)
    else:
        audit.record(f"support.{kind}.offer_recorded", actor=by, object_kind="support_request", object_id=request.id,
                     case_id=request.case_id)
    db.session.commit()
    if new and answer is None:
        send_news(participant.user)
    return request


def offer_answers(conference: Conference, kind: str, *, chair_review: bool) -> list[str]:
    """The answers staff may record with an offer: none yet (the social worker), yes or no, and an FGC instead
    of the ICPC behind its setting. The chair reviewing advocacy records what the parent said, so "none" is not one."""
    answers = ([] if chair_review else [""]) + [Status.ACCEPTED.value, Status.DECLINED.value]
    if kind == Kind.FGC and conference.kind == ConferenceKind.ICPC and fgc_instead_allowed():
        answers.append(Status.INSTEAD.value)
    return answers


def answers_for(request: SupportRequest) -> tuple[str, ...]:
    """What the family may answer to an offer, until the conference starts: yes or no (and, for an FGC behind
    its setting, instead of the ICPC). An arranged advocate can still be given up: the parent may change their mind."""
    conference = request.conference
    if request.kind not in (Kind.ADVOCACY, Kind.FGC) or conference.status != ConferenceStatus.SCHEDULED or has_started(conference):
        return ()
    if request.kind == Kind.ADVOCACY and request.status == Status.ARRANGED:
        return (Status.DECLINED,)
    if request.status not in (Status.OFFERED, Status.ACCEPTED, Status.DECLINED, Status.INSTEAD):
        return ()
    answers = (Status.ACCEPTED, Status.DECLINED)
    if request.kind == Kind.FGC and conference.kind == ConferenceKind.ICPC and fgc_instead_allowed():
        answers += (Status.INSTEAD,)
    return answers


def answer(request: SupportRequest, by, status: str) -> None:
    """The family member answers an offer, or changes their mind, until the conference.

    Giving up an arranged advocate ends the allocation: the advocate no longer reaches the parent's
    drafts or the reports shared with them."""
    if status == request.status:
        return
    if request.kind == Kind.ADVOCACY and request.status == Status.ARRANGED:
        _end_advocate(request, by)
    _change(request, status, by)
    db.session.commit()
    _tell_owners(request)


def _end_advocate(request: SupportRequest, by) -> None:
    for advocate in db.session.scalars(select(Participant).where(Participant.case_id == request.case_id,
                                                                 Participant.advocate_for_id == request.participant_id)):
        advocate.advocate_for_id = None
        remove_helper_from_all(request.participant.user_id, advocate.user_id, by)
        audit.record("participant.advocate_ended", actor=by, object_kind="participant", object_id=advocate.id,
                     case_id=request.case_id)


class AlreadyDecided(Exception):
    """Someone else moved the request on first (two staff deciding at the same moment)."""


def decide(request: SupportRequest, by, status: str, reason: str, details: dict) -> None:
    """The owner moves a request on; the family sees the new status and the reason, and is told in neutral words.

    An agreed supporter joins the attendee list; an agreed venue from the list becomes the conference's venue
    (audited, and the family told); an arranged advocate is allocated to the parent (and so reaches that
    parent's drafts and shared reports), only if they act for nobody else. The status moves only from the
    one the decider saw, so two decisions at once make one.
    """
    from sqlalchemy import update

    before = request.status
    moved = db.session.execute(update(SupportRequest).where(SupportRequest.id == request.id, SupportRequest.status == before)
                               .values(status=status, updated_at=utcnow())).rowcount
    if not moved:
        db.session.rollback()
        raise AlreadyDecided
    request.details = {**request.details, **details}
    request.reason = reason or None
    db.session.add(SupportStatusChange(request_id=request.id, status=status, changed_by_id=by.id))
    audit.record(f"support.{request.kind}.{status}", actor=by, object_kind="support_request", object_id=request.id,
                 case_id=request.case_id)
    if request.kind == Kind.SUPPORTER and status == Status.AGREED:
        db.session.add(Attendee(conference_id=request.conference_id, name=request.details.get("name"),
                                role=request.details.get("relationship"), agency=None, support_request_id=request.id))
    changed_venue = False
    if request.kind == Kind.VENUE and status == Status.AGREED and request.details.get("venue_id"):
        venue = db.session.get(Venue, int(request.details["venue_id"]))
        if venue is not None and venue.active and request.conference.venue_id != venue.id:
            request.conference.venue_id = venue.id
            changed_venue = True
            audit.record("conference.venue_changed", actor=by, object_kind="conference", object_id=request.conference_id,
                         case_id=request.case_id)
    if request.kind == Kind.ADVOCACY and status == Status.ARRANGED and details.get("advocate_participant_id"):
        advocate = db.session.get(Participant, int(details["advocate_participant_id"]))
        free = {p.id for p in advocates_free_for(request.conference, request.participant_id)}
        if advocate is None or advocate.id not in free:
            db.session.rollback()
            raise AlreadyDecided
        advocate.advocate_for_id = request.participant_id
        request.details = {**request.details, "advocate_name": advocate.user.name}
        audit.record("participant.advocate_allocated", actor=by, object_kind="participant", object_id=advocate.id,
                     case_id=request.case_id)
    db.session.commit()
    request.status = status
    if changed_venue:
        # Every family member learns there is news (it is where the meeting is), once per new venue.
        send_event(f"venue-{request.conference.venue_id}", request.conference)
    elif request.kind != Kind.BREAK:
        send_news(request.participant.user)


def chair_review_advocacy(conference: Conference, participant: Participant, by, on: date, accepted: bool) -> SupportRequest:
    """The chair records talking advocacy through with a parent who had not taken it up (or had not been
    offered it), and their answer. Source: practice guide ("The conference chair will review this with
    parents prior to the conference if it was not taken up when offered by the social worker")."""
    request = latest_of_kind(conference, participant, Kind.ADVOCACY)
    if request is None or request.status == Status.NOT_AGREED:
        request = SupportRequest(case_id=conference.case_id, conference_id=conference.id, participant_id=participant.id,
                                 kind=Kind.ADVOCACY, status=Status.OFFERED, details={}, created_by_id=by.id)
        db.session.add(request)
        db.session.flush()
    request.details = {**request.details, "chair_reviewed_on": on.isoformat()}
    if request.status in (Status.ASKED, Status.ARRANGED):  # what the parent asked for, or what is arranged, stands
        audit.record("support.advocacy.chair_reviewed", actor=by, object_kind="support_request", object_id=request.id,
                     case_id=request.case_id)
    else:
        _change(request, Status.ACCEPTED if accepted else Status.DECLINED, by)
    db.session.commit()
    if accepted:
        _tell_owners(request)
    return request


def _tell_owners(request: SupportRequest) -> None:
    """A neutral message to whoever decides, so nothing waits unseen (a break is shown live instead)."""
    if request.kind in (Kind.BREAK, Kind.APPEAL):
        return
    conference = request.conference
    owners = []
    if request.kind in (Kind.SUPPORTER, Kind.VENUE, Kind.ACCESS_NEEDS) or request.details.get("with") == "chair":
        owners.append(conference.chair)
    if request.kind in (Kind.INTERPRETER, Kind.ADVOCACY, Kind.FGC) or request.details.get("with") == "social_worker":
        owners += list(db.session.scalars(
            select(Participant).options(joinedload(Participant.user))
            .where(Participant.case_id == request.case_id, Participant.role == Role.SOCIAL_WORKER.value)))
    for owner in owners:
        send_news(getattr(owner, "user", owner))


# --- dashboards ---------------------------------------------------------------------------

OPEN_STATUSES = (Status.ASKED, Status.ACCEPTED, Status.INSTEAD, Status.IN_REVIEW)


def waiting_for(user) -> list[SupportRequest]:
    """Requests waiting for this member of staff to act, oldest first (one query)."""
    query = (select(SupportRequest)
             .options(joinedload(SupportRequest.conference).joinedload(Conference.case),
                      joinedload(SupportRequest.participant).joinedload(Participant.user))
             .where(SupportRequest.status.in_(OPEN_STATUSES)).order_by(SupportRequest.created_at).limit(200))
    if user.role == Role.SQA_MANAGER:
        query = query.where(SupportRequest.kind == Kind.APPEAL.value)
    elif user.role in (Role.CHAIR, Role.SOCIAL_WORKER):
        cases = select(Participant.case_id).where(Participant.user_id == user.id, Participant.role == user.role)
        query = query.join(Conference, Conference.id == SupportRequest.conference_id).where(
            SupportRequest.kind != Kind.APPEAL.value, SupportRequest.case_id.in_(cases),
            Conference.status != ConferenceStatus.CANCELLED.value)
    else:
        return []
    # Each request left is of a case where the chair or social worker has that role (the query above says so).
    case_role = str(user.role) if user.role in (Role.CHAIR, Role.SOCIAL_WORKER) else ""
    return [request for request in db.session.scalars(query).unique() if can_decide(user, request, case_role)]


@dataclass
class ConferenceFlags:
    """What the chair must act on before a conference, from the family's support."""

    interpreters_to_arrange: int = 0
    advocacy_to_review: list[str] = field(default_factory=list)
    requests_waiting: int = 0


def flags_for(conferences: list[Conference]) -> dict[int, ConferenceFlags]:
    """Per conference: interpreters asked for and not arranged; parents who have not taken up advocacy
    and whom the chair has not yet talked it through with; requests waiting. Two queries in all."""
    flags = {conference.id: ConferenceFlags() for conference in conferences}
    if not flags:
        return flags
    by_case: dict[int, list[int]] = {}
    for conference in conferences:
        by_case.setdefault(conference.case_id, []).append(conference.id)
    requests = requests_of(list(flags))
    advocacy_settled = set()
    for request in requests:
        row = flags[request.conference_id]
        if request.kind == Kind.INTERPRETER and request.status == Status.ASKED:
            row.interpreters_to_arrange += 1
        if request.status in OPEN_STATUSES and request.kind != Kind.APPEAL:
            row.requests_waiting += 1
        if request.kind == Kind.ADVOCACY and (request.status in (Status.ASKED, Status.ACCEPTED, Status.ARRANGED)
                                              or request.details.get("chair_reviewed_on")):
            advocacy_settled.add((request.conference_id, request.participant_id))
    for participant in db.session.scalars(
            select(Participant).options(joinedload(Participant.user))
            .where(Participant.case_id.in_(by_case), Participant.role.in_(ASKING_ROLES)).order_by(Participant.id)):
        for conference_id in by_case[participant.case_id]:
            if (conference_id, participant.id) not in advocacy_settled:
                flags[conference_id].advocacy_to_review.append(participant.user.name)
    return flags


def requests_waiting(conference: Conference) -> int:
    """How many of the family's requests for this conference wait for staff to act (as flags_for counts them)."""
    return sum(1 for request in requests_of([conference.id])
               if request.status in OPEN_STATUSES and request.kind != Kind.APPEAL)


def fgc_offered_on_for(conferences: list[Conference]) -> dict[int, date]:
    """For each conference, the day an FGC was first offered to the family, where it was (one query for all)."""
    if not conferences:
        return {}
    offered: dict[int, date] = {}
    for request in requests_of([c.id for c in conferences]):
        if request.kind == Kind.FGC and request.details.get("offered_on"):
            day = date.fromisoformat(request.details["offered_on"])
            offered[request.conference_id] = min(day, offered.get(request.conference_id, day))
    return offered


def fgc_family_plans(case_id: int) -> list[SupportRequest]:
    """FGCs that took place, whose family plan is to be brought into the child protection plan (issue "Plans")."""
    return list(db.session.scalars(
        select(SupportRequest).where(SupportRequest.case_id == case_id, SupportRequest.kind == Kind.FGC.value,
                                     SupportRequest.status == Status.ARRANGED.value)
        .order_by(SupportRequest.updated_at)))
