"""Admin pages: create, deactivate and reactivate staff accounts (audited)."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.db import db
from tests.conftest import csrf_token_from, sign_in


def test_admin_creates_a_staff_account_and_it_gets_an_invitation(app, demo, client, outbox):
    sign_in(client, "adam.auk@example.org")
    token = csrf_token_from(client, "/admin/staff/new")
    bad = client.post("/admin/staff/new", data={"csrf_token": token, "name": "Nell New", "email": "nope", "role": ""})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "Select their role" in html and 'value="Nell New"' in html
    done = client.post("/admin/staff/new", data={"csrf_token": token, "name": "Nell New", "email": "Nell.New@Example.org", "role": "chair"})
    assert done.status_code == 303
    assert outbox[-1].to == "nell.new@example.org" and "/invitation/" in outbox[-1].body
    assert "Nell New" in client.get("/admin/staff").get_data(as_text=True)
    duplicate = client.post("/admin/staff/new", data={"csrf_token": token, "name": "Nell Again", "email": "nell.new@example.org", "role": "chair"})
    assert "already uses this email address" in duplicate.get_data(as_text=True)


def test_deactivated_staff_cannot_sign_in_until_reactivated(app, demo, client, make_user):
    user_id, login, password = make_user(role="professional")
    sign_in(client, "adam.auk@example.org")
    token = csrf_token_from(client, "/admin/staff")
    assert client.post(f"/admin/staff/{user_id}/deactivate", data={"csrf_token": token}).status_code == 303
    assert sign_in(app.test_client(), login, password).status_code == 400
    assert client.post(f"/admin/staff/{user_id}/reactivate", data={"csrf_token": token}).status_code == 303
    assert sign_in(app.test_client(), login, password).status_code == 303
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == str(user_id)))]
    assert "account.deactivate" in actions and "account.reactivate" in actions


def test_admin_cannot_deactivate_themself(app, demo, client):
    sign_in(client, "adam.auk@example.org")
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.email == "adam.auk@example.org"))
    response = client.post(f"/admin/staff/{admin_id}/deactivate", data={"csrf_token": csrf_token_from(client, "/admin/staff")})
    assert response.status_code == 400
