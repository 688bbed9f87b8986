"""The rules of the child protection plan, the family's say on it, and the midway review.

Sources: practice guide, "What will happen during the conference?" ("Actions on the plan should
specifically address the impact of harm on the child and not their general wellbeing"; "Parents and
carers are able to choose which services they feel would be most beneficial"; "as far as possible
parents/carers are on board with the plan"; "If an FGC has taken place, the plan created by the family
network should be incorporated") and "What happens after the conference?" ("A midway review will take
place 6 weeks post conference"); Working Together 2023 (review conferences); issue "After the conference".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timezone
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit, timeline
from portal.access import participant_for
from portal.cases.conferences import Decision, Kind, Status, conference_day, conference_fact, conference_fact_of, \
    conference_fact_of_many, conferences_of, has_started, latest_held, starts_after
from portal.cases.models import Conference, Participant
from portal.db import db, utcnow
from portal.plans.models import ActionResponse, MidwayReview, PlanAction, Service
from portal.request_memo import remember, remembered
from portal.roles import Role
from portal.support.services import fgc_family_plans

# Who writes the plan: the conference's chair, and the case's social worker (DESIGN.md, Who uses it).
WRITERS = (Role.CHAIR.value, Role.SOCIAL_WORKER.value)
# Who has their say on each action and chooses services: the parents and carers (practice guide).
FAMILY_SAY_ROLES = (Role.PARENT.value, Role.CARER.value)
# Staff who read the plan: those who work the case (professionals are often named in it).
STAFF_READERS = (Role.CHAIR.value, Role.SOCIAL_WORKER.value, Role.PROFESSIONAL.value)


class Agreement(StrEnum):
    AGREE = "agree"
    AGREE_WITH_CHANGE = "agree_with_change"
    DISAGREE = "disagree"


class Progress(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    STUCK = "stuck"


# The one value of the service question that is not a service: none of them fits.
NO_SERVICE_FITS = "none"


# --- whose plan, and who may do what --------------------------------------------------------

def is_plan(conference: Conference) -> bool:
    """The family sees a plan once the conference was held and decided on a child protection plan."""
    return conference.status == Status.HELD and conference.decision == Decision.PLAN


def may_write(user, conference: Conference) -> bool:
    """The chair and the social worker record actions during the conference (once it has started) and after
    it, unless it was cancelled or decided that no plan is needed."""
    if conference.status == Status.CANCELLED or (conference.status == Status.HELD and not is_current(conference)):
        return False
    if conference.status == Status.SCHEDULED and not has_started(conference):
        return False
    participant = participant_for(user, conference.case_id)
    if participant is None or participant.role not in WRITERS:
        return False
    return participant.role == Role.SOCIAL_WORKER or conference.chair_id == user.id


def may_read(user, conference: Conference) -> bool:
    """Who reads a conference's plan: the staff who work the case and the SQA manager (while it is being
    written too); the parents, carers and a parent's advocate once it is a plan."""
    if user.role == Role.SQA_MANAGER:
        return conference.status != Status.CANCELLED
    participant = participant_for(user, conference.case_id)
    if participant is None:
        return False
    if participant.role in STAFF_READERS:
        return may_write(user, conference) or is_plan(conference) or has_actions(conference)
    if participant.role in FAMILY_SAY_ROLES:
        return is_plan(conference)
    if participant.role == Role.ADVOCATE.value and participant.advocate_for_id is not None and is_plan(conference):
        helped = participant.advocate_for
        return helped is not None and helped.role in FAMILY_SAY_ROLES
    return False


def may_read_say(user, conference: Conference) -> bool:
    """Who reads the family's say on each action, with names: the conference's chair, the case's social worker
    and the SQA manager (what the parent is told). Not other professionals, and not the other parent."""
    if user.role == Role.SQA_MANAGER:
        return True
    participant = participant_for(user, conference.case_id)
    return participant is not None and (participant.role == Role.SOCIAL_WORKER.value
                                        or (participant.role == Role.CHAIR.value and conference.chair_id == user.id))


