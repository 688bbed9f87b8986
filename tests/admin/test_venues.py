"""Venues: the admin keeps the list; only active venues can be booked; council offices for initial conferences."""

from __future__ import annotations

import re

from tests.conftest import csrf_token_from, sign_in


def admin_client(app):
    client = app.test_client()
    sign_in(client, "adam.auk@example.org")
    return client


def test_the_admin_adds_and_retires_a_venue(app, demo):
    client = admin_client(app)
    token = csrf_token_from(client, "/admin/venues/new")
    bad = client.post("/admin/venues/new", data={"csrf_token": token, "name": "Kept name", "address": "", "council_office": "no", "active": "yes"})
    assert bad.status_code == 400
    assert "Enter the address of the venue" in bad.get_data(as_text=True) and 'value="Kept name"' in bad.get_data(as_text=True)
    done = client.post("/admin/venues/new", data={"csrf_token": token, "name": "Library (test)", "address": "3 Example Lane",
                                                   "accessibility_notes": "Lift to all floors.", "council_office": "no", "active": "yes"})
    assert done.status_code == 303
    listing = client.get("/admin/venues").get_data(as_text=True)
    assert "Library (test)" in listing
    link = re.search(r'href="(/admin/venues/\d+)"><bdi>Library \(test\)', listing).group(1)
    page = client.get(link).get_data(as_text=True)
    assert 'value="Library (test)"' in page and 'value="no" checked' in page
    retired = client.post(link, data={"csrf_token": token, "name": "Library (test)", "address": "3 Example Lane",
                                      "council_office": "no", "active": "no"})
    assert retired.status_code == 303
    sally = app.test_client()
    sign_in(sally, "sally.sparrow@example.org")
    assert "Library (test)" not in sally.get("/cases/FC-7KQ3-M9XD/conferences/new").get_data(as_text=True)


def test_only_the_admin_and_the_sqa_manager_manage_venues(app, demo):
    """Issue "Support": the SQA manager manages the venue list the family chooses from."""
    quinn = app.test_client()
    sign_in(quinn, "quinn.quail@example.org")
    assert quinn.get("/admin/venues").status_code == 200 and quinn.get("/admin/venues/1").status_code == 200
    for login in ("sally.sparrow@example.org", "charlotte.chaffinch@example.org", "alice.appleby@example.org"):
        client = app.test_client()
        sign_in(client, login)
        assert client.get("/admin/venues").status_code == 404
        assert client.get("/admin/venues/1").status_code == 404
    assert app.test_client().get("/admin/venues").status_code == 302
    assert admin_client(app).get("/admin/venues/99999").status_code == 404
