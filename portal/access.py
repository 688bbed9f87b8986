"""The one access policy: who may use each route and reach each object.

Every view declares its policy: @public, or @signed_in(roles...). A test walks
app.url_map and fails on any endpoint without one (DESIGN.md, Access and safety).
Objects are reached only through the get_*_for(user, ...) helpers here: they return
the object or abort 404 (never 403, so nobody learns that it exists), and audit the read.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from portal import audit
from portal.roles import ALL_ROLES, CASE_STAFF_ROLES, FAMILY_ROLES, Role
from portal.db import db
from portal.request_memo import remember, remembered

F = TypeVar("F", bound=Callable)

PUBLIC = "public"

# Endpoints that Flask itself adds: the built, content-hashed assets are public files.
FRAMEWORK_PUBLIC_ENDPOINTS = frozenset({"static"})


def public(view: F) -> F:
    """Declare that anyone may use this route, signed in or not. It must show no case content."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(*roles: Role, before_mfa: bool = False) -> Callable[[F], F]:
    """Declare (and enforce) that only signed-in people with one of these roles may use the route.

    Signed out: sent to sign in, then back. Another role: 404. Staff who must give an
    MFA code are sent to do so first, unless the route is part of that step (before_mfa).
    """
    allowed = frozenset(roles) or ALL_ROLES

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.headers.get("HX-Request"):
                    # A request from a page's script (an autosave): no sign-in page swapped into the
                    # page; the script says the words are not saved.
                    return "", 401
                return redirect(url_for("auth.sign_in", next=request.path))
            if current_user.role not in allowed:
                abort(404)
            if not before_mfa:
                from portal.auth.mfa import mfa_pending

                if mfa_pending(current_user):
                    endpoint = "auth.mfa_check" if current_user.mfa_secret else "auth.mfa_set_up"
                    return redirect(url_for(endpoint))
            return view(*args, **kwargs)

        guarded.access_policy = ("signed_in", allowed)  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator


def policy_of(view: Callable | None) -> object | None:
    """The access declaration carried by a view function, or None when it has none."""
    return getattr(view, "access_policy", None)


# --- cases --------------------------------------------------------------------------------

def participant_for(user, case_id: int):
    """The user's Participant row in a case, or None. Several parts of one page ask, so it is read once per
    request (portal.request_memo)."""
    from portal.cases.models import Participant

    return remembered("participant_for", (user.id, case_id), lambda: db.session.scalar(
        select(Participant).where(Participant.case_id == case_id, Participant.user_id == user.id)),
        depends_on=(Participant,))


def _case_with_participant(user, reference: str):
    """The case with this reference and the user's place in it, read in one statement (the place is then
    remembered for participant_for), with the case's conferences (kept for conferences_of: nearly every case
    page shows one of them). Nothing read is shown before the caller's check."""
    from portal.cases.conferences import keep_conferences, with_conferences
    from portal.cases.models import Case, Participant

    rows = keep_conferences(db.session.execute(with_conferences(
        select(Case, Participant).options(joinedload(Participant.advocate_for))  # whom an advocate speaks for
        .outerjoin(Participant, (Participant.case_id == Case.id) & (Participant.user_id == user.id))
        .where(Case.reference == (reference or "").upper()), user)), user)
    if not rows:
        return None
    case, participant = rows[0]
    remember_participant(user, case.id, participant)
    return case


def remember_participant(user, case_id: int, participant) -> None:
    """Keep the user's place in a case, read in the same statement as the case, for participant_for."""
    from portal.cases.models import Participant

    remember("participant_for", (user.id, case_id), participant, depends_on=(Participant,))


def can_reach_case(user, case) -> bool:
    """Who reaches a case: its participants (family, advocate, allocated staff) and the SQA manager.

    The admin never reaches case content. Source: DESIGN.md, Access and safety.
    """
    if not getattr(user, "is_authenticated", False) or case is None:
        return False
    if user.role == Role.SQA_MANAGER:
        return True
    if user.role not in FAMILY_ROLES | CASE_STAFF_ROLES:
        return False
    return participant_for(user, case.id) is not None


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


def can_see_contact_details(viewer, participant) -> bool:
    """Contact details (email, mobile, address) are for the person themselves and case staff only.

    Family members never see each other's, so a parent who is a risk to the other never
    learns where they live. Source: DESIGN.md, Domain (Participant) and Access and safety.
    """
    if viewer.id == participant.user_id:
        return True
    return viewer.role in CASE_STAFF_ROLES - {Role.ADVOCATE} | {Role.SQA_MANAGER}


def can_invite_to_case(user, case) -> bool:
    """The allocated social worker and the case's chair invite people to it."""
    participant = participant_for(user, case.id)
    return participant is not None and participant.role in (Role.SOCIAL_WORKER, Role.CHAIR)


