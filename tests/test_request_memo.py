"""A fact several parts of one page ask for is read once per request, and read again once the request changes it."""

from __future__ import annotations

from sqlalchemy import select

from portal.access import participant_for
from portal.db import db
from tests.test_sql_budget import recording


def alice_and_her_case():
    from portal.auth.models import User
    from portal.cases.models import Case

    alice = db.session.scalar(select(User).where(User.email == "alice.appleby@example.org"))
    return alice, db.session.scalar(select(Case).where(Case.reference == "FC-7KQ3-M9XD"))


def test_read_once_per_request_and_again_after_a_change_or_a_rollback(app, demo):
    with app.test_request_context("/home"):
        alice, case = alice_and_her_case()
        with recording(app) as statements:
            first = participant_for(alice, case.id)
            assert participant_for(alice, case.id) is first and first is not None
        assert len(statements) == 1

        # A change not yet flushed: asked again, it is read again (after the flush), as without the memo.
        first.relationship_to_child = "Mum (changed in this request)"
        with recording(app) as statements:
            assert participant_for(alice, case.id) is first
        assert len(statements) >= 2  # the flush's UPDATE, then the SELECT
        db.session.rollback()

        with recording(app) as statements:
            assert participant_for(alice, case.id).relationship_to_child != "Mum (changed in this request)"
        assert any(statement.startswith("SELECT participants") for statement, _, _ in statements)

    with app.test_request_context("/home"):  # a new request starts with nothing kept
        alice, case = alice_and_her_case()
        with recording(app) as statements:
            participant_for(alice, case.id)
        assert len(statements) == 1


def test_outside_a_request_it_always_reads(app, demo):
    with app.app_context():
        alice, case = alice_and_her_case()
        with recording(app) as statements:
            participant_for(alice, case.id)
            participant_for(alice, case.id)
        assert len(statements) == 2
