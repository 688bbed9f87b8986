"""The case page: what each viewer sees, escaped, and readable in right-to-left languages."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.db import db
from tests.conftest import sign_in


def test_people_and_their_details_are_isolated_for_right_to_left_pages(app, demo, client):
    sign_in(client, "arthur.appleby@example.org")
    client.set_cookie(app.config["LANGUAGE_COOKIE"], "ar")
    html = client.get("/cases/FC-7KQ3-M9XD").get_data(as_text=True)
    assert "<bdi>9 Cider Lane, London E2 0BB</bdi>" in html
    assert "<bdi>Alice Appleby</bdi>" in html


def test_names_typed_by_staff_are_escaped(app, demo, client, make_user):
    with app.app_context():
        sam = db.session.scalar(select(User).where(User.username == "sam.appleby"))
        original = sam.name
        sam.name = "Sam <script>alert(1)</script>"
        db.session.commit()
    try:
        sign_in(client, "sally.sparrow@example.org")
        html = client.get("/cases/FC-7KQ3-M9XD").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "Sam &lt;script&gt;alert(1)&lt;/script&gt;" in html
    finally:
        with app.app_context():
            sam = db.session.scalar(select(User).where(User.username == "sam.appleby"))
            sam.name = original
            db.session.commit()


def test_children_are_listed_with_their_age(app, demo, client):
    sign_in(client, "alice.appleby@example.org")
    html = client.get("/cases/FC-7KQ3-M9XD").get_data(as_text=True)
    assert "Ruby</bdi>, aged 7" in html and "Sam</bdi>, aged 15" in html