def can_schedule_conference(user, case) -> bool:
    """The allocated social worker schedules conferences (DESIGN.md, Who uses it)."""
    participant = participant_for(user, case.id)
    return participant is not None and participant.role == Role.SOCIAL_WORKER


def can_manage_conference(user, case) -> bool:
    """The allocated social worker and the case's chair change or cancel a conference."""
    return can_invite_to_case(user, case)



def get_report_for(user, case, report_id: int):
    """A report of this (already authorised) case if the user may read it, else 404.

    Its author always; a draft, nobody else. A submitted report: the case's staff and the SQA
    manager; a family member only when it was shared with them (never because another
    parent received it). Source: DESIGN.md, Access and safety; issue "Reports".
    """
    from sqlalchemy import func

    from portal.reports.models import Report, ReportVersion
    from portal.reports.services import keep_latest_version, keep_shared_with, shared_with_user_column

    # The report, its author, its conference, its current words and whether it was shared with this person, in
    # one statement.
    other = aliased(ReportVersion)
    latest = select(func.max(other.number)).where(other.report_id == Report.id).correlate(Report).scalar_subquery()
    row = db.session.execute(
        select(Report, ReportVersion, shared_with_user_column(user))
        .options(joinedload(Report.author), joinedload(Report.conference))
        .outerjoin(ReportVersion, (ReportVersion.report_id == Report.id) & (ReportVersion.number == latest))
        .where(Report.id == report_id)).first()
    report = row[0] if row is not None else None
    if report is not None:
        keep_shared_with(report, user, row[2])
    if report is None or report.case_id != case.id or not can_read_report(user, report):
        abort(404)
    keep_latest_version(report, row[1])
    return report


def can_read_report(user, report) -> bool:
    """See get_report_for and readable_reports."""
    return bool(readable_reports(user, [report]))


def readable_reports(user, reports) -> list:
    """The reports (of any cases) this person may read, in the order given. A parent's own views: the parent and
    the advocate they invited (draft too); once sent, the chair, the social worker, the SQA manager and whoever the
    parent chose. A professional report, once submitted: the staff of its case, the SQA manager, the family members
    it was shared with, and an advocate when it was shared with a parent they are allocated to.

    Each fact is read once for all the reports (a conference's list costs what one report does)."""
    from portal.reports.family_views import kept_from_author
    from portal.reports.services import helped_report_ids, report_ids_shared_with, report_ids_shared_with_advocated

    reports = list(reports)
    ids = [report.id for report in reports]
    facts: dict = {}

    def fact(key, read):
        if key not in facts:
            facts[key] = read()
        return facts[key]

    def participant(case_id):
        return fact(("participant", case_id), lambda: participant_for(user, case_id))

    def shared_with_me():
        return fact("shared", lambda: report_ids_shared_with(ids, [user.id]))

    def may_read(report) -> bool:
        if report.author_id == user.id:
            return True
        if report.kind == "family_views":
            if report.status != "submitted":
                # An invited advocate helps with the draft; after sending, only if chosen.
                return report.id in fact("helped", lambda: helped_report_ids(ids, user))
            if user.role == Role.SQA_MANAGER:
                return True
            own = participant(report.case_id)
            if own is not None and own.role in (Role.CHAIR.value, Role.SOCIAL_WORKER.value):
                return True
            # Chosen by the parent, and not (since) named by a contact restriction protecting the parent.
            return own is not None and report.id in shared_with_me() and own.id not in kept_from_author(report)
        if report.status != "submitted":
            return False
        if user.role == Role.SQA_MANAGER or (user.role in CASE_STAFF_ROLES - {Role.ADVOCATE} and participant(report.case_id)):
            return True
        if user.role == Role.ADVOCATE and participant(report.case_id):
            return report.id in fact(("shared with the one advocated", report.case_id),
                                     lambda: report_ids_shared_with_advocated(ids, user, report.case_id))
        return user.role in FAMILY_ROLES and report.id in shared_with_me()

    return [report for report in reports if may_read(report)]


def is_staff_reader(user) -> bool:
    """Staff who work the case (not advocates: they act for one person) and the SQA manager.

    They see who has read a report, everyone's requests for help, and earlier versions.
    """
    return user.role in (Role.SOCIAL_WORKER, Role.PROFESSIONAL, Role.CHAIR, Role.SQA_MANAGER)


def can_see_versions(user, report) -> bool:
    """Earlier versions of a (readable) professional report: its author and the staff who read it.

    A parent's views: only the parent and their invited advocate, and only while it is a draft,
    so words the parent took out before sending are never read by anyone else.
    """
    from portal.reports.services import is_helper

    if report.kind == "family_views":
        return report.status == "draft" and (report.author_id == user.id or is_helper(report, user))
    return report.author_id == user.id or is_staff_reader(user)


