"""Access to reports, the family's own views and their discussion threads, built on the core policy
(portal/access.py): a report is read only by the people its rules name, a list of reports is cut down to those,
and a thread is seen by those in it. Source: DESIGN.md, Access and safety; issue "Reports"."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from portal.access import is_staff_reader, participant_for
from portal.cases.conferences import keep_professional_reports_shared_at
from portal.cases.models import Conference, Participant
from portal.db import db
from portal.reports.discussion import sees_every_thread
from portal.reports.family_views import kept_from_author
from portal.reports.models import Comment, Report, ReportHelper, ReportShare, ReportVersion
from portal.reports.services import (_helped_by_column, _shared_with_advocated_column, helped_report_ids, is_helper,
                                     keep_latest_version, keep_shared_with, report_ids_shared_with,
                                     report_ids_shared_with_advocated, shared_with_user_column)
from portal.request_memo import remember
from portal.roles import CASE_STAFF_ROLES, FAMILY_ROLES, Role


def get_report_for(user, case, report_id: int):
    """A report of this (already authorised) case if the user may read it, else 404.

    Its author always; a draft, nobody else. A submitted report: the case's staff and the SQA
    manager; a family member only when it was shared with them (never because another
    parent received it). Source: DESIGN.md, Access and safety; issue "Reports".
    """
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


def can_see_versions(user, report) -> bool:
    """Earlier versions of a (readable) professional report: its author and the staff who read it.

    A parent's views: only the parent and their invited advocate, and only while it is a draft,
    so words the parent took out before sending are never read by anyone else.
    """
    if report.kind == "family_views":
        return report.status == "draft" and (report.author_id == user.id or is_helper(report, user))
    return report.author_id == user.id or is_staff_reader(user)


def get_views_draft_for(user, case, report_id: int):
    """A parent's views draft, for the parent or an advocate they invited to it; else 404."""
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
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.report_id != report.id or comment.parent_id is not None:
        abort(404)
    if comment.thread_owner_id != user.id and not sees_every_thread(user, report):
        abort(404)
    return comment


def reports_for_conference(conference: Conference, user) -> list[Report]:
    """The reports of a conference this person may see: their own, and submitted ones they may read."""
    rows = db.session.execute(
        select(Report, shared_with_user_column(user), _helped_by_column(user), _shared_with_advocated_column(user, conference.case_id))
        .options(joinedload(Report.author)).where(Report.conference_id == conference.id).order_by(Report.created_at)).all()
    every = [report for report, *_ in rows]
    keep_professional_reports_shared_at(conference, every)  # the timeline's rules ask when each was shared
    # What the access check asks of these reports came in the same statement: keep it for it.
    ids = tuple(sorted(report.id for report in every))
    remember("reports_shared_with", (ids, (user.id,)), frozenset(r.id for r, shared, _, _ in rows if shared),
             depends_on=(ReportShare, Participant))
    remember("reports_helped_by", (ids, user.id), frozenset(r.id for r, _, helped, _ in rows if helped),
             depends_on=(ReportHelper,))
    remember("reports_shared_with_advocated", (ids, user.id, conference.case_id),
             frozenset(r.id for r, _, _, advocated in rows if advocated), depends_on=(ReportShare, Participant))
    return readable_reports(user, every)
