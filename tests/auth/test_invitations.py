"""Invitations: single use, 7 days, only the hash stored, neutral messages, clear pages when they fail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import Invitation, User
from portal.db import db, utcnow
from tests.conftest import csrf_token_from

LINK = re.compile(r"https?://[^/\s]+(/invitation/[A-Za-z0-9_-]+)")
FORBIDDEN_WORDS = ("child protection", "conference", "social worker", "appleby", "bramble")


def invite_someone(client, reference="FC-7KQ3-M9XD", **fields) -> None:
    data = {"name": "Nina Newperson", "role": "carer", "relationship": "Aunt", "lives_with_child": "no",
            "email": "", "mobile": "", "username": "", "language": "not-known", **fields}
    token = csrf_token_from(client, f"/cases/{reference}/invite")
    return client.post(f"/cases/{reference}/invite", data={"csrf_token": token, **data})


def link_from(outbox) -> str:
    return LINK.search(outbox[-1].body).group(1)


def test_social_worker_invites_by_email_and_the_message_is_neutral(demo, client, login_as, outbox, app):
    login_as("sally.sparrow@example.org")
    response = invite_someone(client, email="nina.one@example.org")
    assert response.status_code == 303
    assert len(outbox) == 1 and outbox[0].channel == "email" and outbox[0].to == "nina.one@example.org"
    text = (outbox[0].subject + outbox[0].body).lower()
    for word in FORBIDDEN_WORDS + ("nina",):
        assert word not in text, word
    token = link_from(outbox).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(Invitation.token_hash)).all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_invitation_by_mobile_goes_by_text(demo, client, login_as, outbox):
    login_as("sally.sparrow@example.org")
    assert invite_someone(client, name="Omar Other", mobile="07700 900 777").status_code == 303
    assert outbox[-1].channel == "sms" and outbox[-1].to == "+447700900777"
    assert "child protection" not in outbox[-1].body.lower()


def test_invite_form_errors_keep_what_was_typed(demo, client, login_as):
    login_as("sally.sparrow@example.org")
    response = invite_someone(client, name="Typed Name <b>", email="not-an-email", relationship="Uncle")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter an email address in the correct format" in html
    assert 'value="Typed Name &lt;b&gt;"' in html and 'value="Uncle"' in html
    response = invite_someone(client, email="", mobile="")
    assert "Enter an email address or a mobile phone number" in response.get_data(as_text=True)


def test_set_up_account_from_the_link_then_the_link_is_spent(demo, client, login_as, outbox, app):
    login_as("sally.sparrow@example.org")
    invite_someone(client, name="Pat Setup", email="pat.setup@example.org")
    path = link_from(outbox)
    newcomer = app.test_client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "Set up your account" in page.get_data(as_text=True)
    token = csrf_token_from(newcomer, path)
    weak = newcomer.post(path, data={"csrf_token": token, "password": "short", "confirm": "short", "language": "so"})
    assert weak.status_code == 400 and "at least 10 characters" in weak.get_data(as_text=True)
    assert 'value="so" checked' in weak.get_data(as_text=True)  # the language they chose is kept
    common = newcomer.post(path, data={"csrf_token": token, "password": "password123", "confirm": "password123", "language": "so"})
    assert "used by many people" in common.get_data(as_text=True)
    done = newcomer.post(path, data={"csrf_token": token, "password": "river stone blue kite", "confirm": "river stone blue kite", "language": "so"})
    assert done.status_code == 303
    assert newcomer.get("/home").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "pat.setup@example.org"))
        assert user.preferred_language == "so" and user.password_hash.startswith("$argon2id$")
    again = app.test_client().get(path)
    assert again.status_code == 410
    html = again.get_data(as_text=True)
    assert "already been used" in html and "Get a new invitation" in html


def test_an_expired_invitation_says_so_and_how_to_get_another(demo, client, login_as, outbox, app):
    login_as("sally.sparrow@example.org")
    invite_someone(client, name="Eve Expired", email="eve.expired@example.org")
    path = link_from(outbox)
    with app.app_context():
        invitation = db.session.scalars(select(Invitation).order_by(Invitation.id.desc())).first()
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "has run out" in response.get_data(as_text=True)
    assert "Get a new invitation" in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["x" * 43, "altered-token", "A" * 500, "%00%0d%0a", "a.b.c"])
def test_an_altered_token_gets_a_clear_page(client, token):
    response = client.get(f"/invitation/{token}")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_the_invitation_is_written_in_the_language_staff_chose(demo, client, login_as, outbox, app):
    """Staff who know the family's language choose it: the invitation and the set-up page are in it."""
    login_as("sally.sparrow@example.org")
    form = client.get("/cases/FC-7KQ3-M9XD/invite").get_data(as_text=True)
    assert re.search(r'<label[^>]*lang="bn"[^>]*for="language-\d+"', form), "each language is named in itself"
    assert 'name="language" type="radio" value="en" checked' not in form  # nothing is chosen for them
    assert invite_someone(client, name="Bina Bengali", email="bina@example.org", language="bn").status_code == 303
    words = outbox[-1].subject + outbox[-1].body
    assert re.search(r"[\u0980-\u09FF]", words) and "Your invitation" not in words
    with app.app_context():
        assert db.session.scalar(select(User.preferred_language).where(User.email == "bina@example.org")) == "bn"
    newcomer = app.test_client()
    page = newcomer.get(link_from(outbox)).get_data(as_text=True)
    assert '<html lang="bn"' in page and "Set up your account" not in page and 'value="bn" checked' in page
    newcomer.set_cookie(app.config["LANGUAGE_COOKIE"], "so")  # this phone chose Somali: that wins
    assert '<html lang="so"' in newcomer.get(link_from(outbox)).get_data(as_text=True)
    newcomer.set_cookie(app.config["LANGUAGE_COOKIE"], "de")  # not a shipped language: ignored
    assert '<html lang="bn"' in newcomer.get(link_from(outbox)).get_data(as_text=True)


def test_an_invitation_in_no_known_language_leaves_the_choice_to_them(demo, client, login_as, outbox, app):
    login_as("sally.sparrow@example.org")
    assert invite_someone(client, name="Una Known", email="una@example.org", language="not-known").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User.preferred_language).where(User.email == "una@example.org")) is None
    page = app.test_client().get(link_from(outbox), headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<html lang="pl"' in page  # their browser's language


def test_the_invite_form_asks_for_the_language_and_keeps_what_was_typed(demo, client, login_as):
    login_as("sally.sparrow@example.org")
    missing = invite_someone(client, name="Xavier X", email="x@example.org", language="")
    assert missing.status_code == 400 and "Select the language for their messages" in missing.get_data(as_text=True)
    refused = invite_someone(client, name="Xavier X", email="x@example.org", language="xx")
    assert refused.status_code == 400 and 'value="Xavier X"' in refused.get_data(as_text=True)
