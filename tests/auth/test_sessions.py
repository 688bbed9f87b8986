"""Sessions end on the server: a copied cookie stops working after sign-out, password change or deactivation."""

from __future__ import annotations

import time

import pytest

from portal.auth.models import User
from portal.db import db
from tests.conftest import csrf_token_from, sign_in


def session_cookie(client, app) -> str:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def replay(app, cookie: str, url: str = "/account"):
    """A second browser presenting a captured session cookie."""
    other = app.test_client()
    other.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return other.get(url)


def test_a_captured_cookie_works_until_sign_out_then_never_again(client, app, make_user):
    _, login, password = make_user()
    sign_in(client, login, password)
    captured = session_cookie(client, app)
    assert replay(app, captured).status_code == 200
    response = client.post("/sign-out", data={"csrf_token": csrf_token_from(client, "/account")})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert replay(app, captured).status_code == 302  # sent to sign in


def test_a_captured_cookie_is_refused_after_a_password_change(client, app, make_user):
    _, login, password = make_user()
    sign_in(client, login, password)
    captured = session_cookie(client, app)
    response = client.post("/account/password", data={
        "csrf_token": csrf_token_from(client, "/account/password"),
        "current": password, "password": "a brand new long password", "confirm": "a brand new long password",
    })
    assert response.status_code == 303
    assert replay(app, captured).status_code == 302
    assert sign_in(app.test_client(), login, "a brand new long password").status_code == 303


def test_a_captured_cookie_is_refused_after_deactivation(client, app, make_user):
    user_id, login, password = make_user(role="social_worker")
    sign_in(client, login, password)
    captured = session_cookie(client, app)
    with app.app_context():
        admin = db.session.get(User, make_user(role="admin")[0])
        from portal.admin.services import set_active

        with app.test_request_context():
            set_active(admin, db.session.get(User, user_id), False)
    assert replay(app, captured).status_code == 302


def test_sign_out_of_all_devices_ends_the_other_sessions(app, make_user):
    _, login, password = make_user()
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, login, password)
    sign_in(laptop, login, password)
    assert laptop.get("/account").status_code == 200
    phone.post("/sign-out-everywhere", data={"csrf_token": csrf_token_from(phone, "/account")})
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 302


def test_exit_this_page_ends_the_session_on_the_server(client, app, make_user):
    _, login, password = make_user()
    sign_in(client, login, password)
    captured = session_cookie(client, app)
    response = client.get("/exit")
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert replay(app, captured).status_code == 302


@pytest.mark.parametrize(("field", "age_seconds"), [("last_seen_at", 31 * 60), ("signed_in_at", 12 * 3600 + 60)])
def test_idle_and_absolute_timeouts_sign_you_out(client, make_user, field, age_seconds):
    _, login, password = make_user()
    sign_in(client, login, password)
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        session[field] = time.time() - age_seconds
        if field == "signed_in_at":
            session["last_seen_at"] = time.time()
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_activity_keeps_the_session_alive(client, make_user):
    _, login, password = make_user()
    sign_in(client, login, password)
    with client.session_transaction() as session:
        session["last_seen_at"] = time.time() - 29 * 60
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["last_seen_at"] < 5


def test_signing_in_starts_a_fresh_session(client, app, make_user):
    """No session fixation: a session cookie from before sign-in does not become the signed-in one."""
    _, login, password = make_user()
    client.get("/sign-in")
    before = session_cookie(client, app)
    sign_in(client, login, password)
    assert session_cookie(client, app) != before
    assert replay(app, before).status_code == 302
