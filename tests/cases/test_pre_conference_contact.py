"""The chair's contact with the family: recorded, counted by the timeline, and the family sees who will be there."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.cases.models import Case, Conference, Participant
from portal.db import db
from tests.conftest import csrf_token_from, sign_in

CASE_B = "FC-4HNP-T6WB"


def conference_url(app) -> str:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_B))
        conference_id = db.session.scalar(select(Conference.id).where(Conference.case_id == case.id, Conference.status == "scheduled").order_by(Conference.id))
        people = {p.user.email or p.user.username: p.id for p in db.session.scalars(select(Participant).where(Participant.case_id == case.id))}
    return f"/cases/{CASE_B}/conferences/{conference_id}", people


def test_the_chair_records_contact_and_the_family_sees_names_and_roles_only(app, demo):
    url, people = conference_url(app)
    chair = app.test_client()
    sign_in(chair, "colin.crane@example.org")
    form_url = url + "/pre-conference-contact"
    token = csrf_token_from(chair, form_url)
    today = date.today()
    bad = chair.post(form_url, data={"csrf_token": token, "contacted_on": [str(today.day), str(today.month), str(today.year)],
                                     "contacted_whom": "Beth", "other_attendees": "Just a name"})
    assert bad.status_code == 400 and "Line 1 is not like" in bad.get_data(as_text=True)
    assert "Just a name" in bad.get_data(as_text=True)
    done = chair.post(form_url, data={
        "csrf_token": token, "contacted_on": [str(today.day), str(today.month), str(today.year)], "contacted_whom": "Beth and George",
        "family_views": "Beth would like a short break halfway.", "attendees": [str(people["beth.bramble@example.org"]), str(people["george.bramble@example.org"])],
        "other_attendees": "Nora Nurse, School nurse, Example School", "comfortable_professional": "Harry Heron",
    })
    assert done.status_code == 303
    staff_view = chair.get(url).get_data(as_text=True)
    assert "Beth would like a short break halfway." in staff_view
    assert "Chair contacted the family at least 2 days before" in staff_view and "Done on time" in staff_view

    parent = app.test_client()
    sign_in(parent, "ben.bramble@example.org")
    family_view = parent.get(url).get_data(as_text=True)
    assert "Who will be there" in family_view
    assert "<bdi>Beth Bramble</bdi>: Parent" in family_view and "<bdi>Nora Nurse</bdi>: <bdi>School nurse</bdi>" in family_view
    assert "beth.bramble@example.org" not in family_view and "4 Hedge Walk" not in family_view
    assert "Beth would like a short break" not in family_view  # the chair's notes are for staff


def test_only_the_conferences_chair_records_contact(app, demo):
    url, _ = conference_url(app)
    for login in ("charlotte.chaffinch@example.org", "simon.swift@example.org", "beth.bramble@example.org", "quinn.quail@example.org"):
        client = app.test_client()
        sign_in(client, login)
        assert client.get(url + "/pre-conference-contact").status_code == 404, login
    assert app.test_client().get(url + "/pre-conference-contact").status_code == 302


def test_a_contact_date_in_the_future_is_refused(app, demo):
    url, _ = conference_url(app)
    chair = app.test_client()
    sign_in(chair, "colin.crane@example.org")
    later = date.today() + timedelta(days=2)
    response = chair.post(url + "/pre-conference-contact", data={
        "csrf_token": csrf_token_from(chair, url + "/pre-conference-contact"),
        "contacted_on": [str(later.day), str(later.month), str(later.year)], "contacted_whom": "Beth",
    })
    assert response.status_code == 400 and "must be today or in the past" in response.get_data(as_text=True)


def test_other_attendees_accept_the_arabic_comma():
    from portal.cases.conferences import parse_other_attendees

    assert parse_other_attendees("Sam Smith، Health visitor، NHS\n\nAda Ant, Teacher, School") == (
        [("Sam Smith", "Health visitor", "NHS"), ("Ada Ant", "Teacher", "School")], None)
    assert parse_other_attendees("Only, two")[1] == 1
