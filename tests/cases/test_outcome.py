"""The outcome: the chair records what was decided and why; the family reads it in plain words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.cases.models import Case, Conference, Venue
from portal.db import db, utcnow
from tests.conftest import csrf_token_from, sign_in

CASE_A = "FC-7KQ3-M9XD"


@pytest.fixture()
def held_conference_url(app, demo):
    """A conference of case A that started an hour ago (scheduling in the past is refused, so made directly)."""
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        chair = db.session.scalar(select(User).where(User.email == "charlotte.chaffinch@example.org"))
        venue = db.session.scalar(select(Venue).where(Venue.council_office.is_(True)))
        conference = Conference(case_id=case.id, kind="icpc", starts_at=utcnow() - timedelta(hours=1), format="in_person",
                                venue_id=venue.id, chair_id=chair.id, family_notified_at=utcnow() - timedelta(days=14))
        db.session.add(conference)
        db.session.commit()
        return f"/cases/{CASE_A}/conferences/{conference.id}"


def test_the_chair_records_the_outcome_and_the_family_reads_it(app, held_conference_url, outbox):
    chair = app.test_client()
    sign_in(chair, "charlotte.chaffinch@example.org")
    assert "Record the outcome" in chair.get(held_conference_url).get_data(as_text=True)
    token = csrf_token_from(chair, held_conference_url + "/outcome")
    missing = chair.post(held_conference_url + "/outcome", data={"csrf_token": token, "decision": "plan", "reasons": "Because."})
    assert missing.status_code == 400 and "Select the category of the plan" in missing.get_data(as_text=True)
    assert "Because." in missing.get_data(as_text=True)
    done = chair.post(held_conference_url + "/outcome", data={
        "csrf_token": token, "decision": "plan", "category": "neglect",
        "reasons": "Ruby has often missed school and meals. A plan will help the family get support.",
    })
    assert done.status_code == 303
    assert outbox and all("neglect" not in m.body.lower() for m in outbox)
    staff_view = chair.get(held_conference_url).get_data(as_text=True)
    assert "Midway review 6 weeks after" in staff_view and "First review within 3 months" in staff_view

    parent = app.test_client()
    sign_in(parent, "alice.appleby@example.org")
    html = parent.get(held_conference_url).get_data(as_text=True)
    assert "What the conference decided" in html
    assert "The child or children need a child protection plan" in html and "Category: Neglect" in html
    assert "Ruby has often missed school and meals." in html
    assert "If you disagree with the decision" in html
    assert chair.get(held_conference_url + "/outcome").status_code == 404  # already recorded


def test_only_the_chair_records_an_outcome(app, held_conference_url):
    for login in ("sally.sparrow@example.org", "colin.crane@example.org", "alice.appleby@example.org"):
        client = app.test_client()
        sign_in(client, login)
        assert client.get(held_conference_url + "/outcome").status_code == 404, login


def test_no_outcome_before_the_conference_starts(app, demo):
    chair = app.test_client()
    sign_in(chair, "charlotte.chaffinch@example.org")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        upcoming = db.session.scalar(select(Conference).where(Conference.case_id == case.id, Conference.status == "scheduled",
                                                              Conference.starts_at > utcnow()))
        url = f"/cases/{CASE_A}/conferences/{upcoming.id}/outcome"
    response = chair.get(url)
    assert response.status_code == 303


def test_a_held_review_is_followed_by_the_next_review_rule(app, demo):
    from datetime import date

    from portal.cases.rules import rule_statuses
    from portal.timeline import RuleState

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == "FC-4HNP-T6WB"))
        chair = db.session.scalar(select(User).where(User.email == "colin.crane@example.org"))
        venue = db.session.scalar(select(Venue).where(Venue.council_office.is_(True)))
        first = Conference(case_id=case.id, kind="review", starts_at=utcnow() - timedelta(days=230), format="hybrid",
                           venue_id=venue.id, chair_id=chair.id, status="held")
        second = Conference(case_id=case.id, kind="review", starts_at=utcnow() - timedelta(days=20), format="hybrid",
                            venue_id=venue.id, chair_id=chair.id, status="held")
        db.session.add_all([first, second])
        db.session.commit()
        states = {s.rule: s.state for s in rule_statuses(first, date.today())}
        assert states["next_review"] == RuleState.DONE_LATE  # 210 days later is more than 6 months
        latest = {s.rule: s.state for s in rule_statuses(second, date.today())}
        assert latest["next_review"] == RuleState.DUE


def test_recording_an_outcome_needs_signing_in(app, held_conference_url):
    response = app.test_client().get(held_conference_url + "/outcome")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
