"""Rules for reports: versions that never lose words, who receives a report by default, late sharing.

Sources: practice guide ("share the report with the family at least 2 days before the
conference"); issue "Reports" (versions, default recipients minus contact restrictions,
late flag); CONVENTIONS.md trap (compare versions explicitly to guard against lost updates).
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.cases.conferences import conference_day
from portal.cases.models import Conference, ContactRestriction, Participant
from portal.db import db, utcnow
from portal.request_memo import remember, remembered
from portal.reports.models import FAMILY_VIEWS, PROFESSIONAL, Report, ReportHelper, ReportRead, ReportRequest, ReportShare, ReportVersion, sections_of
from portal.roles import Role
from portal.timeline import london_date, reports_shared_by
from portal.notify.messages import send_news
from portal.access import is_staff_reader

# Who receives a report by default: the parents and carers (those with parental responsibility).
DEFAULT_RECIPIENT_ROLES = (Role.PARENT.value, Role.CARER.value)


class VersionConflict(Exception):
    """Someone else saved since this person started editing: both versions must be shown."""

    def __init__(self, latest: ReportVersion):
        super().__init__(f"report {latest.report_id} is at version {latest.number}")
        self.latest = latest


def latest_version(report: Report) -> ReportVersion:
    """The current words of a report (read with the report by access.get_report_for, else here)."""
    return remembered("report_latest_version", report.id, lambda: db.session.scalar(
        select(ReportVersion).where(ReportVersion.report_id == report.id)
        .order_by(ReportVersion.number.desc()).limit(1)), depends_on=(ReportVersion,))


def keep_latest_version(report: Report, version: ReportVersion | None) -> None:
    """The current words, read in the same statement as the report, for latest_version."""
    remember("report_latest_version", report.id, version, depends_on=(ReportVersion,))


def report_with_key(key: str | None, author) -> Report | None:
    """The report this person already created with this form submission, if any."""
    if not key:
        return None
    return db.session.scalar(select(Report).where(Report.submission_key == key, Report.author_id == author.id))


def start_report(conference: Conference, author, key: str | None = None, kind: str = PROFESSIONAL,
                 language: str | None = None) -> Report:
    """A new draft report for a conference, with an empty first version.

    The same submission key twice (a double tap, a retry) gives back the first report.
    """
    existing = report_with_key(key, author)
    if existing is not None:
        return existing
    report = Report(case_id=conference.case_id, conference_id=conference.id, author_id=author.id, kind=kind,
                    language=language, submission_key=key)
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return report_with_key(key, author)
    db.session.add(ReportVersion(report_id=report.id, number=1, saved_by_id=author.id))
    audit.record("report.create", actor=author, object_kind="report", object_id=report.id, case_id=conference.case_id)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return report_with_key(key, author)
    return report


def save_version(report: Report, by, sections: dict[str, str], based_on: int) -> ReportVersion:
    """Save the sections as a new version, if nobody saved since version `based_on`; else VersionConflict.

    The unique (report, number) pair makes two simultaneous saves of the same base impossible:
    the second one fails and is shown both texts to choose from.
    """
    latest = latest_version(report)
    names = sections_of(report.kind)
    if latest.number != based_on:
        if all((sections.get(name) or "") == getattr(latest, name) for name in names):
            return latest  # the same words are already saved (an autosave just before the Save button)
        raise VersionConflict(latest)
    version = ReportVersion(report_id=report.id, number=based_on + 1, saved_by_id=by.id,
                            **{name: (sections.get(name) or "") for name in sections_of(report.kind)})
    db.session.add(version)
    audit.record("report.save", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VersionConflict(latest_version(report)) from None
    return version


def submit(report: Report, by) -> bool:
    """The author submits the draft; return False when it was already submitted (two tabs, a retry).

    One conditional UPDATE, so two submits at once change it (and are audited) only once.
    """
    changed = db.session.execute(
        update(Report).where(Report.id == report.id, Report.status == "draft")
        .values(status="submitted", submitted_at=utcnow())
    ).rowcount
    if changed:
        audit.record("report.submit", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()
    db.session.refresh(report)
    return bool(changed)


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
    added = []
    for participant_id in participant_ids:
        if participant_id in family and participant_id not in already and participant_id not in added:
            db.session.add(ReportShare(report_id=report.id, participant_id=participant_id, shared_at=now))
            added.append(participant_id)
    if added and report.shared_at is None:
        report.shared_at = now
    audit.record("report.share", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    try:
        db.session.commit()
    except IntegrityError:  # the same share sent twice at once: the first one counts
        db.session.rollback()
        return 0
    _tell([db.session.get(Participant, pid).user for pid in added])
    return len(added)


def _tell(users) -> None:
    """A neutral "there is something new for you" message to each person (never what, or about whom)."""
    for user in users:
        if user is not None and user.is_active:
            send_news(user)


def shared_late(report: Report) -> bool:
    """Shared after the last day the guide allows (2 days before the conference), in London dates."""
    if report.shared_at is None:
        return False
    return london_date(report.shared_at) > reports_shared_by(conference_day(report.conference))


def is_shared_with(report: Report, user) -> bool:
    """True when the report has been shared with this person's part in its case."""
    return report.id in report_ids_shared_with([report.id], [user.id])