def may_have_say(user, conference: Conference) -> Participant | None:
    """The parent or carer whose say it is, on a plan that has been made; else None."""
    participant = participant_for(user, conference.case_id)
    if participant is None or participant.role not in FAMILY_SAY_ROLES or not is_current(conference):
        return None
    return participant


def may_record_midway(user, conference: Conference) -> bool:
    """The social worker records progress on each action at the midway review (practice guide)."""
    participant = participant_for(user, conference.case_id)
    return participant is not None and participant.role == Role.SOCIAL_WORKER.value and is_current(conference)


def current_plan_conference(case_id: int) -> Conference | None:
    """The conference whose plan is the family's plan now: the latest one held, if it decided on a plan
    (a later conference that decided no plan is needed ends the plan)."""
    latest = latest_held(case_id)
    return latest if latest is not None and is_plan(latest) else None


def is_current(conference: Conference) -> bool:
    """A held plan stays open for the family's say, new actions and the midway review until a later conference is held."""
    current = current_plan_conference(conference.case_id)
    return current is not None and current.id == conference.id


# --- actions -----------------------------------------------------------------------------------

def has_actions(conference: Conference) -> bool:
    """Whether the plan has any action (read with the conference; else from its actions)."""
    return conference_fact_of("plan_has_actions", conference, None, lambda: bool(actions_of(conference)))


def actions_of(conference: Conference) -> list[PlanAction]:
    """The plan's actions, soonest due first (read once per request: the access check and the page both ask)."""
    return list(remembered("plan_actions", conference.id, lambda: list(db.session.scalars(
        select(PlanAction).where(PlanAction.conference_id == conference.id).order_by(PlanAction.due_on, PlanAction.id))),
        depends_on=(PlanAction,)))


def get_action(conference: Conference, action_id: int) -> PlanAction | None:
    action = db.session.get(PlanAction, action_id)
    return action if action is not None and action.conference_id == conference.id else None


