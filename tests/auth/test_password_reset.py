"""Password reset: the same answer for any login, a one-hour single-use link, neutral words."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import PasswordReset
from portal.db import db, utcnow
from tests.conftest import csrf_token_from, sign_in

LINK = re.compile(r"https?://[^/\s]+(/password-reset/[A-Za-z0-9_-]+)")


def ask(client, login):
    return client.post("/password-reset", data={"csrf_token": csrf_token_from(client, "/password-reset"), "login": login})


def test_the_answer_is_the_same_for_unknown_and_known_accounts(client, make_user, outbox):
    _, login, _ = make_user()
    unknown = ask(client, "nobody-at-all@example.org").get_data(as_text=True)
    known = ask(client, login).get_data(as_text=True)
    strip = lambda html: re.sub(r'(content|value|nonce)="[^"]*"', "", html)  # noqa: E731 (tokens differ)
    assert strip(unknown) == strip(known)
    assert len(outbox) == 1 and outbox[0].to == login


def test_the_link_sets_a_new_password_once_and_ends_other_sessions(client, app, make_user, outbox):
    _, login, password = make_user()
    old_device = app.test_client()
    sign_in(old_device, login, password)
    ask(client, login)
    body = outbox[-1].body
    assert "child protection" not in body.lower()
    path = LINK.search(body).group(1)
    token = csrf_token_from(client, path)
    response = client.post(path, data={"csrf_token": token, "password": "purple lanterns at dusk", "confirm": "purple lanterns at dusk"})
    assert response.status_code == 303
    assert old_device.get("/account").status_code == 302
    assert sign_in(app.test_client(), login, "purple lanterns at dusk").status_code == 303
    assert client.get(path).status_code == 404


def test_an_expired_link_does_not_work(client, app, make_user, outbox):
    _, login, _ = make_user()
    ask(client, login)
    path = LINK.search(outbox[-1].body).group(1)
    with app.app_context():
        reset = db.session.scalars(select(PasswordReset).order_by(PasswordReset.id.desc())).first()
        reset.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 404
    assert "Ask for a new link" in response.get_data(as_text=True)
