"""Discussion on report sections, help requests and the talk-through: who sees what, neutral messages,
unanswered questions on the chair's dashboard, and no double posts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.db import db
from portal.reports.models import Comment, ReportRequest
from tests.conftest import csrf_token_from
from tests.reports.test_report_pages import CASE_A, shared_report, signed_in  # noqa: F401 (fixture)

QUESTION = "Why does it say Ruby missed school? She was ill (question words 5521)."


def key_from(page: str, prefix: str) -> str:
    return re.search(rf'name="{re.escape(prefix)}submission_key" type="hidden" value="([^"]+)"', page).group(1)


def ask(client, report_url: str, section: str = "worries", kind: str = "question", body: str = QUESTION, key: str | None = None):
    page = client.get(report_url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(client, report_url), f"{section}-kind": kind, f"{section}-body": body,
            f"{section}-submission_key": key or key_from(page, f"{section}-")}
    return client.post(f"{report_url}/sections/{section}/comments", data=data)


def unanswered_on_dashboard(chair) -> int:
    page = chair.get("/cases").get_data(as_text=True)
    return sum(int(n) for n in re.findall(r"Family questions not answered: (\d+)", page))


def test_a_question_is_seen_by_its_asker_author_chair_and_social_worker_only(app, shared_report, outbox):
    alice, priya = signed_in(app, "alice.appleby@example.org"), signed_in(app, "priya.plover@example.org")
    chair = signed_in(app, "charlotte.chaffinch@example.org")
    before = unanswered_on_dashboard(chair)
    outbox.clear()
    response = ask(alice, shared_report)
    assert response.status_code == 303
    assert QUESTION in alice.get(shared_report).get_data(as_text=True)
    for login in ("priya.plover@example.org", "charlotte.chaffinch@example.org", "sally.sparrow@example.org"):
        assert QUESTION in signed_in(app, login).get(shared_report).get_data(as_text=True), login
    # The other parent cannot open the report; the advocate, the SQA manager and other staff never see the thread.
    assert signed_in(app, "arthur.appleby@example.org").get(shared_report).status_code == 404
    for login in ("ada.avocet@example.org", "quinn.quail@example.org"):
        page = signed_in(app, login).get(shared_report)
        assert QUESTION not in page.get_data(as_text=True), login
    # The author and the chair are told, in neutral words.
    told = {message.to for message in outbox}
    assert {"priya.plover@example.org", "charlotte.chaffinch@example.org"} <= told
    for message in outbox:
        words = f"{message.subject} {message.body}"
        assert "Ruby" not in words and "question" not in words.lower() and "child protection" not in words.lower()
    assert unanswered_on_dashboard(chair) == before + 1

    # The author replies; Alice sees the answer; the question no longer counts as unanswered.
    page = priya.get(shared_report).get_data(as_text=True)
    thread_id = re.search(r'id="thread-(\d+)"', page).group(1)
    reply_url = f"{shared_report}/comments/{thread_id}/replies"
    prefix = f"reply-{thread_id}-"
    outbox.clear()
    replied = priya.post(reply_url, data={"csrf_token": csrf_token_from(priya, shared_report), f"{prefix}body": "We will correct it.",
                                          f"{prefix}submission_key": key_from(page, prefix)})
    assert replied.status_code == 303
    assert "We will correct it." in alice.get(shared_report).get_data(as_text=True)
    assert [message.to for message in outbox] == ["alice.appleby@example.org"]
    assert unanswered_on_dashboard(chair) == before
    # Nobody outside the thread may reply to it, even with a valid token.
    for login in ("grace.appleby@example.org", "arthur.appleby@example.org", "ada.avocet@example.org"):
        client = signed_in(app, login)
        status = client.post(reply_url, data={"csrf_token": csrf_token_from(client, "/"), f"{prefix}body": "x"}).status_code
        assert status == 404, login


def test_grace_never_sees_alices_thread_though_both_received_the_report(app, demo):
    from tests.reports.test_report_pages import write_report

    priya = signed_in(app, "priya.plover@example.org")
    report_url = write_report(app, priya, {"worries": "Shared with two."}).removesuffix("/edit")
    priya.post(report_url + "/submit", data={"csrf_token": csrf_token_from(priya, report_url + "/edit")})
    page = priya.get(report_url + "/share").get_data(as_text=True)
    ids = [re.search(rf'value="(\d+)"[^>]*checked[^>]*>\s*<label[^>]*>\s*(?:<bdi>)?{name}', page).group(1)
           for name in ("Alice Appleby", "Grace Appleby")]  # both ticked by default
    priya.post(report_url + "/share", data={"csrf_token": csrf_token_from(priya, report_url + "/share"), "recipients": ids})
    alice, grace = signed_in(app, "alice.appleby@example.org"), signed_in(app, "grace.appleby@example.org")
    assert ask(alice, report_url, section="impact", kind="disagree", body="Alice disagrees here 8812.").status_code == 303
    page = grace.get(report_url)
    assert page.status_code == 200 and "Alice disagrees here 8812." not in page.get_data(as_text=True)


def test_a_double_tap_posts_one_comment_and_bad_input_keeps_what_was_typed(app, shared_report, outbox):
    alice = signed_in(app, "alice.appleby@example.org")
    page = alice.get(shared_report).get_data(as_text=True)
    key = key_from(page, "impact-")
    body = "Sent twice by a double tap 7310."
    outbox.clear()
    assert ask(alice, shared_report, section="impact", body=body, key=key).status_code == 303
    told_once = len(outbox)
    assert ask(alice, shared_report, section="impact", body=body, key=key).status_code == 303
    assert len(outbox) == told_once  # nobody is told twice
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id)).where(Comment.body == body)) == 1
    # No choice and no words: a clear error, and the page keeps the typed words of another try.
    bad = alice.post(f"{shared_report}/sections/impact/comments",
                     data={"csrf_token": csrf_token_from(alice, shared_report), "impact-body": "Kept words 4410",
                           "impact-submission_key": key_from(page, "going_well-")})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Select what you would like to do" in text and "Kept words 4410" in text
    assert "There is a problem" in text
    # A section that does not exist, and a family member who did not receive the report: 404.
    assert ask(alice, shared_report, section="not_a_section", key="a" * 20).status_code == 404


def test_help_requests_are_kept_once_and_shown_to_staff(app, shared_report, outbox):
    alice = signed_in(app, "alice.appleby@example.org")
    token = csrf_token_from(alice, shared_report)
    for _ in range(2):
        assert alice.post(f"{shared_report}/help/talk_through", data={"csrf_token": token}).status_code == 303
    assert alice.post(f"{shared_report}/help/interpreter", data={"csrf_token": token, "language": "Bengali (Sylheti)"}).status_code == 303
    report_id = int(shared_report.rsplit("/", 1)[1])
    with app.app_context():
        kinds = sorted(db.session.scalars(select(ReportRequest.kind).where(ReportRequest.report_id == report_id)))
    assert kinds == ["interpreter", "talk_through"]
    page = alice.get(shared_report).get_data(as_text=True)
    assert "You have asked for someone to talk you through this report." in page
    staff_page = signed_in(app, "priya.plover@example.org").get(shared_report).get_data(as_text=True)
    assert "asked for an interpreter (<bdi>Bengali (Sylheti)</bdi>)" in staff_page
    # Grace's request and who has read the report are not for Alice's advocate.
    grace = signed_in(app, "grace.appleby@example.org")
    grace.post(f"{shared_report}/help/interpreter", data={"csrf_token": csrf_token_from(grace, shared_report), "language": "Grace 6061"})
    ada_page = signed_in(app, "ada.avocet@example.org").get(shared_report).get_data(as_text=True)
    assert "Grace 6061" not in ada_page and "Bengali (Sylheti)" not in ada_page and "Who has read it" not in ada_page
    arthur = signed_in(app, "arthur.appleby@example.org")
    assert arthur.post(f"{shared_report}/help/talk_through", data={"csrf_token": csrf_token_from(arthur, "/")}).status_code == 404
    anonymous = app.test_client()
    assert anonymous.post(f"{shared_report}/help/talk_through", data={"csrf_token": csrf_token_from(anonymous, "/")}).status_code == 302


def test_the_author_records_the_talk_through_and_a_future_date_is_refused(app, shared_report):
    priya = signed_in(app, "priya.plover@example.org")
    token = csrf_token_from(priya, shared_report)
    future = priya.post(f"{shared_report}/talked-through", data={"csrf_token": token, "day": ["1", "1", "2099"]})
    assert future.status_code == 400 and "The date must be today or in the past" in future.get_data(as_text=True)
    assert 'value="2099"' in future.get_data(as_text=True)
    done = priya.post(f"{shared_report}/talked-through", data={"csrf_token": token, "day": ["2", "1", "2026"]})
    assert done.status_code == 303
    assert "talked the family through this report on 2 January 2026" in priya.get(shared_report).get_data(as_text=True)
    # Only the author records it.
    sally = signed_in(app, "sally.sparrow@example.org")
    assert sally.post(f"{shared_report}/talked-through", data={"csrf_token": csrf_token_from(sally, shared_report),
                                                               "day": ["2", "1", "2026"]}).status_code == 404


def test_a_hand_made_date_post_is_an_error_not_a_crash(app, shared_report):
    priya = signed_in(app, "priya.plover@example.org")
    token = csrf_token_from(priya, shared_report)
    for data in ({}, {"day": "5"}, {"day": ["1", "2", "3", "4"]}):
        response = priya.post(f"{shared_report}/talked-through", data={"csrf_token": token, **data})
        assert response.status_code == 400, data
