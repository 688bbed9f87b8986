"""No lost words: what a family member types in a long-text form is kept on the server as they type
(an autosave to the form's own URL), shown to them alone when they come back, and gone once sent."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.db import db
from portal.drafts import Draft
from tests.conftest import csrf_token_from
from tests.reports.test_discussion import key_from
from tests.reports.test_report_pages import CASE_A, shared_report, signed_in  # noqa: F401 (fixture)

AUTOSAVE = {"X-Autosave": "1", "HX-Request": "true"}
WORDS = "Half a question about school, typed on the bus 6614"


def autosave(client, url: str, data: dict, from_url: str):
    return client.post(url, data={"csrf_token": csrf_token_from(client, from_url), **data}, headers=AUTOSAVE)


def drafts_holding(app, text: str) -> int:
    with app.app_context():
        return sum(text in str(row.fields) for row in db.session.scalars(select(Draft)))


def test_a_comment_is_kept_as_typed_shown_only_to_its_writer_and_gone_once_sent(app, shared_report):
    alice, grace = signed_in(app, "alice.appleby@example.org"), signed_in(app, "grace.appleby@example.org")
    url = f"{shared_report}/sections/worries/comments"
    saved = autosave(alice, url, {"worries-kind": "question", "worries-body": WORDS}, shared_report)
    assert saved.status_code == 200
    assert "Draft saved at" in saved.get_data(as_text=True)
    assert drafts_holding(app, WORDS) == 1
    # A second autosave of the same form updates the one draft.
    autosave(alice, url, {"worries-kind": "question", "worries-body": WORDS + " and more"}, shared_report)
    assert drafts_holding(app, WORDS) == 1
    page = alice.get(shared_report).get_data(as_text=True)
    assert WORDS + " and more" in page and "Draft saved at" in page
    # Grace, of the same family: Alice's draft is not on her page (a draft is its writer's alone).
    grace_page = grace.get(shared_report)
    assert grace_page.status_code in (200, 404) and WORDS not in grace_page.get_data(as_text=True)
    # Sending it makes the comment and removes the draft.
    page = alice.get(shared_report).get_data(as_text=True)
    sent = alice.post(url, data={"csrf_token": csrf_token_from(alice, shared_report), "worries-kind": "question",
                                 "worries-body": WORDS + " and more", "worries-submission_key": key_from(page, "worries-")})
    assert sent.status_code == 303
    assert drafts_holding(app, WORDS) == 0


def test_an_autosave_goes_through_the_same_access_checks_as_a_real_send(app, shared_report, client):
    url = f"{shared_report}/sections/worries/comments"
    arthur = signed_in(app, "arthur.appleby@example.org")  # the other parent: the report was not shared with him
    assert autosave(arthur, url, {"worries-kind": "question", "worries-body": "Arthur 7781"}, "/home").status_code == 404
    beth = signed_in(app, "beth.bramble@example.org")  # another family's case
    assert autosave(beth, url, {"worries-kind": "question", "worries-body": "Beth 7782"}, "/home").status_code == 404
    signed_out = client.post(url, data={"worries-body": "Nobody 7783"}, headers=AUTOSAVE)
    assert signed_out.status_code in (302, 303, 400)  # to sign in (or refused for want of a form token)
    without_token = signed_in(app, "alice.appleby@example.org").post(url, data={"worries-body": "No token 7784"}, headers=AUTOSAVE)
    assert without_token.status_code == 400  # CSRF applies to autosaves too
    for words in ("Arthur 7781", "Beth 7782", "Nobody 7783", "No token 7784"):
        assert drafts_holding(app, words) == 0


def test_feedback_is_kept_as_typed_and_a_draft_never_reaches_the_chair(app, demo):
    carl = signed_in(app, "carl.chestnut@example.org")
    home = carl.get("/home").get_data(as_text=True)


    url = re.search(r'href="(/cases/FC-3VJT-C8PA/conferences/\d+/feedback)"', home).group(1)
    words = "Carl has a better-next-time idea, half written 5520"
    assert autosave(carl, url, {"do_better": words, "welcomed": "agree"}, url).status_code == 200
    page = carl.get(url).get_data(as_text=True)
    assert words in page
    chair = signed_in(app, "charlotte.chaffinch@example.org")
    review = chair.get(url.replace("/feedback", "/feedback/review"))
    assert words not in review.get_data(as_text=True)
    assert drafts_holding(app, words) == 1


def test_a_late_autosave_from_the_page_it_was_sent_from_does_not_bring_the_words_back(app, shared_report):
    alice = signed_in(app, "alice.appleby@example.org")
    url = f"{shared_report}/sections/going_well/comments"
    page = alice.get(shared_report).get_data(as_text=True)
    made = re.search(r'draft_from(?:&#34;|"): (?:&#34;|")([0-9T:.+-]+)', page).group(1)
    words = "Sent, then a late autosave arrives 8841"
    sent = alice.post(url, data={"csrf_token": csrf_token_from(alice, shared_report), "going_well-kind": "comment",
                                 "going_well-body": words, "going_well-submission_key": key_from(page, "going_well-")})
    assert sent.status_code == 303
    late = autosave(alice, url, {"going_well-kind": "comment", "going_well-body": words, "draft_from": made}, shared_report)
    assert late.status_code == 204 and drafts_holding(app, words) == 0
    assert words not in alice.get(shared_report).get_data(as_text=True).split("app-thread")[0]
    # A page opened after sending saves a new draft as usual.
    fresh = re.search(r'draft_from(?:&#34;|"): (?:&#34;|")([0-9T:.+-]+)', alice.get(shared_report).get_data(as_text=True)).group(1)
    again = autosave(alice, url, {"going_well-kind": "comment", "going_well-body": "A new one 8842", "draft_from": fresh}, shared_report)
    assert again.status_code == 200 and again.headers["X-Autosave-Saved"] == "1" and drafts_holding(app, "A new one 8842") == 1


def test_a_signed_out_autosave_is_told_so_not_sent_to_the_sign_in_page(client, shared_report):
    response = client.post(f"{shared_report}/sections/worries/comments",
                           data={"csrf_token": csrf_token_from(client, "/"), "worries-body": "x"},
                           headers={"X-Autosave": "1", "HX-Request": "true"})
    assert response.status_code == 401 and response.data == b""  # the page's script says the words are not saved


def test_feedback_answers_come_back_as_chosen_including_keeping_the_name_from_the_chair(app, demo):
    clara = signed_in(app, "carl.chestnut@example.org")
    home = clara.get("/home").get_data(as_text=True)
    url = re.search(r'href="(/cases/FC-3VJT-C8PA/conferences/\d+/feedback)"', home).group(1)
    page = clara.get(url).get_data(as_text=True)
    question = re.search(r'name="(\w+)" type="radio" value="(\d+)"', page)
    saved = autosave(clara, url, {question.group(1): question.group(2), "do_better": "Kept 9912", "anonymous": "y"}, url)
    assert saved.headers["X-Autosave-Saved"] == "1"
    page = clara.get(url).get_data(as_text=True)
    assert re.search(rf'name="{question.group(1)}" type="radio" value="{question.group(2)}" checked', page)
    assert re.search(r'name="anonymous" type="checkbox" value="y" checked', page) or re.search(r'id="anonymous"[^>]*checked', page)


def test_a_draft_of_your_say_typed_against_old_words_of_an_action_is_refused_until_read_again(app, demo):
    """The plan's rule (an answer to words that changed is not saved, 409) holds for a restored draft too."""
    from tests.plans.test_plans import SALLY, action_fields, actions_of, add_action, client_for, held_family, post

    family = held_family(app)
    sally = client_for(app, SALLY)
    add_action(sally, family)
    action = actions_of(app, family)[0]
    mother = client_for(app, family.logins["mother"])
    url = f"/cases/{family.reference}/plan/actions/{action.id}/your-say"
    seen = re.search(r'name="seen" value="([^"]+)"', mother.get(url).get_data(as_text=True)).group(1)
    saved = autosave(mother, url, {"seen": seen, "agreement": "disagree", "comment": "Half an answer 6120"}, url)
    assert saved.headers["X-Autosave-Saved"] == "1"
    assert post(sally, f"/cases/{family.reference}/plan/actions/{action.id}",
                action_fields(action="Changed words of the action.")).status_code == 303
    page = mother.get(url).get_data(as_text=True)
    assert "Half an answer 6120" in page and "The action changed after you answered. Check your answer." in page
    kept_seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    assert kept_seen == seen
    response = post(mother, url, {"seen": kept_seen, "agreement": "disagree", "comment": "Half an answer 6120"})
    assert response.status_code == 409 and "Half an answer 6120" in response.get_data(as_text=True)
