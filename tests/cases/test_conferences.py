"""Conferences: scheduling with the guide's rules, what the family sees, the calendar file, cancelling."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.cases.models import Case, Conference, Venue
from portal.db import db
from tests.conftest import csrf_token_from, sign_in

CASE_A = "FC-7KQ3-M9XD"


def venue_id(app, council_office: bool) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Venue.id).where(Venue.council_office.is_(council_office)).order_by(Venue.id)))


def chair_id(app) -> str:
    from portal.auth.models import User

    with app.app_context():
        return str(db.session.scalar(select(User.id).where(User.email == "charlotte.chaffinch@example.org")))


def schedule(client, app, *, day: date, at="10:30", kind="review", council_office=True, reason="", chair=None):
    token = csrf_token_from(client, f"/cases/{CASE_A}/conferences/new")
    return client.post(f"/cases/{CASE_A}/conferences/new", data={
        "csrf_token": token, "kind": kind, "day": [str(day.day), str(day.month), str(day.year)], "start_time": at,
        "format": "in_person", "venue": venue_id(app, council_office), "chair": chair or chair_id(app),
        "short_notice_reason": reason,
    })


@pytest.fixture()
def social_worker(app, demo):
    client = app.test_client()
    sign_in(client, "sally.sparrow@example.org")
    return client


def test_scheduling_tells_the_family_in_neutral_words(app, social_worker, outbox):
    day = date.today() + timedelta(days=30)
    response = schedule(social_worker, app, day=day)
    assert response.status_code == 303
    recipients = {m.to for m in outbox}
    assert "alice.appleby@example.org" in recipients and "arthur.appleby@example.org" in recipients
    assert "sally.sparrow@example.org" not in recipients
    for message in outbox:
        text = (message.subject + message.body).lower()
        for word in ("conference", "child", "protection", "appleby", "meeting"):
            assert word not in text
    with app.app_context():
        conference = db.session.scalars(select(Conference).order_by(Conference.id.desc())).first()
        london = conference.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London"))
        assert (london.date(), london.time()) == (day, time(10, 30))
        assert conference.family_notified_at is not None


@pytest.mark.parametrize(("fields", "message"), [
    ({"day": date(2020, 1, 1)}, "must be in the future"),
    ({"kind": "icpc", "council_office": False}, "must be held at council offices"),
    ({"day_offset": 5}, "less than 12 days&#39; notice. Say why"),
    ({"at": "25:00"}, "24-hour clock"),
    ({"chair": "99999"}, "Select a chair from the list"),
])
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(app, social_worker, fields, message):
    day = fields.pop("day", None) or date.today() + timedelta(days=fields.pop("day_offset", 30))
    response = schedule(social_worker, app, day=day, **fields)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html, html[html.find("govuk-error-summary"):][:800]
    assert f'value="{day.year}"' in html  # the date typed is kept
    assert "<title>Error:" in html


def test_a_bad_date_gets_the_real_date_message(app, social_worker):
    token = csrf_token_from(social_worker, f"/cases/{CASE_A}/conferences/new")
    response = social_worker.post(f"/cases/{CASE_A}/conferences/new", data={
        "csrf_token": token, "kind": "review", "day": ["31", "2", "2027"], "start_time": "10:00", "format": "hybrid",
        "venue": venue_id(app, True), "chair": chair_id(app),
    })
    html = response.get_data(as_text=True)
    assert "must be a real date" in html and 'value="31"' in html


def test_short_notice_is_allowed_with_a_reason_and_flagged(app, social_worker):
    response = schedule(social_worker, app, day=date.today() + timedelta(days=5), reason="The family asked to meet sooner.")
    assert response.status_code == 303
    page = social_worker.get(response.headers["Location"]).get_data(as_text=True)
    assert "Reason for short notice:" in page and "The family asked to meet sooner." in page


def test_the_family_sees_when_where_and_their_steps_in_their_language(app, social_worker):
    day = date.today() + timedelta(days=40)
    location = schedule(social_worker, app, day=day, at="14:00").headers["Location"]
    parent = app.test_client()
    sign_in(parent, "grace.appleby@example.org")
    html = parent.get(location).get_data(as_text=True)
    assert "Your conference" in html and "What needs to happen next?" in html
    assert "14:00" in html and day.strftime("%B") in html
    assert "Timeline rules" not in html  # staff only
    parent.set_cookie(app.config["LANGUAGE_COOKIE"], "pl")
    with app.app_context():
        from portal.auth.models import User

        grace = db.session.scalar(select(User).where(User.email == "grace.appleby@example.org"))
        grace.preferred_language = "pl"
        db.session.commit()
    try:
        html = parent.get(location).get_data(as_text=True)
        months_pl = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"]
        assert months_pl[day.month - 1] in html
        assert "What needs to happen next?" not in html
    finally:
        with app.app_context():
            grace = db.session.scalar(select(User).where(User.email == "grace.appleby@example.org"))
            grace.preferred_language = "en"
            db.session.commit()


def test_the_calendar_file_is_in_london_time_with_a_reminder_and_says_nothing_private(app, social_worker):
    day = date(date.today().year + 1, 7, 15)  # summer: BST
    location = schedule(social_worker, app, day=day, at="09:15").headers["Location"]
    parent = app.test_client()
    sign_in(parent, "alice.appleby@example.org")
    response = parent.get(location + "/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    ics = response.get_data(as_text=True)
    assert f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T091500" in ics
    assert "BEGIN:VTIMEZONE" in ics and "BEGIN:VALARM" in ics and "TRIGGER:-P1D" in ics
    assert "SUMMARY:Family meeting" in ics
    for private in ("Appleby", "protection", "FC-7KQ3"):
        assert private not in ics


def test_cancelling_tells_the_family_the_reason_and_flags_short_notice(app, social_worker, outbox):
    location = schedule(social_worker, app, day=date.today() + timedelta(days=1), reason="Urgent.").headers["Location"]
    token = csrf_token_from(social_worker, location + "/cancel")
    empty = social_worker.post(location + "/cancel", data={"csrf_token": token, "reason": ""})
    assert empty.status_code == 400 and "Enter why the conference is cancelled" in empty.get_data(as_text=True)
    outbox.clear()
    done = social_worker.post(location + "/cancel", data={"csrf_token": token, "reason": "The chair is ill."})
    assert done.status_code == 303
    assert "Cancelled at short notice" in social_worker.get(location).get_data(as_text=True)
    assert outbox and all("ill" not in m.body for m in outbox)  # the reason is on the site, not in the message
    parent = app.test_client()
    sign_in(parent, "alice.appleby@example.org")
    html = parent.get(location).get_data(as_text=True)
    assert "This conference is cancelled: <bdi>The chair is ill.</bdi>" in html
    assert "Cancelled at short notice" not in html  # a staff flag
    assert social_worker.get(location + "/cancel").status_code == 404  # already cancelled


def test_conference_routes_in_the_access_matrix(app, demo, social_worker):
    """Own case, another case, the other parent, signed out: for every conference route."""
    location = schedule(social_worker, app, day=date.today() + timedelta(days=50)).headers["Location"]
    conference_id = location.rsplit("/", 1)[1]
    with app.app_context():
        other_case = db.session.scalar(select(Case).where(Case.reference == "FC-4HNP-T6WB"))
        other_id = db.session.scalar(select(Conference.id).where(Conference.case_id == other_case.id))
    routes = {
        "detail": "/cases/{ref}/conferences/{id}",
        "calendar": "/cases/{ref}/conferences/{id}/calendar.ics",
        "new": "/cases/{ref}/conferences/new",
        "cancel": "/cases/{ref}/conferences/{id}/cancel",
    }
    expectations = {  # login: route -> expected status on own case (another case is always 404)
        "alice.appleby@example.org": {"detail": 200, "calendar": 200, "new": 404, "cancel": 404},
        "arthur.appleby@example.org": {"detail": 200, "calendar": 200, "new": 404, "cancel": 404},
        "sam.appleby": {"detail": 200, "calendar": 200, "new": 404, "cancel": 404},
        "ada.avocet@example.org": {"detail": 200, "calendar": 200, "new": 404, "cancel": 404},
        "sally.sparrow@example.org": {"detail": 200, "calendar": 200, "new": 200, "cancel": 200},
        "charlotte.chaffinch@example.org": {"detail": 200, "calendar": 200, "new": 404, "cancel": 200},
        "priya.plover@example.org": {"detail": 200, "calendar": 200, "new": 404, "cancel": 404},
        "adam.auk@example.org": {"detail": 404, "calendar": 404, "new": 404, "cancel": 404},
    }
    cells, wrong = 0, []
    for login, expected in expectations.items():
        client = app.test_client()
        sign_in(client, login)
        for name, pattern in routes.items():
            own = client.get(pattern.format(ref=CASE_A, id=conference_id)).status_code
            other = client.get(pattern.format(ref="FC-4HNP-T6WB", id=other_id)).status_code
            crossed = client.get(pattern.format(ref=CASE_A, id=other_id)).status_code  # another case's conference under this case
            cells += 3
            if own != expected[name] or other != 404 or (name != "new" and crossed != 404):
                wrong.append((login, name, own, other, crossed))
    for name, pattern in routes.items():
        response = app.test_client().get(pattern.format(ref=CASE_A, id=conference_id))
        cells += 1
        if response.status_code != 302:
            wrong.append(("signed out", name, response.status_code))
    print(f"\naccess matrix, conference routes: {cells} cells")
    assert wrong == []
