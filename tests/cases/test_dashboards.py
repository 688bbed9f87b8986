"""Staff dashboards: the chair's conferences (overdue first), the social worker's cases, SQA filters and CSV."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.db import db
from tests.conftest import sign_in


def signed_in(app, login):
    client = app.test_client()
    sign_in(client, login)
    return client


def test_the_chair_sees_their_conferences_with_overdue_ones_first(app, demo):
    html = signed_in(app, "colin.crane@example.org").get("/cases").get_data(as_text=True)
    assert "Your upcoming conferences" in html
    assert "FC-4HNP-T6WB" in html and "FC-7KQ3-M9XD" not in html  # only their own
    # The Bramble conference was notified with 9 days' notice: done late, not overdue; the rules are listed.
    assert "Parents told at least 12 days before" in html and "Done late" in html


def test_overdue_conferences_come_first(app, demo):
    from datetime import date, timedelta

    from portal.cases.dashboards import chair_upcoming
    from portal.auth.models import User

    with app.app_context():
        chair = db.session.scalar(select(User).where(User.email == "colin.crane@example.org"))
        rows = chair_upcoming(chair, date.today() + timedelta(days=30))
        overdue = [row.overdue for row in rows]
        assert overdue == sorted(overdue, key=lambda n: n == 0)


def test_the_social_worker_sees_their_cases_and_next_conference(app, demo):
    html = signed_in(app, "sally.sparrow@example.org").get("/cases").get_data(as_text=True)
    assert "Your cases" in html and "FC-7KQ3-M9XD" in html and "FC-4HNP-T6WB" not in html
    assert "Set up a case" in html


def test_sqa_sees_every_conference_filters_sorts_and_exports_audited(app, demo):
    client = signed_in(app, "quinn.quail@example.org")
    html = client.get("/cases").get_data(as_text=True)
    assert "FC-7KQ3-M9XD" in html and "FC-4HNP-T6WB" in html
    filtered = client.get("/cases?status=cancelled&chair=").get_data(as_text=True)
    assert "Every conference" in filtered
    assert 'aria-sort="descending"' in html
    by_case = client.get("/cases?sort=case&order=asc").get_data(as_text=True)
    refs = re.findall(r"<bdi>(FC-[0-9A-Z]{4}-[0-9A-Z]{4})</bdi></a></td>", by_case)
    assert refs == sorted(refs)
    response = client.get("/cases?format=csv&sort=date")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["case", "conference", "kind", "date"] and len(rows) > 2
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.actor_role == "sqa_manager"))]
    assert "conferences.export" in actions and "conferences.list" in actions


def test_hostile_filter_values_are_ignored(app, demo):
    client = signed_in(app, "quinn.quail@example.org")
    for query in ("chair=1%20OR%201=1", "status=<script>", "overdue=../../x", "sort=__class__", "order=sideways"):
        response = client.get(f"/cases?{query}")
        assert response.status_code == 200
        assert "<script>" not in response.get_data(as_text=True)
