"""The audit trail for people (issue 11, item 8): the SQA manager's access log of a child's records, and one
audit event for every read of a report, of wishes and feelings and of a plan."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.db import db
from tests.conftest import sign_in
from tests.test_access_matrix import CASE_A, CASE_B, demo_plan_ids, demo_report_ids, demo_young_people_ids


def events(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def signed_in_as(app, login: str):
    client = app.test_client()
    assert sign_in(client, login).status_code == 303
    return client


def test_the_sqa_manager_sees_who_opened_a_childs_records_and_the_visit_is_audited(app, demo):
    ids = demo_young_people_ids(app)
    # Alice opens her case: the log shows her, as a parent, newest first.
    assert signed_in_as(app, "alice.appleby@example.org").get(f"/cases/{CASE_A}").status_code == 200
    quinn = signed_in_as(app, "quinn.quail@example.org")
    case_page = quinn.get(f"/cases/{CASE_A}").get_data(as_text=True)
    url = f"/cases/{CASE_A}/children/{ids['ruby']}/access-log"
    assert f'href="{url}"' in case_page

    before = events(app, "access_log.read")
    response = quinn.get(url)
    assert response.status_code == 200
    assert events(app, "access_log.read") == before + 1
    html = response.get_data(as_text=True)
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)[1:]
    assert 0 < len(rows) <= 50
    # Newest first: this very visit, then the case Quinn opened to get here, then Alice.
    assert "Looked at this access log" in rows[0] and "<bdi>Quinn Quail</bdi>" in rows[0]
    assert "Safeguarding and quality assurance manager" in rows[0]
    assert "Opened the case" in rows[1]
    alice_rows = [row for row in rows if "<bdi>Alice Appleby</bdi>" in row]
    assert alice_rows and "Parent" in alice_rows[0] and "<bdi>127.0.0.1</bdi>" in alice_rows[0]
    # Dates and times in Europe/London ("6 Dec 2026 at 22:47").
    assert re.search(r"\d{1,2} \w{3} \d{4} at \d{2}:\d{2}", rows[0])
    # Only who, what, when and where: never what anyone wrote (Alice's demo question on Priya's report).
    with app.app_context():
        from portal.reports.models import Comment

        bodies = db.session.scalars(select(Comment.body)).all()
    assert bodies and not any(body in html for body in bodies)


def test_the_log_is_for_the_childs_own_case_only(app, demo):
    ids = demo_young_people_ids(app)
    quinn = signed_in_as(app, "quinn.quail@example.org")
    assert quinn.get(f"/cases/{CASE_B}/children/{ids['ruby']}/access-log").status_code == 404
    assert quinn.get(f"/cases/{CASE_A}/children/99999999/access-log").status_code == 404
    # A page past the end lists nothing and links back to the newer entries.
    html = quinn.get(f"/cases/{CASE_A}/children/{ids['ruby']}/access-log?page=9999").get_data(as_text=True)
    assert "Nothing has been recorded" in html and "page=9998" in html
    assert quinn.get(f"/cases/{CASE_A}/children/{ids['ruby']}/access-log?page=nonsense").status_code == 200


@pytest.mark.parametrize("language", ["ar", "bn"])
def test_the_log_is_translated_with_names_and_addresses_isolated(app, demo, language):
    from portal.auth.models import User

    ids = demo_young_people_ids(app)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "quinn.quail@example.org"))
        saved, user.preferred_language = user.preferred_language, language
        db.session.commit()
    try:
        quinn = signed_in_as(app, "quinn.quail@example.org")
        html = quinn.get(f"/cases/{CASE_A}/children/{ids['ruby']}/access-log").get_data(as_text=True)
    finally:
        with app.app_context():
            db.session.scalar(select(User).where(User.email == "quinn.quail@example.org")).preferred_language = saved
            db.session.commit()
    assert f'lang="{language}"' in html[:300]
    for english in ("Looked at this access log", "Access log for", "Opened the case", "What they did", "Safeguarding"):
        assert english not in html, english
    assert "<bdi>Quinn Quail</bdi>" in html and "<bdi>127.0.0.1</bdi>" in html


def test_every_read_of_a_report_wishes_and_a_plan_writes_one_audit_event(app, demo):
    """DESIGN.md: every read of a report, wishes and feelings, or plan writes an audit event: one per request."""
    report, _ = demo_report_ids(app)
    young = demo_young_people_ids(app)
    plan = demo_plan_ids(app)
    reads = [
        ("alice.appleby@example.org", f"/cases/{CASE_A}/reports/{report}", "report.read"),
        ("grace.appleby@example.org", f"/cases/{CASE_A}/wishes/{young['wishes']}/read", "wishes.read"),
        ("clara.chestnut@example.org", f"/cases/FC-3VJT-C8PA/conferences/{plan['held']}/plan", "plan.read"),
    ]
    for login, path, action in reads:
        client = signed_in_as(app, login)
        for _ in range(2):
            before = events(app, action)
            assert client.get(path).status_code == 200, path
            assert events(app, action) == before + 1, (path, action)
