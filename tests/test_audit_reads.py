"""Reads are audited once the page is ready, all of one page's reads in one INSERT; a page whose reads cannot be
written is not sent, and the reads of a page that failed are still written (portal/audit.py, record_read)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from portal import audit
from portal.audit import AuditEvent
from portal.db import db
from tests.conftest import sign_in
from tests.test_sql_budget import recording

SALLY = "sally.sparrow@example.org"  # the social worker of Clara's case
PLAN = "/cases/FC-3VJT-C8PA/conferences/3/plan"


def events_after(app, last_id: int) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(e.action, e.actor_role, e.outcome) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id))]


def last_event_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def test_the_reads_of_one_page_are_written_together_once_it_is_ready(app, demo, client):
    assert sign_in(client, SALLY).status_code == 303
    before = last_event_id(app)
    with recording(app) as statements:
        response = client.get(PLAN)
    assert response.status_code == 200
    inserts = [statement for statement, _, _ in statements if statement.startswith("INSERT INTO audit_events")]
    assert len(inserts) == 1
    assert events_after(app, before) == [("case.read", "social_worker", "success"),
                                         ("plan.read", "social_worker", "success")]


def test_a_page_whose_reads_cannot_be_written_is_not_sent(app, demo, client, monkeypatch):
    assert sign_in(client, SALLY).status_code == 303
    plan = client.get(PLAN).get_data(as_text=True)
    assert "govuk-summary-card" in plan or "govuk-table" in plan  # what the plan page shows

    def refuse(session, events):
        raise OperationalError("INSERT INTO audit_events", {}, Exception("disk full"))

    monkeypatch.setattr(audit, "_write", refuse)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production: the error page
    before = last_event_id(app)
    response = client.get(PLAN)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "govuk-summary-card" not in body and "govuk-table" not in body
    assert events_after(app, before) == []


def test_the_reads_of_a_page_that_failed_are_still_written(app, demo, client, monkeypatch):
    from portal.plans import services

    assert sign_in(client, SALLY).status_code == 303

    def broken(conference):
        raise RuntimeError("a bug after the plan was read")

    monkeypatch.setattr(services, "actions_of", broken)
    before = last_event_id(app)
    response = client.get(PLAN)
    assert response.status_code == 500
    assert [action for action, _, _ in events_after(app, before)] == ["case.read", "plan.read"]


def test_writing_the_reads_does_not_save_what_the_page_left_uncommitted(app, demo, client, monkeypatch):
    """A page that changed a row and did not commit it: at the end of the request the change is dropped, as it
    always was; writing the page's reads must not save it with them."""
    from portal.cases.models import Conference
    from portal.plans import services

    assert sign_in(client, SALLY).status_code == 303
    midway_review_of = services.midway_review_of

    def changes_and_forgets(conference):
        conference.decision_reasons = "changed by the page, never committed"
        return midway_review_of(conference)

    monkeypatch.setattr(services, "midway_review_of", changes_and_forgets)
    before = last_event_id(app)
    assert client.get(PLAN).status_code == 200
    assert [action for action, _, _ in events_after(app, before)] == ["case.read", "plan.read"]
    with app.app_context():
        assert db.session.get(Conference, 3).decision_reasons != "changed by the page, never committed"


def test_a_read_recorded_earlier_in_the_request_counts_as_done(app, demo):
    from portal.auth.models import User

    with app.test_request_context("/home"):
        sally = db.session.scalar(select(User).where(User.email == SALLY))
        assert not audit.has_done(sally, "conference.read", 987654)
        with recording(app) as statements:
            audit.record_read("conference.read", actor=sally, object_kind="conference", object_id=987654)
            assert audit.has_done(sally, "conference.read", 987654)
            assert audit.has_done(sally, "conference.read", 987654, object_kind="conference")
            assert not audit.has_done(sally, "conference.read", 987654, object_kind="plan")
        assert not any(statement.startswith("INSERT") for statement, _, _ in statements)  # not written yet
        db.session.rollback()
