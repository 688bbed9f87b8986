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


def test_the_facts_read_with_conferences_are_the_ones_their_features_read(app, demo):
    """Facts a feature registers about a conference (cases.conferences.conference_fact) come in the statement that
    reads the conferences; each must be what the feature's own query says, for every conference of every case,
    and for every person (those that depend on who asks)."""
    from datetime import timedelta

    from portal.auth.models import User
    from portal.cases.conferences import conference_fact_of, conferences_of, conferences_of_cases, keep_conferences, with_conferences
    from portal.cases.models import Case, Conference, Participant
    from portal.cases.rules import next_conference_days
    from portal.feedback.models import Feedback, ReviewChange
    from portal.feedback.services import has_answered
    from portal.plans.models import MidwayReview, PlanAction
    from portal.plans.services import has_actions, midway_held_on_for

    with app.app_context():
        case_ids = list(db.session.scalars(select(Case.id)))
        first_held = next(c for ids in conferences_of_cases(case_ids).values() for c in ids if c.status == "held")
        # A review held 30 days after it (the "next review" fact), and two changes for that review, the later one
        # first in the alphabet (the order is by id).
        review = Conference(case_id=first_held.case_id, kind="review", starts_at=first_held.starts_at + timedelta(days=30),
                            format=first_held.format, venue_id=first_held.venue_id, chair_id=first_held.chair_id,
                            status="held", created_by_id=first_held.created_by_id)
        changes = [ReviewChange(case_id=first_held.case_id, conference_id=first_held.id, text=text,
                                created_by_id=first_held.chair_id) for text in ("Meet at the family hub", "A Sylheti interpreter")]
        db.session.add_all([review, *changes])
        db.session.commit()
        added = [(ReviewChange, change.id) for change in changes] + [(Conference, review.id)]
    try:
        with app.app_context():  # outside a request: the feature's own query, every time
            conferences = [c for ids in conferences_of_cases(case_ids).values() for c in ids]
            held = [c for c in conferences if c.status == "held"]
            assert len(conferences) >= 3 and held
            expected = {
                "midway": midway_held_on_for(conferences),
                "actions": {c.id: has_actions(c) for c in conferences},
                "next": next_conference_days(held),
                "changes": {c.id: [(change.id, change.text) for change in db.session.scalars(
                    select(ReviewChange).where(ReviewChange.conference_id == c.id).order_by(ReviewChange.id))]
                    for c in conferences},
            }
            assert expected["midway"] == dict(db.session.execute(select(MidwayReview.conference_id, MidwayReview.held_on)).all())
            assert {i for i, has in expected["actions"].items() if has} == set(db.session.scalars(select(PlanAction.conference_id)))
            assert first_held.id in expected["next"]
            assert [text for _, text in expected["changes"][first_held.id]][-2:] == ["Meet at the family hub",
                                                                                     "A Sylheti interpreter"]
            people = list(db.session.scalars(select(User).join(Participant, Participant.user_id == User.id).distinct()))
            answered = {tuple(row) for row in db.session.execute(select(Feedback.conference_id, Feedback.user_id))}
            assert answered, "the demo data has feedback"

        with app.test_request_context("/home"):
            conferences = [c for ids in conferences_of_cases(case_ids).values() for c in ids]
            held = [c for c in conferences if c.status == "held"]
            with recording(app) as statements:
                assert midway_held_on_for(conferences) == expected["midway"]
                assert {c.id: has_actions(c) for c in conferences} == expected["actions"]
                assert next_conference_days(held) == expected["next"]
                assert {c.id: sorted(conference_fact_of("review_changes", c, None, list))
                        for c in conferences} == expected["changes"]
            assert statements == []  # all of it came with the conferences

        for person in people:
            with app.test_request_context("/home"):
                user = db.session.get(User, person.id)
                rows = keep_conferences(db.session.execute(with_conferences(
                    select(Case, Participant).join(Participant).where(Participant.user_id == user.id), user)), user)
                assert rows
                with recording(app) as statements:
                    for case, _ in rows:
                        for conference in conferences_of(case):
                            assert has_answered(conference, user) == ((conference.id, user.id) in answered)
                assert statements == []
    finally:
        with app.app_context():
            for kind, row_id in added:
                db.session.delete(db.session.get(kind, row_id))
            db.session.commit()