def report_ids_shared_with(report_ids: list[int], user_ids: list[int]) -> set[int]:
    """Which of these reports were shared with any of these people (one query, kept for the request: the access
    check and the discussion both ask)."""
    if not report_ids or not user_ids:
        return set()
    key = (tuple(sorted(set(report_ids))), tuple(sorted(set(user_ids))))
    return set(remembered("reports_shared_with", key, lambda: frozenset(db.session.scalars(
        select(ReportShare.report_id).join(Participant, Participant.id == ReportShare.participant_id)
        .where(ReportShare.report_id.in_(key[0]), Participant.user_id.in_(key[1])).distinct())),
        depends_on=(ReportShare, Participant)))


def shared_with_user_column(user):
    """A column for a query of reports: whether each was shared with this person (see keep_shared_with)."""
    return (select(ReportShare.id).join(Participant, Participant.id == ReportShare.participant_id)
            .where(ReportShare.report_id == Report.id, Participant.user_id == user.id).correlate(Report).exists())


def keep_shared_with(report: Report, user, shared: bool) -> None:
    """Whether the report was shared with this person, read in the same statement as the report, for
    report_ids_shared_with."""
    remember("reports_shared_with", ((report.id,), (user.id,)), frozenset({report.id}) if shared else frozenset(),
             depends_on=(ReportShare, Participant))


def _receipt(report: Report, user) -> ReportRead | None:
    """This person's read receipt for the report (opened, and perhaps finished), read once per request. Staff
    see every receipt on the page, so theirs is taken from those."""
    if is_staff_reader(user):
        return next((receipt for receipt in receipts(report) if receipt.user_id == user.id), None)
    return remembered("report_read_receipt", (report.id, user.id), lambda: db.session.scalar(
        select(ReportRead).where(ReportRead.report_id == report.id, ReportRead.user_id == user.id)),
        depends_on=(ReportRead,))


def record_opened(report: Report, user) -> None:
    """The first time someone opens a report (audited every time)."""
    audit.record_read("report.read", actor=user, object_kind="report", object_id=report.id, case_id=report.case_id)
    if _receipt(report, user) is None:
        db.session.add(ReportRead(report_id=report.id, user_id=user.id))
        db.session.commit()


def record_finished(report: Report, user) -> None:
    """The reader says they have read it to the end."""
    receipt = db.session.scalar(select(ReportRead).where(ReportRead.report_id == report.id, ReportRead.user_id == user.id))
    if receipt is None:
        receipt = ReportRead(report_id=report.id, user_id=user.id)
        db.session.add(receipt)
    receipt.finished_at = receipt.finished_at or utcnow()
    db.session.commit()


def is_helper(report: Report, user) -> bool:
    """True when the report's author invited this person to help write it."""
    return report.id in helped_report_ids([report.id], user)


def helped_report_ids(report_ids: list[int], user) -> set[int]:
    """Which of these reports' authors invited this person to help write them (one query, kept for the request)."""
    if not report_ids:
        return set()
    ids = tuple(sorted(set(report_ids)))
    return set(remembered("reports_helped_by", (ids, user.id), lambda: frozenset(db.session.scalars(
        select(ReportHelper.report_id).where(ReportHelper.report_id.in_(ids), ReportHelper.user_id == user.id))),
        depends_on=(ReportHelper,)))


def _helped_by_column(user):
    """A column for a query of reports: whether its author invited this person to help (see helped_report_ids)."""
    return (select(ReportHelper.id).where(ReportHelper.report_id == Report.id, ReportHelper.user_id == user.id)
            .correlate(Report).exists())


def _advocated_by(advocate, case_id: int):
    """The people in this case this advocate is allocated to (Participant.advocate_for)."""
    return select(Participant.advocate_for_id).where(Participant.case_id == case_id, Participant.user_id == advocate.id,
                                                     Participant.role == Role.ADVOCATE.value)


def report_ids_shared_with_advocated(report_ids: list[int], advocate, case_id: int) -> set[int]:
    """Which of these reports were shared with the person in this case this advocate is allocated to
    (Participant.advocate_for), in one statement kept for the request."""
    if not report_ids:
        return set()
    ids = tuple(sorted(set(report_ids)))
    return set(remembered("reports_shared_with_advocated", (ids, advocate.id, case_id), lambda: frozenset(db.session.scalars(
        select(ReportShare.report_id).distinct()
        .where(ReportShare.report_id.in_(ids), ReportShare.participant_id.in_(_advocated_by(advocate, case_id))))),
        depends_on=(ReportShare, Participant)))