def get_views_draft_for(user, case, report_id: int):
    """A parent's views draft, for the parent or an advocate they invited to it; else 404."""
    from portal.reports.services import is_helper

    report = get_report_for(user, case, report_id)
    if report.kind != "family_views" or report.status != "draft":
        abort(404)
    if report.author_id != user.id and not is_helper(report, user):
        abort(404)
    return report


def get_thread_for(user, report, comment_id: int):
    """The first comment of a discussion thread on this (already readable) report, if the user is in it; else 404.

    A thread is the family member's who started it, the author's, the chair's and the social worker's.
    """
    from portal.reports.discussion import sees_every_thread
    from portal.reports.models import Comment

    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.report_id != report.id or comment.parent_id is not None:
        abort(404)
    if comment.thread_owner_id != user.id and not sees_every_thread(user, report):
        abort(404)
    return comment


# --- support requests ---------------------------------------------------------------------

def get_support_request_for(user, case, request_id: int):
    """A support request of this (already authorised) case if the user may see it, else 404.

    The family member it is for; the chair and the social worker (not appeals); the SQA manager.
    Never the other parent, an advocate or another professional. Every read is audited.
    """
    from portal.cases.models import Participant
    from portal.support.models import SupportRequest
    from portal.support.services import can_see

    # What the page shows of it (who it is for, the conference, its history) comes in the same statement.
    request_row = db.session.get(SupportRequest, request_id, options=(
        joinedload(SupportRequest.participant).joinedload(Participant.user), joinedload(SupportRequest.conference),
        joinedload(SupportRequest.changes)))
    if request_row is None or request_row.case_id != case.id or not can_see(user, request_row):
        abort(404)
    audit.record_read("support.read", actor=user, object_kind="support_request", object_id=request_row.id,
                      case_id=case.id, outcome="success" if user.role != Role.SQA_MANAGER else "sqa_access")
    return request_row


# --- young people -------------------------------------------------------------------------

def get_child_for(case, child_id: int):
    """A child of this (already authorised) case, else 404. What the person may do with them is the
    feature's rule (portal/wishes/services.py)."""
    from portal.cases.models import Child

    child = db.session.get(Child, child_id)
    if child is None or child.case_id != case.id:
        abort(404)
    return child


def get_child_and_wishes_for(case, conference, child_id: int):
    """get_child_for, with the child's wishes for this conference (None before they start) read in the same
    statement. Whether the person may see them is the feature's rule (wishes.services.visible_parts)."""
    from portal.cases.models import Child
    from portal.wishes.models import Wishes

    row = db.session.execute(
        select(Child, Wishes)
        .outerjoin(Wishes, (Wishes.child_id == Child.id) & (Wishes.conference_id == conference.id))
        .where(Child.id == child_id, Child.case_id == case.id)).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def get_wishes_for(user, case, wishes_id: int):
    """A child's wishes and feelings of this (already authorised) case, with the parts this person may see;
    404 when they may see none. A young person's hidden part is never loaded into a page for anyone
    else (wishes.services.visible_parts). Every read is audited."""
    from portal.wishes.models import Wishes
    from portal.wishes.services import record_read, visible_parts

    wishes = db.session.get(Wishes, wishes_id, options=(joinedload(Wishes.child), joinedload(Wishes.conference)))
    parts = visible_parts(user, wishes) if wishes is not None and wishes.case_id == case.id else frozenset()
    if not parts:
        abort(404)
    record_read(user, wishes)
    return wishes, parts


def get_plan_for(user, case, conference_id: int):
    """A conference of this (already authorised) case whose plan the user may read, else 404.

    The case's chair, social worker and professionals, and the SQA manager; the parents, carers and a
    parent's advocate once the conference decided on a plan (plans.services.may_read). Every read is audited.
    """
    from portal.cases.conferences import get_conference_for
    from portal.plans.services import may_read, record_read

    conference = get_conference_for(case, conference_id)
    if not may_read(user, conference):
        abort(404)
    record_read(user, conference)
    return conference


def get_plan_action_for(user, case, action_id: int):
    """An action of a plan of this case that the user may read, with its conference; else 404."""
    from portal.cases.conferences import get_conference_for
    from portal.plans.models import PlanAction
    from portal.plans.services import may_read, record_read

    action = db.session.get(PlanAction, action_id)
    if action is None or action.case_id != case.id:
        abort(404)
    conference = get_conference_for(case, action.conference_id)
    if not may_read(user, conference):
        abort(404)
    record_read(user, conference)
    return action, conference
