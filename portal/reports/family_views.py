"""A parent's own views for the conference, written with guided prompts and, if they wish, their advocate.

Source: practice guide (parents may write their own report, helped by an advocate); issue
"Reports" (the family's own views): drafts autosave; the parent may invite their advocate and
both may edit, every change kept with who made it; only the parent submits; the parent
chooses who beyond the chair and the social worker may read it.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from portal import audit
from portal.cases.models import Conference, Participant
from portal.cases.restrictions import restrictions_of
from portal.db import db, utcnow
from portal.request_memo import remembered
from portal.reports.models import FAMILY_VIEWS, Report, ReportHelper, ReportShare
from portal.reports.services import VersionConflict, _tell, add_once, save_version, start_report
from portal.roles import Role

# Who always reads a parent's views once sent (said on the page before they choose anyone else).
ALWAYS_READ_BY = (Role.CHAIR.value, Role.SOCIAL_WORKER.value)
WRITERS = (Role.PARENT.value, Role.CARER.value)


def views_of(conference: Conference, parent) -> Report | None:
    """This parent's views for this conference, if they have started them (read once per request: the home page's
    reading task brings them, reports.services.family_reading_progress)."""
    return remembered("views_of", (conference.id, parent.id), lambda: db.session.scalar(
        select(Report).where(Report.conference_id == conference.id, Report.author_id == parent.id,
                             Report.kind == FAMILY_VIEWS).order_by(Report.id).limit(1)), depends_on=(Report,))


def start_views(conference: Conference, parent, key: str | None, language: str | None) -> Report:
    """The parent's views draft for this conference: the one they already have, or a new one.

    A unique index allows one set of views per parent per conference, so two tabs starting at
    the same moment end up on the same draft.
    """
    return (views_of(conference, parent)
            or start_report(conference, parent, key=key, kind=FAMILY_VIEWS, language=language)
            or views_of(conference, parent))


def helped_views(conference: Conference, advocate) -> list[Report]:
    """The views drafts of this conference that a parent invited this advocate to help with."""
    return list(db.session.scalars(
        select(Report).options(joinedload(Report.author)).join(ReportHelper, ReportHelper.report_id == Report.id)
        .where(Report.conference_id == conference.id, ReportHelper.user_id == advocate.id).order_by(Report.id)))


def advocates_of_case(report: Report) -> list[Participant]:
    """The advocates allocated to this parent in the case: the only ones the parent may invite to help."""
    author = select(Participant.id).where(Participant.case_id == report.case_id, Participant.user_id == report.author_id)
    return list(db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                   .where(Participant.case_id == report.case_id, Participant.role == Role.ADVOCATE.value,
                                          Participant.advocate_for_id.in_(author))
                                   .order_by(Participant.id)))


def save_views(report: Report, by, sections: dict[str, str], based_on: int, language: str | None):
    """Save the parent's words (and the language they chose) as a new version; return (version, None),
    or (None, the latest version) when someone else saved first, so both can be shown."""
    if language and language != report.language:
        report.language = language
    try:
        return save_version(report, by, sections, based_on), None
    except VersionConflict as error:
        return None, error.latest


def helpers(report: Report) -> list[ReportHelper]:
    return list(db.session.scalars(select(ReportHelper).options(joinedload(ReportHelper.user))
                                   .where(ReportHelper.report_id == report.id).order_by(ReportHelper.id)))


def invite_helper(report: Report, by, participant_id: int) -> bool:
    """The parent invites one of the case's advocates to their draft; False if not an advocate of the case."""
    advocate = next((p for p in advocates_of_case(report) if p.id == participant_id), None)
    if advocate is None:
        return False
    if any(h.user_id == advocate.user_id for h in helpers(report)):
        return True
    if add_once(ReportHelper(report_id=report.id, user_id=advocate.user_id), "report.helper_invited", by, report):
        _tell([advocate.user])
    return True


def remove_helper(report: Report, by, user_id: int) -> None:
    """The parent stops an advocate's access to the draft."""
    db.session.execute(delete(ReportHelper).where(ReportHelper.report_id == report.id, ReportHelper.user_id == user_id))
    audit.record("report.helper_removed", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()


def remove_helper_from_all(author_id: int, helper_user_id: int, by) -> None:
    """An advocate's allocation ended: they stop helping with every views draft of that parent."""
    for report in db.session.scalars(select(Report).where(Report.author_id == author_id, Report.kind == FAMILY_VIEWS)):
        if db.session.execute(delete(ReportHelper).where(ReportHelper.report_id == report.id,
                                                         ReportHelper.user_id == helper_user_id)).rowcount:
            audit.record("report.helper_removed", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)


def kept_from_author(report: Report) -> set[int]:
    """Participants a contact restriction keeps the parent's details from, and their advocates.

    Views can say where a parent lives or how they are, so these people never read them, even if
    chosen before the restriction was recorded. Source: DESIGN.md, Access and safety. Read once per
    request with the case's other restrictions (cases/restrictions.py), however many views a page shows.
    """
    return set(restrictions_of(report.case_id).kept_from_user(report.author_id))


def audience_choices(report: Report) -> list[Participant]:
    """Who else in the case the parent may let read their views.

    Not the chair and the social worker (they always read it), not the parent themselves, and
    never anyone kept from the parent's details (kept_from_author).
    """
    hidden_from = kept_from_author(report)
    people = db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                .where(Participant.case_id == report.case_id, Participant.user_id != report.author_id,
                                       Participant.role.not_in(ALWAYS_READ_BY)).order_by(Participant.id))
    return [p for p in people if p.id not in hidden_from]


def audience(report: Report) -> list[Participant]:
    """The people the parent chose to let read their views."""
    return list(db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                   .join(ReportShare, ReportShare.participant_id == Participant.id)
                                   .where(ReportShare.report_id == report.id).order_by(Participant.id)))


def choose_audience(report: Report, by, participant_ids: list[int]) -> None:
    """Replace who may read the views (before they are sent), keeping only people the parent may choose."""
    allowed = {p.id for p in audience_choices(report)}
    db.session.execute(delete(ReportShare).where(ReportShare.report_id == report.id))
    for participant_id in sorted(set(participant_ids) & allowed):
        db.session.add(ReportShare(report_id=report.id, participant_id=participant_id))
    audit.record("report.audience", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()


def submit_views(report: Report, by) -> bool:
    """Only the parent sends their views; a second send (two tabs, a retry) changes nothing and returns False."""
    if by.id != report.author_id:
        raise PermissionError("only the parent submits their views")
    # Check the chosen readers again: a restriction may have been recorded since they were chosen.
    hidden_from = kept_from_author(report)
    if hidden_from:
        db.session.execute(delete(ReportShare).where(ReportShare.report_id == report.id,
                                                     ReportShare.participant_id.in_(hidden_from)))
    now = utcnow()
    changed = db.session.execute(update(Report).where(Report.id == report.id, Report.status == "draft")
                                 .values(status="submitted", submitted_at=now, shared_at=now)).rowcount
    if changed:
        audit.record("report.submit", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()
    db.session.refresh(report)
    if changed:
        readers = db.session.scalars(select(Participant).options(joinedload(Participant.user))
                                     .where(Participant.case_id == report.case_id, Participant.role.in_(ALWAYS_READ_BY)))
        _tell([p.user for p in readers] + [p.user for p in audience(report)])
    return bool(changed)
