"""Signing in: one message for every failure, audit of each attempt, no open redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.db import db
from tests.conftest import sign_in

FAILURE = "The details you entered are not right"


def test_sign_in_with_email_lands_on_home(client, make_user):
    _, login, password = make_user()
    response = sign_in(client, login.upper(), password)
    assert response.status_code == 303
    assert response.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200


def test_sign_in_with_mobile_number_or_username(client, app, make_user):
    _, _, password = make_user(mobile="+447700900555")
    assert sign_in(client, "07700 900 555", password).status_code == 303
    _, _, password = make_user(role="young_person", username="kit.test")
    assert sign_in(app.test_client(), "Kit.Test", password).status_code == 303


@pytest.mark.parametrize("case", ["wrong password", "unknown account", "deactivated"])
def test_every_failure_gets_the_same_answer(client, app, make_user, case):
    user_id, login, password = make_user(active=(case != "deactivated"))
    if case == "wrong password":
        password = "not the password at all"
    if case == "unknown account":
        login = "nobody-here@example.org"
    response = sign_in(client, login, password)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert FAILURE in html
    assert "<title>Error:" in html
    assert login.lower() in html.lower()  # what they typed is kept
    assert 'value="not the password' not in html and f'value="{password}"' not in html  # never the password


def test_sign_in_attempts_are_audited(client, app, make_user):
    user_id, login, password = make_user()
    sign_in(client, login, "wrong password here")
    sign_in(client, login, password)
    with app.app_context():
        outcomes = [e.outcome for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sign_in", AuditEvent.object_id == str(user_id)).order_by(AuditEvent.id))]
    assert outcomes == ["failure", "success"]


def test_an_empty_form_says_what_to_enter(client):
    from tests.conftest import csrf_token_from

    response = client.post("/sign-in", data={"csrf_token": csrf_token_from(client, "/sign-in"), "login": "", "password": ""})
    html = response.get_data(as_text=True)
    assert "Enter your email address, mobile phone number or username" in html
    assert "Enter your password" in html


@pytest.mark.parametrize("target", [
    "//x.example", "/\\x.example", "https:x.example", "https://x.example", "%2F%2Fx.example",
    "/cases\r\nLocation: https://x.example", "\\/x.example", "/%0d%0aSet-Cookie:x=y",
])
def test_next_never_leaves_the_site(client, make_user, target):
    _, login, password = make_user()
    response = sign_in(client, login, password, next_url=target)
    assert response.status_code == 303
    location = response.headers["Location"]
    parts = urlsplit(location.replace("\\", "/"))
    assert location.startswith("/") and not location.startswith("//")
    assert not parts.scheme and not parts.netloc
    assert "\r" not in location and "\n" not in location


def test_next_to_a_page_of_the_site_is_followed(client, make_user):
    _, login, password = make_user()
    response = sign_in(client, login, password, next_url="/account")
    assert response.headers["Location"] == "/account"


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(client, make_user):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/account")
