"""Report rules: versions that never lose words, default recipients, sharing, late flag, access, read receipts."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from portal.reports.access import get_report_for
from portal.auth.models import User
from portal.cases.models import Case, Conference, Participant
from portal.db import db, utcnow
from portal.reports import services
from portal.reports.models import ReportRead, ReportVersion

CASE_A = "FC-7KQ3-M9XD"


def user(login) -> User:
    return db.session.scalar(select(User).where((User.email == login) | (User.username == login)))


def case_a() -> Case:
    return db.session.scalar(select(Case).where(Case.reference == CASE_A))


def conference_a() -> Conference:
    return db.session.scalar(select(Conference).where(Conference.case_id == case_a().id).order_by(Conference.id))


def participant(login) -> Participant:
    return db.session.scalar(select(Participant).where(Participant.case_id == case_a().id, Participant.user_id == user(login).id))


@pytest.fixture()
def report(app, demo):
    with app.app_context():
        made = services.start_report(conference_a(), user("priya.plover@example.org"))
        yield made.id


def test_each_save_is_a_version_and_a_stale_save_is_a_conflict(app, report):
    with app.app_context():
        from portal.reports.models import Report

        the_report = db.session.get(Report, report)
        author = user("priya.plover@example.org")
        services.save_version(the_report, author, {"worries": "First words."}, based_on=1)
        services.save_version(the_report, author, {"worries": "Second words."}, based_on=2)
        with pytest.raises(services.VersionConflict) as conflict:
            services.save_version(the_report, author, {"worries": "From an old tab."}, based_on=2)
        assert conflict.value.latest.worries == "Second words."
        assert [v.number for v in the_report.versions] == [1, 2, 3]


def test_twenty_concurrent_saves_lose_nothing(app, database_uri, report):
    """20 saves from the same base at once: exactly one wins, 19 are told of the conflict, none vanish."""
    from tests.conftest import make_app

    apps = [make_app({"SQLALCHEMY_DATABASE_URI": database_uri}) for _ in range(4)]
    barrier = threading.Barrier(20)
    outcomes = []

    def worker(n):
        other = apps[n % len(apps)]
        with other.app_context():
            from portal.reports.models import Report

            the_report = db.session.get(Report, report)
            author = user("priya.plover@example.org")
            barrier.wait()
            try:
                services.save_version(the_report, author, {"worries": f"words from writer {n}"}, based_on=1)
                outcomes.append(("saved", n))
            except services.VersionConflict as conflict:
                outcomes.append(("conflict", conflict.latest.worries))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    saved = [n for kind, n in outcomes if kind == "saved"]
    conflicts = [text for kind, text in outcomes if kind == "conflict"]
    print(f"\n20 concurrent saves: {len(saved)} saved, {len(conflicts)} shown a conflict, {20 - len(outcomes)} lost")
    assert len(outcomes) == 20 and len(saved) == 1 and len(conflicts) == 19
    with app.app_context():
        versions = db.session.scalars(select(ReportVersion).where(ReportVersion.report_id == report)).all()
        assert [v.number for v in versions] == [1, 2] and versions[1].worries == f"words from writer {saved[0]}"


def test_default_recipients_leave_out_the_parent_a_restriction_excludes(app, report):
    with app.app_context():
        from portal.reports.models import Report

        recipients = services.default_recipients(db.session.get(Report, report))
        emails = {p.user.email for p in recipients}
        assert {"alice.appleby@example.org", "grace.appleby@example.org"} <= emails
        assert "arthur.appleby@example.org" not in emails  # the restriction keeps him out
        assert all(p.role in ("parent", "carer") for p in recipients)  # not the young person, not staff


def test_shared_with_the_mother_only_the_father_gets_404(app, report):
    with app.app_context():
        from portal.reports.models import Report

        the_report = db.session.get(Report, report)
        author = user("priya.plover@example.org")
        with pytest.raises(NotFound):
            get_report_for(user("sally.sparrow@example.org"), case_a(), report)  # a draft is the author's alone
        services.submit(the_report, author)
        assert services.share(the_report, author, [participant("alice.appleby@example.org").id]) == 1
        with app.test_request_context():
            assert get_report_for(user("alice.appleby@example.org"), case_a(), report).id == report
            assert get_report_for(user("sally.sparrow@example.org"), case_a(), report).id == report
            # The advocate allocated to the mother reads what was shared with her (and nothing else).
            assert get_report_for(user("ada.avocet@example.org"), case_a(), report).id == report
            for login in ("arthur.appleby@example.org", "grace.appleby@example.org", "sam.appleby"):
                with pytest.raises(NotFound):
                    get_report_for(user(login), case_a(), report)
        # A participant of another case cannot be added to this report.
        other = db.session.scalar(select(Participant).join(User).where(User.email == "beth.bramble@example.org"))
        assert services.share(the_report, author, [other.id]) == 0


def test_late_at_the_two_day_boundary(app, report):
    from zoneinfo import ZoneInfo

    with app.app_context():
        from portal.reports.models import Report

        the_report = db.session.get(Report, report)
        day = the_report.conference.starts_at.astimezone(ZoneInfo("Europe/London")).date()
        london = ZoneInfo("Europe/London")
        the_report.shared_at = datetime.combine(day - timedelta(days=2), datetime.max.time(), tzinfo=london).astimezone(timezone.utc)
        assert services.shared_late(the_report) is False  # 23:59 on the last allowed day
        the_report.shared_at = datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=london).astimezone(timezone.utc)
        assert services.shared_late(the_report) is True  # 00:00 the day after
        db.session.rollback()


def test_read_receipts_record_opened_then_finished(app, report):
    with app.app_context():
        from portal.reports.models import Report

        the_report = db.session.get(Report, report)
        alice = user("alice.appleby@example.org")
        with app.test_request_context():
            services.record_opened(the_report, alice)
            services.record_opened(the_report, alice)
        receipt = db.session.scalar(select(ReportRead).where(ReportRead.report_id == report, ReportRead.user_id == alice.id))
        assert receipt.opened_at and receipt.finished_at is None
        services.record_finished(the_report, alice)
        assert receipt.finished_at is not None
