"""The audit trail: reads of case content are recorded, and the database refuses to change the record."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.audit import AuditEvent
from portal.db import db
from tests.conftest import sign_in


def events(app, **where):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return list(db.session.scalars(query))


def test_reading_a_case_is_audited_and_sqa_access_is_marked(app, demo, client):
    sign_in(client, "quinn.quail@example.org")
    client.get("/cases/FC-7KQ3-M9XD")
    last = events(app, action="case.read")[-1]
    assert last.outcome == "sqa_access" and last.actor_role == "sqa_manager" and last.case_id is not None
    assert last.ip == "127.0.0.1"


def test_a_refused_case_read_is_audited(app, demo, client):
    sign_in(client, "arthur.appleby@example.org")
    assert client.get("/cases/FC-4HNP-T6WB").status_code == 404
    assert events(app, action="case.read")[-1].outcome == "denied"


def test_events_hold_no_content(app, demo):
    columns = set(AuditEvent.__table__.columns.keys())
    assert columns == {"id", "occurred_at", "actor_id", "actor_role", "action", "object_kind", "object_id", "case_id", "ip", "outcome"}


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET outcome = 'changed'",
    "DELETE FROM audit_events",
])
def test_the_database_refuses_to_change_or_delete_an_event(app, demo, client, statement):
    sign_in(client, "alice.appleby@example.org")  # makes sure there is at least one event
    before = len(events(app))
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))
    assert len(events(app)) == before
