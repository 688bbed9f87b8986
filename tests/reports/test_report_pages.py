"""Report pages: write, save versions, conflicts, submit, share, read, read receipts; the father never sees it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.cases.models import Case
from portal.db import db
from tests.conftest import csrf_token_from, sign_in

CASE_A = "FC-7KQ3-M9XD"
SECRET = "Ruby told her teacher about the shouting at night (test words 4417)."


def signed_in(app, login):
    client = app.test_client()
    sign_in(client, login)
    return client


def conference_url(app) -> str:
    """The conference the family's home shows: the next scheduled one."""
    from portal.cases.conferences import next_conference

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        return f"/cases/{CASE_A}/conferences/{next_conference(case).id}"


def write_report(app, author, sections: dict) -> str:
    url = conference_url(app)
    started = author.post(url + "/reports", data={"csrf_token": csrf_token_from(author, url)})
    assert started.status_code == 303
    edit_url = started.headers["Location"]
    page = author.get(edit_url).get_data(as_text=True)
    based_on = re.search(r'name="based_on" type="hidden" value="(\d+)"', page).group(1)
    saved = author.post(edit_url, data={"csrf_token": csrf_token_from(author, edit_url), "based_on": based_on, **sections})
    assert saved.status_code == 303
    return edit_url


@pytest.fixture()
def shared_report(app, demo):
    """Priya's report, shared with Alice only."""
    priya = signed_in(app, "priya.plover@example.org")
    edit_url = write_report(app, priya, {"worries": SECRET, "going_well": "Ruby is kind to her friends."})
    report_url = edit_url.removesuffix("/edit")
    priya.post(report_url + "/submit", data={"csrf_token": csrf_token_from(priya, edit_url)})
    share_page = priya.get(report_url + "/share").get_data(as_text=True)
    alice_id = re.search(r'value="(\d+)"[^>]*checked[^>]*>\s*<label[^>]*>\s*(?:<bdi>)?Alice Appleby', share_page)
    assert alice_id, share_page[share_page.find("govuk-checkboxes"):][:1500]
    assert "Arthur Appleby" in share_page and not re.search(r'value="\d+" checked[^>]*>\s*<label[^>]*>\s*(?:<bdi>)?Arthur', share_page)
    priya.post(report_url + "/share", data={"csrf_token": csrf_token_from(priya, report_url + "/share"), "recipients": [alice_id.group(1)]})
    return report_url


def test_the_plain_words_check_shows_while_writing(app, demo):
    priya = signed_in(app, "priya.plover@example.org")
    edit_url = write_report(app, priya, {"what_happened": "After the s47 the ICPC was convened."})
    page = priya.get(edit_url).get_data(as_text=True)
    assert "Plain words check" in page and "an enquiry to check whether a child is safe" in page


def test_two_writers_at_once_see_both_versions(app, demo):
    priya = signed_in(app, "priya.plover@example.org")
    edit_url = write_report(app, priya, {"worries": "Version A"})
    page = priya.get(edit_url).get_data(as_text=True)
    based_on = re.search(r'name="based_on" type="hidden" value="(\d+)"', page).group(1)
    token = csrf_token_from(priya, edit_url)
    first = priya.post(edit_url, data={"csrf_token": token, "based_on": based_on, "worries": "Saved first"})
    second = priya.post(edit_url, data={"csrf_token": token, "based_on": based_on, "worries": "Typed in another tab"})
    assert first.status_code == 303 and second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Typed in another tab" in html and "Saved first" in html and "Someone saved this report" in html


def test_shared_with_the_mother_only(app, shared_report):
    alice, arthur = signed_in(app, "alice.appleby@example.org"), signed_in(app, "arthur.appleby@example.org")
    page = alice.get(shared_report).get_data(as_text=True)
    assert SECRET.replace("'", "&#39;") in page and "Ruby is kind to her friends." in page
    assert arthur.get(shared_report).status_code == 404
    # Nowhere in the father's pages: home, family page, conference page.
    for url in ("/home", f"/cases/{CASE_A}", conference_url(app)):
        assert "4417" not in arthur.get(url).get_data(as_text=True)
    assert shared_report not in arthur.get(conference_url(app)).get_data(as_text=True)
    home = arthur.get("/home").get_data(as_text=True)
    assert "Read the reports" in home and "No report has been shared with you yet" in home


def test_reading_to_the_end_is_recorded_and_counted(app, shared_report):
    alice = signed_in(app, "alice.appleby@example.org")
    alice.get(shared_report)
    home = alice.get("/home").get_data(as_text=True)
    assert re.search(r"\d+ of \d+ read", home)
    done = alice.post(shared_report + "/read-to-the-end", data={"csrf_token": csrf_token_from(alice, shared_report)})
    assert done.status_code == 303
    assert "You have told us you have read this report." in alice.get(shared_report).get_data(as_text=True)
    priya = signed_in(app, "priya.plover@example.org")
    receipts = priya.get(shared_report).get_data(as_text=True)
    assert "Alice Appleby</bdi>: opened" in receipts and "read to the end" in receipts


def test_drafts_are_the_authors_alone(app, demo):
    priya = signed_in(app, "priya.plover@example.org")
    edit_url = write_report(app, priya, {"worries": "Draft words 9931"})
    for login in ("sally.sparrow@example.org", "charlotte.chaffinch@example.org", "alice.appleby@example.org", "quinn.quail@example.org"):
        other = signed_in(app, login)
        assert other.get(edit_url).status_code == 404, login
        assert other.get(edit_url.removesuffix("/edit")).status_code == 404, login
    assert app.test_client().get(edit_url).status_code == 302


def test_report_routes_refuse_another_case_and_signed_out(app, shared_report):
    other_case = shared_report.replace(CASE_A, "FC-4HNP-T6WB")
    for login in ("beth.bramble@example.org", "colin.crane@example.org", "simon.swift@example.org", "priya.plover@example.org"):
        client = signed_in(app, login)
        assert client.get(other_case).status_code == 404, login
    for suffix in ("", "/edit", "/share"):
        assert app.test_client().get(shared_report + suffix).status_code == 302


def test_report_posts_refuse_the_other_parent_other_roles_and_signed_out(app, shared_report):
    """The POST routes too: reading to the end, and starting a report."""
    arthur = signed_in(app, "arthur.appleby@example.org")
    token = csrf_token_from(arthur, "/home")
    assert arthur.post(shared_report + "/read-to-the-end", data={"csrf_token": token}).status_code == 404
    start_url = conference_url(app) + "/reports"
    assert arthur.post(start_url, data={"csrf_token": token}).status_code == 404  # family members do not write reports here
    harry = signed_in(app, "harry.heron@example.org")  # a professional on the other case
    assert harry.post(start_url, data={"csrf_token": csrf_token_from(harry, "/cases")}).status_code == 404
    anonymous = app.test_client()
    token = csrf_token_from(anonymous, "/")
    assert anonymous.post(start_url, data={"csrf_token": token}).status_code == 302
    assert anonymous.post(shared_report + "/read-to-the-end", data={"csrf_token": token}).status_code == 302
