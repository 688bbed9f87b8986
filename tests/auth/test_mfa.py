"""Staff MFA: enrol with an authenticator app, give a code at each sign-in, admin reset."""

from __future__ import annotations

import pyotp
import pytest

from portal.auth.models import User
from portal.db import db
from tests.conftest import csrf_token_from, make_app, sign_in


@pytest.fixture(scope="module")
def mfa_app(database_uri):
    return make_app({"SQLALCHEMY_DATABASE_URI": database_uri, "STAFF_MFA_REQUIRED": True})


def test_staff_must_enrol_then_give_a_code_each_time(mfa_app, make_user):
    user_id, login, password = make_user(role="social_worker")
    client = mfa_app.test_client()
    response = sign_in(client, login, password, next_url="/cases")
    assert response.headers["Location"] == "/mfa/set-up"
    assert client.get("/cases").headers["Location"] == "/mfa/set-up"  # nothing else until enrolled
    page = client.get("/mfa/set-up").get_data(as_text=True)
    assert "<svg" in page
    with client.session_transaction() as session:
        secret = session["mfa_enrolment_secret"]
    token = csrf_token_from(client, "/mfa/set-up")
    wrong = client.post("/mfa/set-up", data={"csrf_token": token, "code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.get_data(as_text=True)
    right = client.post("/mfa/set-up", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert right.headers["Location"] == "/cases"
    assert client.get("/cases").status_code == 200

    again = mfa_app.test_client()
    assert sign_in(again, login, password).headers["Location"] == "/mfa/check"
    assert again.get("/account").headers["Location"] == "/mfa/check"
    token = csrf_token_from(again, "/mfa/check")
    assert again.post("/mfa/check", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}).status_code == 303
    assert again.get("/account").status_code == 200


def test_family_members_are_not_asked_for_a_code(mfa_app, make_user):
    _, login, password = make_user(role="parent")
    client = mfa_app.test_client()
    assert sign_in(client, login, password).headers["Location"] == "/home"


def test_admin_reset_makes_them_enrol_again(mfa_app, make_user):
    user_id, login, password = make_user(role="chair", mfa_secret=pyotp.random_base32())
    admin_id, admin_login, admin_password = make_user(role="admin", mfa_secret=pyotp.random_base32())
    admin = mfa_app.test_client()
    sign_in(admin, admin_login, admin_password)
    with mfa_app.app_context():
        admin_secret = db.session.get(User, admin_id).mfa_secret
    admin.post("/mfa/check", data={"csrf_token": csrf_token_from(admin, "/mfa/check"), "code": pyotp.TOTP(admin_secret).now()})
    response = admin.post(f"/admin/staff/{user_id}/reset-mfa", data={"csrf_token": csrf_token_from(admin, "/admin/staff")})
    assert response.status_code == 303
    with mfa_app.app_context():
        assert db.session.get(User, user_id).mfa_secret is None
    assert sign_in(mfa_app.test_client(), login, password).headers["Location"] == "/mfa/set-up"
