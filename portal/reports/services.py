"""Rules for reports: versions that never lose words, who receives a report by default, late sharing.

Sources: practice guide ("share the report with the family at least 2 days before the
conference"); issue "Reports" (versions, default recipients minus contact restrictions,
late flag); CONVENTIONS.md trap (compare versions explicitly to guard against lost updates).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.cases.conferences import conference_day
from portal.cases.models import Conference, ContactRestriction, Participant
from portal.db import db, utcnow
from portal.reports.models import SECTIONS, Report, ReportRead, ReportShare, ReportVersion
from portal.roles import Role
from portal.timeline import london_date, reports_shared_by

# Who receives a report by default: the parents and carers (those with parental responsibility).
DEFAULT_RECIPIENT_ROLES = (Role.PARENT.value, Role.CARER.value)


class VersionConflict(Exception):
    """Someone else saved since this person started editing: both versions must be shown."""

    def __init__(self, latest: ReportVersion):
        super().__init__(f"report {latest.report_id} is at version {latest.number}")
        self.latest = latest


def latest_version(report: Report) -> ReportVersion:
    """The current words of a report."""
    return db.session.scalar(select(ReportVersion).where(ReportVersion.report_id == report.id)
                             .order_by(ReportVersion.number.desc()).limit(1))


def start_report(conference: Conference, author) -> Report:
    """A new draft report for a conference, with an empty first version."""
    report = Report(case_id=conference.case_id, conference_id=conference.id, author_id=author.id)
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportVersion(report_id=report.id, number=1, saved_by_id=author.id))
    audit.record("report.create", actor=author, object_kind="report", object_id=report.id, case_id=conference.case_id)
    db.session.commit()
    return report


def save_version(report: Report, by, sections: dict[str, str], based_on: int) -> ReportVersion:
    """Save the sections as a new version, if nobody saved since version `based_on`; else VersionConflict.

    The unique (report, number) pair makes two simultaneous saves of the same base impossible:
    the second one fails and is shown both texts to choose from.
    """
    latest = latest_version(report)
    if latest.number != based_on:
        raise VersionConflict(latest)
    version = ReportVersion(report_id=report.id, number=based_on + 1, saved_by_id=by.id,
                            **{name: (sections.get(name) or "") for name in SECTIONS})
    db.session.add(version)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VersionConflict(latest_version(report)) from None
    return version


def submit(report: Report, by) -> None:
    """The author submits the report: it can now be shared."""
    report.status = "submitted"
    report.submitted_at = utcnow()
    audit.record("report.submit", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()


def default_recipients(report: Report) -> list[Participant]:
    """Every parent and carer of the case, minus anyone a contact restriction keeps details from.

    A report can hold how to reach the person a restriction protects, so the person it is
    hidden from is left out unless the author chooses them on purpose.
    """
    hidden_from = set(db.session.scalars(select(ContactRestriction.hidden_from_id).where(ContactRestriction.case_id == report.case_id)))
    participants = db.session.scalars(select(Participant).where(Participant.case_id == report.case_id,
                                                                Participant.role.in_(DEFAULT_RECIPIENT_ROLES)).order_by(Participant.id))
    return [p for p in participants if p.id not in hidden_from]


FAMILY_ROLE_VALUES = (Role.PARENT.value, Role.CARER.value, Role.YOUNG_PERSON.value)


def share(report: Report, by, participant_ids: list[int]) -> int:
    """Share the submitted report with these family participants of its case; return how many are new."""
    family = {p.id for p in db.session.scalars(select(Participant).where(Participant.case_id == report.case_id,
                                                                         Participant.role.in_(FAMILY_ROLE_VALUES)))}
    already = set(db.session.scalars(select(ReportShare.participant_id).where(ReportShare.report_id == report.id)))
    now = utcnow()
    added = 0
    for participant_id in participant_ids:
        if participant_id in family and participant_id not in already:
            db.session.add(ReportShare(report_id=report.id, participant_id=participant_id, shared_at=now))
            added += 1
    if added and report.shared_at is None:
        report.shared_at = now
    audit.record("report.share", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()
    return added


def shared_late(report: Report) -> bool:
    """Shared after the last day the guide allows (2 days before the conference), in London dates."""
    if report.shared_at is None:
        return False
    return london_date(report.shared_at) > reports_shared_by(conference_day(report.conference))


def is_shared_with(report: Report, user) -> bool:
    """True when the report has been shared with this person's part in its case."""
    return db.session.scalar(
        select(ReportShare.id).join(Participant, Participant.id == ReportShare.participant_id)
        .where(ReportShare.report_id == report.id, Participant.user_id == user.id).limit(1)
    ) is not None


def record_opened(report: Report, user) -> None:
    """The first time someone opens a report (audited every time)."""
    if db.session.scalar(select(ReportRead).where(ReportRead.report_id == report.id, ReportRead.user_id == user.id)) is None:
        db.session.add(ReportRead(report_id=report.id, user_id=user.id))
    audit.record("report.read", actor=user, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()


def record_finished(report: Report, user) -> None:
    """The reader says they have read it to the end."""
    receipt = db.session.scalar(select(ReportRead).where(ReportRead.report_id == report.id, ReportRead.user_id == user.id))
    if receipt is None:
        receipt = ReportRead(report_id=report.id, user_id=user.id)
        db.session.add(receipt)
    receipt.finished_at = receipt.finished_at or utcnow()
    db.session.commit()


def family_participants(report: Report) -> list[Participant]:
    """The family members of the report's case (who it can be shared with)."""
    return list(db.session.scalars(select(Participant).where(Participant.case_id == report.case_id,
                                                             Participant.role.in_(FAMILY_ROLE_VALUES)).order_by(Participant.id)))


def shared_participant_ids(report: Report) -> set[int]:
    return set(db.session.scalars(select(ReportShare.participant_id).where(ReportShare.report_id == report.id)))


def receipts(report: Report) -> list[ReportRead]:
    """Who has opened the report and who has read it to the end (for the author and staff)."""
    return list(db.session.scalars(select(ReportRead).where(ReportRead.report_id == report.id).order_by(ReportRead.opened_at)))


def has_finished(report: Report, user) -> bool:
    return db.session.scalar(select(ReportRead.id).where(ReportRead.report_id == report.id, ReportRead.user_id == user.id,
                                                         ReportRead.finished_at.is_not(None))) is not None


def reports_for_conference(conference: Conference, user) -> list[Report]:
    """The reports of a conference this person may see: their own, and submitted ones they may read."""
    from portal.access import can_read_report

    reports = db.session.scalars(select(Report).where(Report.conference_id == conference.id).order_by(Report.created_at))
    return [r for r in reports if can_read_report(user, r)]


def family_reading_progress(user, conference: Conference) -> tuple[int, int]:
    """(read to the end, shared with them) for a family member's task list."""
    shared = [r for r in db.session.scalars(
        select(Report).join(ReportShare, ReportShare.report_id == Report.id).join(Participant, Participant.id == ReportShare.participant_id)
        .where(Report.conference_id == conference.id, Participant.user_id == user.id))]
    done = sum(1 for r in shared if has_finished(r, user))
    return done, len(shared)
