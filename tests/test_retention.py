"""Retention and legal hold (portal/retention.py): with an injected clock, on a database of its own so
the deletions reach no other test's data (SQLite, or PostgreSQL when DATABASE_URL names one)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.db import db, utcnow
from tests.conftest import app_on_own_database

YEAR = timedelta(days=366)


@pytest.fixture(scope="module")
def retention_app(database_uri, tmp_path_factory):
    """The portal on a database of its own, with the demo data."""
    return app_on_own_database(database_uri, tmp_path_factory, "retention")


def table_counts() -> dict[str, int]:
    from portal.db import Base

    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}


def audit_actions(action: str) -> list:
    from portal.audit import AuditEvent

    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def make_case(now, *, created_years_ago: float, conference_at, decision: str | None, status: str = "held"):
    """A case with a child, two participants (one an advocate for the other), a conference, a report with a
    question and its reply: rows in several tables under it, one pointing at its own table."""
    from portal.auth.models import User
    from portal.cases.models import Case, Child, Conference, Participant, Venue
    from portal.reports.models import Comment, Report

    users = list(db.session.scalars(select(User).where(User.email.in_(
        ["alice.appleby@example.org", "ada.avocet@example.org", "charlotte.chaffinch@example.org"])).order_by(User.email)))
    ada, alice, charlotte = users
    venue = db.session.scalars(select(Venue).order_by(Venue.id)).first()
    case = Case(created_at=now - timedelta(days=365 * created_years_ago), strategy_discussion_on=date(2015, 1, 5))
    db.session.add(case)
    db.session.flush()
    mother = Participant(case_id=case.id, user_id=alice.id, role="parent")
    db.session.add_all([Child(case_id=case.id, first_name="Old", last_name="Record", date_of_birth=date(2010, 1, 1)), mother])
    db.session.flush()
    db.session.add(Participant(case_id=case.id, user_id=ada.id, role="advocate", advocate_for_id=mother.id))
    conference = Conference(case_id=case.id, kind="icpc", starts_at=conference_at, format="in_person", venue_id=venue.id,
                            chair_id=charlotte.id, status=status, decision=decision)
    db.session.add(conference)
    db.session.flush()
    report = Report(case_id=case.id, conference_id=conference.id, author_id=charlotte.id, status="shared")
    db.session.add(report)
    db.session.flush()
    question = Comment(report_id=report.id, section="worries", thread_owner_id=alice.id, kind="question",
                       author_id=alice.id, body="A question")
    db.session.add(question)
    db.session.flush()
    db.session.add(Comment(report_id=report.id, section="worries", thread_owner_id=alice.id, kind="reply",
                           parent_id=question.id, author_id=charlotte.id, body="A reply"))
    db.session.commit()
    return case.id, case.reference


def test_a_case_is_closed_when_nothing_more_is_to_happen(retention_app):
    from types import SimpleNamespace as Row

    from portal.retention import closed_at

    now = utcnow()
    case = Row(created_at=now - 10 * YEAR)
    held = Row(starts_at=now - 8 * YEAR, status="held", decision="no_plan")
    assert closed_at(case, [held], now, dormant_years=2) == held.starts_at
    # A conference still to come keeps it open; so does a plan reviewed recently.
    assert closed_at(case, [held, Row(starts_at=now + YEAR, status="scheduled", decision=None)], now, 2) is None
    assert closed_at(case, [Row(starts_at=now - YEAR, status="held", decision="plan")], now, 2) is None
    # A plan with no conference for the dormant period: closed at its last conference.
    assert closed_at(case, [Row(starts_at=now - 3 * YEAR, status="held", decision="plan")], now, 2) == now - 3 * YEAR
    # No conference ever held: closed at its last activity.
    assert closed_at(case, [], now, 2) == case.created_at


def test_a_dry_run_deletes_nothing_and_reports_counts(retention_app):
    from portal.retention import purge

    with retention_app.app_context():
        before = table_counts()
        cases = before["cases"]
        report = purge(now=utcnow() + 20 * YEAR, dry_run=True)
        assert report.dry_run and report.cases == cases > 0
        assert report.case_rows["cases"] == cases and report.case_rows["conferences"] == before["conferences"]
        assert report.drafts == before["drafts"] and report.sent_notifications == before["sent_notifications"]
        assert table_counts() == before
        assert audit_actions("retention.purge") == [] and audit_actions("retention.case_purged") == []

    result = retention_app.test_cli_runner().invoke(args=["retention", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would delete 0 closed case(s)" in result.output
    with retention_app.app_context():
        assert table_counts() == before


def test_purge_deletes_what_is_expired_with_its_dependents_and_keeps_the_rest(retention_app):
    from portal.auth.models import Invitation, User
    from portal.cases.models import Case
    from portal.drafts import Draft
    from portal.notify.models import SentNotification
    from portal.retention import place_hold, purge, rows_under_case

    with retention_app.app_context():
        now = utcnow()
        expired_id, _ = make_case(now, created_years_ago=9, conference_at=now - 8 * YEAR, decision="no_plan")
        recent_id, _ = make_case(now, created_years_ago=9, conference_at=now - 2 * YEAR, decision="no_plan")
        open_id, _ = make_case(now, created_years_ago=9, conference_at=now + timedelta(days=10), decision=None, status="scheduled")
        held_id, held_reference = make_case(now, created_years_ago=9, conference_at=now - 8 * YEAR, decision="no_plan")
        place_hold(held_reference, "A claim against the council", now=now)
        alice = db.session.scalar(select(User.id).where(User.email == "alice.appleby@example.org"))
        db.session.add_all([
            Draft(user_id=alice, form_key="retention-old", fields={"body": "old words"}, saved_at=now - timedelta(days=40)),
            Draft(user_id=alice, form_key="retention-new", fields={"body": "new words"}, saved_at=now - timedelta(days=5)),
            SentNotification(key="retention-old", user_id=alice, event="notice", created_at=now - 2 * YEAR),
            SentNotification(key="retention-new", user_id=alice, event="notice", created_at=now - timedelta(days=10)),
            Invitation(token_hash="retention-old", user_id=alice, created_at=now - YEAR, expires_at=now - YEAR + timedelta(days=7)),
            Invitation(token_hash="retention-new", user_id=alice, created_at=now, expires_at=now + timedelta(days=7)),
        ])
        db.session.commit()
        expired_rows = {table.name: ids for table, ids in rows_under_case(expired_id).items()}
        assert {"cases", "children", "participants", "conferences", "reports", "comments"} <= set(expired_rows)
        kept = {case_id: {t.name: ids for t, ids in rows_under_case(case_id).items()} for case_id in (recent_id, open_id, held_id)}
        before = table_counts()

        report = purge(now=now)

        assert (report.cases, report.held_cases_kept) == (1, 1)
        assert report.case_rows == {name: len(ids) for name, ids in expired_rows.items()}
        assert (report.drafts, report.sent_notifications, report.tokens) == (1, 1, 1)
        db.session.expire_all()
        assert db.session.get(Case, expired_id) is None
        from portal.db import Base

        for name, ids in expired_rows.items():
            table = Base.metadata.tables[name]
            pk = list(table.primary_key.columns)[0]
            assert db.session.scalar(select(func.count()).select_from(table).where(pk.in_(list(ids)))) == 0, name
        for case_id, rows in kept.items():
            assert {t.name: ids for t, ids in rows_under_case(case_id).items()} == rows
        after = table_counts()
        for name, count in before.items():
            removed = report.case_rows.get(name, 0) + {"drafts": 1, "sent_notifications": 1, "invitations": 1}.get(name, 0)
            expected = count - removed + (2 if name == "audit_events" else 0)
            assert after[name] == expected, name
        assert {d.form_key for d in db.session.scalars(select(Draft).where(Draft.form_key.startswith("retention-")))} == {"retention-new"}

        # Audited: the purged case by id, and the run with its counts; never any content.
        (case_event,) = audit_actions("retention.case_purged")
        assert (case_event.case_id, case_event.object_id) == (expired_id, str(expired_id))
        (run,) = audit_actions("retention.purge")
        assert run.object_id == f"c=1;r={sum(report.case_rows.values())};d=1;n=1;t=1"
        assert "words" not in run.object_id and "claim" not in run.object_id

        # Nothing more is due: a second run deletes nothing.
        again = purge(now=now)
        assert (again.cases, again.drafts, again.sent_notifications, again.tokens) == (0, 0, 0, 0)


def test_everything_of_a_case_under_legal_hold_is_kept_until_it_is_released(retention_app):
    """Far in the future every demo case is closed and expired: all are deleted, in foreign-key-safe order
    across every feature's tables, except the one under hold, which keeps every row until released."""
    from portal.cases.models import Case
    from portal.retention import held_case_ids, is_held, purge, rows_under_case

    runner = retention_app.test_cli_runner()
    result = runner.invoke(args=["retention", "hold", "fc-7kq3-m9xd", "--reason", "Subject access request"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["retention", "hold", "FC-ZZZZ-ZZZZ", "--reason", "x"]).exit_code != 0
    later = utcnow() + 30 * YEAR
    with retention_app.app_context():
        held = db.session.scalar(select(Case).where(Case.reference == "FC-7KQ3-M9XD"))
        held_id = held.id
        assert is_held(held_id)
        rows = {t.name: ids for t, ids in rows_under_case(held_id).items()}
        assert len(rows) >= 10  # reports, versions, shares, wishes, support requests, ...
        holds = held_case_ids()
        total = db.session.scalar(select(func.count()).select_from(Case))
        report = purge(now=later)
        assert report.cases == total - len(holds) > 0 and report.held_cases_kept == len(holds)
        db.session.expire_all()
        assert {t.name: ids for t, ids in rows_under_case(held_id).items()} == rows
        assert set(db.session.scalars(select(Case.id))) == holds

    result = runner.invoke(args=["retention", "release", "FC-7KQ3-M9XD"])
    assert result.exit_code == 0 and "1 hold(s) released" in result.output
    with retention_app.app_context():
        assert not is_held(held_id)
        assert [e.case_id for e in audit_actions("retention.hold")][-1] == held_id
        assert [e.case_id for e in audit_actions("retention.release")][-1] == held_id
        report = purge(now=later)
        assert report.cases == 1
        assert set(db.session.scalars(select(Case.id))) == holds - {held_id}