def add_action(conference: Conference, by, *, impact: str, action: str, by_whom: str, due_on: date) -> PlanAction:
    """Add an action. The impact on the child is required: an action without one is refused by the form
    (practice guide: actions address the impact of harm on the child, not general wellbeing)."""
    row = PlanAction(case_id=conference.case_id, conference_id=conference.id, impact=impact.strip(), action=action.strip(),
                     by_whom=by_whom.strip(), due_on=due_on, created_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    audit.record("plan.action_add", actor=by, object_kind="plan_action", object_id=row.id, case_id=conference.case_id)
    db.session.commit()
    return row


def change_action(row: PlanAction, by, *, impact: str, action: str, by_whom: str, due_on: date) -> None:
    """Change an action's words. Answers the family gave before then are kept, and shown as given to the old words."""
    new = (impact.strip(), action.strip(), by_whom.strip(), due_on)
    if new == (row.impact, row.action, row.by_whom, row.due_on):
        return
    row.impact, row.action, row.by_whom, row.due_on = new
    row.changed_at = utcnow()
    audit.record("plan.action_change", actor=by, object_kind="plan_action", object_id=row.id, case_id=row.case_id)
    db.session.commit()


def remove_action(row: PlanAction, by) -> bool:
    """Take an action off the plan, only while no one in the family has had their say on it (their words stay)."""
    if has_answers(row):
        return False
    audit.record("plan.action_remove", actor=by, object_kind="plan_action", object_id=row.id, case_id=row.case_id)
    db.session.delete(row)
    db.session.commit()
    return True


def has_answers(row: PlanAction) -> bool:
    return db.session.scalar(select(ActionResponse.id).where(ActionResponse.action_id == row.id).limit(1)) is not None


# --- the family's say -------------------------------------------------------------------------

def response_of(row: PlanAction, participant: Participant) -> ActionResponse | None:
    return db.session.scalar(select(ActionResponse).where(ActionResponse.action_id == row.id,
                                                          ActionResponse.participant_id == participant.id))


def responses_by_action(conference: Conference, participant: Participant | None = None) -> dict[int, list[ActionResponse]]:
    """Every answer on the conference's actions (one person's only, when given), in one query."""
    query = select(ActionResponse).join(PlanAction, ActionResponse.action_id == PlanAction.id) \
        .options(joinedload(ActionResponse.participant).joinedload(Participant.user), joinedload(ActionResponse.service)) \
        .where(PlanAction.conference_id == conference.id).order_by(ActionResponse.id)
    if participant is not None:
        query = query.where(ActionResponse.participant_id == participant.id)
    found: dict[int, list[ActionResponse]] = {}
    for response in db.session.scalars(query):
        found.setdefault(response.action_id, []).append(response)
    return found


def is_out_of_date(row: PlanAction, response: ActionResponse) -> bool:
    """The action's words changed after this answer was given."""
    return _utc(row.changed_at) > _utc(response.updated_at)


def have_say(row: PlanAction, participant: Participant, by, *, agreement: str, comment: str, service: str | None,
             no_service_why: str) -> ActionResponse:
    """Save one person's say on one action (a second save changes their answer). Their words are kept as typed.
    Two saves at once (a double tap on a slow phone) end as one answer, the later one."""
    for attempt in range(2):
        response = response_of(row, participant)
        if response is None:
            response = ActionResponse(action_id=row.id, participant_id=participant.id)
            db.session.add(response)
        response.agreement = agreement
        response.comment = comment.strip() or None
        response.service_id = int(service) if service and service != NO_SERVICE_FITS else None
        response.no_service_why = (no_service_why.strip() or None) if service == NO_SERVICE_FITS else None
        response.updated_at = utcnow()
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
            continue
        break
    audit.record("plan.family_say", actor=by, object_kind="plan_action", object_id=row.id, case_id=row.case_id)
    db.session.commit()
    return response


def say_progress(conference: Conference, participant: Participant) -> tuple[int, int]:
    """say_status of one person on the plan's actions, with the actions and their answers read in one statement
    (the family's home page asks; the actions are kept for the request, as actions_of reads them)."""
    rows = db.session.execute(
        select(PlanAction, ActionResponse)
        .outerjoin(ActionResponse, (ActionResponse.action_id == PlanAction.id) & (ActionResponse.participant_id == participant.id))
        .where(PlanAction.conference_id == conference.id).order_by(PlanAction.due_on, PlanAction.id, ActionResponse.id)).all()
    actions: list[PlanAction] = []
    mine: dict[int, list[ActionResponse]] = {}
    for action, response in rows:
        if not actions or actions[-1].id != action.id:
            actions.append(action)
        if response is not None:
            mine.setdefault(action.id, []).append(response)
    remember("plan_actions", conference.id, list(actions), depends_on=(PlanAction,))
    return say_status(actions, mine)


def say_status(actions: list[PlanAction], mine: dict[int, list[ActionResponse]]) -> tuple[int, int]:
    """(actions the person has had their say on, up to date; all actions)."""
    answered = sum(1 for row in actions if mine.get(row.id) and not is_out_of_date(row, mine[row.id][0]))
    return answered, len(actions)


# --- the services directory --------------------------------------------------------------------

def active_services() -> list[Service]:
    return list(db.session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name)))


def all_services() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.active.desc(), Service.name)))


def save_service(service: Service | None, by, **fields) -> Service:
    """Add a service to the directory or change one (the SQA manager keeps it)."""
    if service is None:
        service = Service()
        db.session.add(service)
    for name, value in fields.items():
        setattr(service, name, value.strip() if isinstance(value, str) else value)
    service.updated_at = utcnow()
    db.session.flush()
    audit.record("service.save", actor=by, object_kind="service", object_id=service.id)
    db.session.commit()
    return service


# --- the FGC family plan --------------------------------------------------------------------

@dataclass(frozen=True)
class FamilyPlan:
    """The plan a family group conference made, brought into the child protection plan as the family's own section."""

    text: str
    agreed_on: date


