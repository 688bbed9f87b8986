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


def test_many_keys_are_read_together_and_only_those_not_read_yet(app, demo):
    from portal.cases.models import Conference
    from portal.support.models import SupportRequest
    from portal.support.services import requests_of

    with app.test_request_context("/cases"):
        asked = db.session.scalar(select(SupportRequest.conference_id).order_by(SupportRequest.id).limit(1))
        ids = [asked, *db.session.scalars(select(Conference.id).where(Conference.id != asked).order_by(Conference.id).limit(2))]
        expected = {request.id for request in db.session.scalars(
            select(SupportRequest).where(SupportRequest.conference_id.in_(ids)))}
        with recording(app) as statements:
            first = requests_of(ids[:1])
            assert first, "the demo data has support requests"
            assert {request.id for request in requests_of(ids)} == expected  # reads the other two, together
            requests_of(ids[1:])
            assert requests_of(ids[:1]) == first  # nothing more to read
        assert len(statements) == 2

        # A new request for one of them: asked again, everything is read again (after the flush), as without the memo.
        db.session.add(SupportRequest(case_id=first[0].case_id, conference_id=first[0].conference_id,
                                      participant_id=first[0].participant_id, kind="break", status="asked",
                                      details={}, created_by_id=first[0].created_by_id))
        with recording(app) as statements:
            assert len(requests_of(ids)) == len(expected) + 1
        assert sum(statement.startswith("SELECT support_requests") for statement, _, _ in statements) == 1
        db.session.rollback()