def _shared_with_advocated_column(advocate, case_id: int):
    """A column for a query of reports: whether each was shared with someone this advocate is allocated to in
    this case (see report_ids_shared_with_advocated)."""
    return (select(ReportShare.id).where(ReportShare.report_id == Report.id,
                                         ReportShare.participant_id.in_(_advocated_by(advocate, case_id)))
            .correlate(Report).exists())


# --- asking for help with a report, and the author's talk-through ---------------------------

REQUEST_KINDS = ("talk_through", "interpreter")


def ask_for_help(report: Report, by, kind: str, language: str | None = None) -> bool:
    """A family member asks to be talked through a report, or for an interpreter; False if already asked.

    Asking twice is the same request (unique per person, report and kind), so a double tap is harmless.
    """
    if kind not in REQUEST_KINDS:
        raise ValueError(kind)
    if db.session.scalar(select(ReportRequest.id).where(ReportRequest.report_id == report.id, ReportRequest.user_id == by.id,
                                                        ReportRequest.kind == kind)) is not None:
        return False
    request = ReportRequest(report_id=report.id, user_id=by.id, kind=kind, language=(language or "").strip()[:80] or None)
    if not add_once(request, "report.help_request", by, report):
        return False
    _tell([report.author])
    return True


def add_once(row, event: str, by, report: Report) -> bool:
    """Add a row that a unique constraint allows once, with its audit event; False if it was already there
    (a double tap racing the first one), so the caller tells nobody twice."""
    db.session.add(row)
    audit.record(event, actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def help_requests(report: Report, user=None) -> list[ReportRequest]:
    """Requests for help with this report: everyone's (for staff), or one person's own."""
    query = (select(ReportRequest).options(joinedload(ReportRequest.user)).where(ReportRequest.report_id == report.id)
             .order_by(ReportRequest.created_at))
    if user is not None:
        query = query.where(ReportRequest.user_id == user.id)
    return list(db.session.scalars(query))


def record_talked_through(report: Report, by, day: date) -> None:
    """The author records the day they talked the family through the report (kept as midday, London time)."""
    report.talked_through_at = datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/London")).astimezone(timezone.utc)
    audit.record("report.talked_through", actor=by, object_kind="report", object_id=report.id, case_id=report.case_id)
    db.session.commit()


def family_participants(report: Report) -> list[Participant]:
    """The family members of the report's case (who it can be shared with)."""
    return list(db.session.scalars(select(Participant).where(Participant.case_id == report.case_id,
                                                             Participant.role.in_(FAMILY_ROLE_VALUES)).order_by(Participant.id)))


def shared_participant_ids(report: Report) -> set[int]:
    return set(db.session.scalars(select(ReportShare.participant_id).where(ReportShare.report_id == report.id)))


def receipts(report: Report) -> list[ReportRead]:
    """Who has opened the report and who has read it to the end (for the author and staff). Read once per
    request: the reader's own receipt (record_opened, has_finished) is one of them. A report has as many as
    the people in its case."""
    return list(remembered("report_receipts", report.id, lambda: list(db.session.scalars(
        select(ReportRead).options(joinedload(ReportRead.user))
        .where(ReportRead.report_id == report.id).order_by(ReportRead.opened_at, ReportRead.id))),
        depends_on=(ReportRead,)))


def has_finished(report: Report, user) -> bool:
    receipt = _receipt(report, user)
    return receipt is not None and receipt.finished_at is not None


def family_reading_progress(user, conference: Conference) -> tuple[int, int]:
    """(read to the end, shared with them) for a family member's task list. The same statement reads their own
    views of the conference, if any, which the next task asks for (kept for family_views.views_of)."""
    finished = (select(ReportRead.id).where(ReportRead.report_id == Report.id, ReportRead.user_id == user.id,
                                            ReportRead.finished_at.is_not(None)).correlate(Report).exists())
    done = total = 0
    own_views = None
    for report, was_finished in db.session.execute(
            select(Report, finished).where(Report.conference_id == conference.id, or_(
                and_(Report.author_id != user.id, Report.status == "submitted", shared_with_user_column(user)),
                and_(Report.author_id == user.id, Report.kind == FAMILY_VIEWS))).order_by(Report.id)):
        if report.author_id == user.id:
            own_views = own_views or report
        else:
            total += 1
            done += bool(was_finished)
    remember("views_of", (conference.id, user.id), own_views, depends_on=(Report,))
    return done, total