def family_plans(conference: Conference) -> list[FamilyPlan]:
    """The family plans of the FGCs that took place for the case up to this conference, meant for the child
    protection plan, through the support feature's services."""
    return [FamilyPlan(request.details.get("family_plan", ""), timeline.london_date(request.updated_at))
            for request in fgc_family_plans(conference.case_id)
            if request.details.get("family_plan") and request.details.get("for_plan")
            and request.conference is not None and request.conference.starts_at <= conference.starts_at]


# --- the midway review ---------------------------------------------------------------------------

def midway_due_on(conference: Conference) -> date:
    """6 weeks after the conference (timeline.midway_review_on)."""
    return timeline.midway_review_on(conference_day(conference))


def midway_review_of(conference: Conference) -> MidwayReview | None:
    return db.session.scalar(select(MidwayReview).where(MidwayReview.conference_id == conference.id))


def midway_held_on_for(conferences: list[Conference]) -> dict[int, date]:
    """When each conference's midway review took place, where recorded (read with the conferences, else one
    statement for those this request has not read yet)."""
    if not conferences:
        return {}
    found = conference_fact_of_many("midway_held_on", [c.id for c in conferences], lambda ids: dict(db.session.execute(
        select(MidwayReview.conference_id, MidwayReview.held_on).where(MidwayReview.conference_id.in_(ids))).all()))
    return {conference_id: held_on for conference_id, held_on in found.items() if held_on is not None}


def record_midway(conference: Conference, by, held_on: date, progress: dict[int, tuple[str, str]]) -> None:
    """The social worker records the midway review: progress on each action (done, on track, stuck) and a sentence."""
    now = utcnow()
    for row in actions_of(conference):
        if row.id in progress:
            row.progress, note = progress[row.id]
            row.progress_note = note.strip() or None
            row.progress_at = now
    review = midway_review_of(conference)
    if review is None:
        review = MidwayReview(conference_id=conference.id, held_on=held_on, recorded_by_id=by.id)
        db.session.add(review)
    review.held_on, review.recorded_by_id, review.recorded_at = held_on, by.id, now
    try:
        db.session.flush()
    except IntegrityError:  # recorded at the same moment by another tap: this one's words win
        db.session.rollback()
        return record_midway(conference, by, held_on, progress)
    audit.record("plan.midway_review", actor=by, object_kind="conference", object_id=conference.id, case_id=conference.case_id)
    db.session.commit()


@dataclass(frozen=True)
class ReviewConference:
    """When the next review conference must be held by, and the one booked (if any)."""

    due_by: date
    booked: Conference | None

    @property
    def booked_late(self) -> bool:
        return self.booked is not None and conference_day(self.booked) > self.due_by


def review_conference(conference: Conference) -> ReviewConference:
    """The review conference after this one: within 3 months of an initial conference, then at most every 6
    months (Working Together 2023), and the review booked after it."""
    day = conference_day(conference)
    # An initial or an extra-familial risk conference is followed by a first review; a review by the next one.
    due_by = timeline.next_review_by(day) if conference.kind == Kind.REVIEW else timeline.first_review_by(day)
    booked = next((c for c in conferences_of(conference.case_id) if c.kind == Kind.REVIEW
                   and c.status != Status.CANCELLED and starts_after(c, conference)), None)
    return ReviewConference(due_by, booked)


def record_read(user, conference: Conference) -> None:
    """Every read of a plan writes an audit event (DESIGN.md, Access and safety)."""
    audit.record_read("plan.read", actor=user, object_kind="conference", object_id=conference.id,
                      case_id=conference.case_id)


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# Read with a page's conferences (cases.conferences.with_conference_facts): no statement of their own.
conference_fact("midway_held_on", lambda user: select(MidwayReview.held_on).where(MidwayReview.conference_id == Conference.id)
                .correlate(Conference).scalar_subquery(), depends_on=(MidwayReview,))
conference_fact("plan_has_actions", lambda user: select(PlanAction.id).where(PlanAction.conference_id == Conference.id)
                .correlate(Conference).exists(), depends_on=(PlanAction,))
