"""The family's own views: autosave that survives a reload and a restart, the advocate as co-writer,
versions with who changed what, conflicts shown, only the parent sends, the parent chooses readers,
and a double send sends once."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.db import db, utcnow
from portal.reports.models import Report, ReportVersion
from tests.conftest import csrf_token_from, make_app
from tests.reports.test_report_pages import CASE_A, signed_in

WORDS = "Mornings are easier now that Grandma helps (views words 6620)."


@pytest.fixture()
def conference_id(app, demo) -> int:
    """A fresh review conference on the Appleby case, so each test starts with no views."""
    from portal.auth.models import User
    from portal.cases.models import Case, Conference, Venue

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        sally = db.session.scalar(select(User).where(User.email == "sally.sparrow@example.org"))
        chair = db.session.scalar(select(User).where(User.email == "charlotte.chaffinch@example.org"))
        conference = Conference(case_id=case.id, kind="review", starts_at=utcnow() + timedelta(days=40), format="in_person",
                                venue_id=db.session.scalar(select(Venue.id).limit(1)), chair_id=chair.id, created_by_id=sally.id)
        db.session.add(conference)
        db.session.commit()
        return conference.id


def start(client, conference_id: int, key: str | None = None):
    url = f"/cases/{CASE_A}/conferences/{conference_id}"
    page = client.get(url).get_data(as_text=True)
    form = page[page.index("/views\""):] if "/views\"" in page else page
    key = key or re.search(r'name="submission_key" type="hidden" value="([^"]+)"', form).group(1)
    return client.post(url + "/views", data={"csrf_token": csrf_token_from(client, url), "submission_key": key})


def based_on(page: str) -> str:
    return re.search(r'id="based_on" name="based_on" type="hidden" value="(\d+)"', page).group(1)


def form_data(client, url: str, **sections) -> dict:
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(client, url), "based_on": based_on(page), "language": "en",
            "going_well": "", "worries": "", "would_like": "", "help_wanted": ""}
    data.update(sections)
    return data


def autosave(client, url: str, data: dict):
    return client.post(url + "/autosave", data=data, headers={"HX-Request": "true"})


@pytest.fixture()
def views_url(app, conference_id) -> str:
    alice = signed_in(app, "alice.appleby@example.org")
    response = start(alice, conference_id)
    assert response.status_code == 303
    return response.headers["Location"]


def test_starting_twice_gives_the_same_draft(app, conference_id):
    alice = signed_in(app, "alice.appleby@example.org")
    first = start(alice, conference_id, key="k" * 24)
    again = start(alice, conference_id, key="k" * 24)  # a double tap
    other_tab = start(alice, conference_id, key="m" * 24)  # another tab opened before, with its own key
    assert first.headers["Location"] == again.headers["Location"] == other_tab.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id)).where(Report.conference_id == conference_id)) == 1
    # Arthur, staff and the young person cannot start views; signed out is sent to sign in.
    for login in ("priya.plover@example.org", "sam.appleby", "ada.avocet@example.org"):
        client = signed_in(app, login)
        url = f"/cases/{CASE_A}/conferences/{conference_id}/views"
        assert client.post(url, data={"csrf_token": csrf_token_from(client, "/")}).status_code == 404, login
    anonymous = app.test_client()
    assert anonymous.post(f"/cases/{CASE_A}/conferences/{conference_id}/views",
                          data={"csrf_token": csrf_token_from(anonymous, "/")}).status_code == 302


def test_autosave_keeps_the_words_after_a_reload_and_a_server_restart(app, database_uri, views_url):
    alice = signed_in(app, "alice.appleby@example.org")
    saved = autosave(alice, views_url, form_data(alice, views_url, worries=WORDS))
    assert saved.status_code == 200 and "Saved at" in saved.get_data(as_text=True)
    assert 'hx-swap-oob="true"' in saved.get_data(as_text=True)
    assert WORDS in alice.get(views_url).get_data(as_text=True)  # a reload
    restarted = make_app({"SQLALCHEMY_DATABASE_URI": database_uri})  # a new server process on the same database
    client = restarted.test_client()
    from tests.conftest import sign_in
    sign_in(client, "alice.appleby@example.org")
    assert WORDS in client.get(views_url).get_data(as_text=True)
    # Without JavaScript the autosave address is never used; if it is, it just goes back to the form.
    plain = alice.post(views_url + "/autosave", data=form_data(alice, views_url, worries="x"))
    assert plain.status_code == 303


def test_the_advocate_helps_every_change_is_kept_and_only_the_parent_sends(app, views_url, outbox):
    alice, ada = signed_in(app, "alice.appleby@example.org"), signed_in(app, "ada.avocet@example.org")
    assert ada.get(views_url).status_code == 404  # not invited yet
    helpers_url = views_url + "/helpers"
    page = alice.get(helpers_url).get_data(as_text=True)
    ada_choice = re.search(r'name="advocate" type="radio" value="(\d+)"', page).group(1)
    outbox.clear()
    assert alice.post(helpers_url, data={"csrf_token": csrf_token_from(alice, helpers_url), "advocate": ada_choice}).status_code == 303
    assert [message.to for message in outbox] == ["ada.avocet@example.org"]
    assert alice.post(views_url, data=form_data(alice, views_url, going_well="Alice wrote this.")).status_code == 303
    assert ada.get(views_url).status_code == 200
    assert ada.post(views_url, data=form_data(ada, views_url, going_well="Alice wrote this, with help.")).status_code == 303
    history = alice.get(f"/cases/{CASE_A}/reports/{views_url.rsplit('/', 1)[1]}/versions").get_data(as_text=True)
    assert "Saved by <bdi>Ada Avocet</bdi>" in history and "Saved by <bdi>Alice Appleby</bdi>" in history
    assert re.search(r"<ins><span class=\"govuk-visually-hidden\">Added: </span>[^<]*help\.</ins>", history)
    assert re.search(r"<del><span class=\"govuk-visually-hidden\">Taken out: </span>[^<]*this\.</del>", history)
    # The advocate cannot choose readers, check or send.
    for suffix in ("/who-can-read", "/check", "/helpers"):
        assert ada.get(views_url + suffix).status_code == 404, suffix
    assert ada.post(views_url + "/check", data={"csrf_token": csrf_token_from(ada, views_url)}).status_code == 404


def test_two_writers_saving_at_once_see_both_versions(app, views_url):
    alice = signed_in(app, "alice.appleby@example.org")
    stale = form_data(alice, views_url, worries="First tab words.")
    assert alice.post(views_url, data=form_data(alice, views_url, worries="Second tab words.")).status_code == 303
    conflict = alice.post(views_url, data=stale)
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "First tab words." in page and "Second tab words." in page and "Save my version" in page
    # Autosave from the stale tab says so plainly and does not overwrite.
    said = autosave(alice, views_url, stale).get_data(as_text=True)
    assert "Someone else saved these views" in said
    assert "Second tab words." in alice.get(views_url).get_data(as_text=True)


def test_twenty_concurrent_autosaves_on_one_draft_lose_nothing(app, views_url):
    """20 autosaves from the same version at once (parent and advocate tabs): one is saved, 19 are told."""
    alice = signed_in(app, "alice.appleby@example.org")
    base = form_data(alice, views_url)
    clients = [signed_in(app, "alice.appleby@example.org") for _ in range(20)]
    barrier, results = threading.Barrier(20), []

    def worker(n):
        data = dict(base, csrf_token=csrf_token_from(clients[n], views_url), worries=f"writer {n}")
        barrier.wait()
        results.append((n, autosave(clients[n], views_url, data).get_data(as_text=True)))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    saved = [n for n, text in results if "Saved at" in text]
    told = [n for n, text in results if "Someone else saved these views" in text]
    print(f"\n20 concurrent autosaves on one draft: {len(saved)} saved, {len(told)} shown the conflict, {20 - len(results)} lost")
    assert len(results) == 20 and len(saved) == 1 and len(told) == 19
    report_id = int(views_url.rsplit("/", 1)[1])
    with app.app_context():
        latest = db.session.scalar(select(ReportVersion).where(ReportVersion.report_id == report_id)
                                   .order_by(ReportVersion.number.desc()).limit(1))
        assert latest.worries == f"writer {saved[0]}"


def test_the_parent_chooses_readers_checks_and_sends_once(app, views_url, outbox):
    alice = signed_in(app, "alice.appleby@example.org")
    assert alice.post(views_url, data=form_data(alice, views_url, would_like=WORDS)).status_code == 303
    audience_url = views_url + "/who-can-read"
    page = alice.get(audience_url).get_data(as_text=True)
    assert "Grace Appleby" in page and "Arthur Appleby" not in page  # the restriction keeps Arthur out
    grace_id = re.search(r'value="(\d+)"[^>]*>\s*<label[^>]*>\s*(?:<bdi>)?Grace Appleby', page).group(1)
    from portal.cases.models import Participant
    from portal.auth.models import User
    with app.app_context():
        arthur_id = db.session.scalar(select(Participant.id).join(User, User.id == Participant.user_id)
                                      .where(User.email == "arthur.appleby@example.org"))
    chosen = alice.post(audience_url, data={"csrf_token": csrf_token_from(alice, audience_url), "readers": [grace_id, str(arthur_id)]})
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith("/check")
    check = alice.get(views_url + "/check").get_data(as_text=True)
    assert WORDS in check and "Grace Appleby" in check and "Arthur Appleby" not in check
    token = csrf_token_from(alice, views_url + "/check")
    outbox.clear()
    first = alice.post(views_url + "/check", data={"csrf_token": token})
    second = alice.post(views_url + "/check", data={"csrf_token": token})  # a retry after a dropped connection
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] and first.headers["Location"].endswith("/sent")
    receipt = alice.get(first.headers["Location"]).get_data(as_text=True)
    assert "Your views have been sent" in receipt and "Grace Appleby" in receipt
    told = sorted(message.to for message in outbox)
    assert told == sorted(["charlotte.chaffinch@example.org", "sally.sparrow@example.org", "grace.appleby@example.org"])
    read_url = f"/cases/{CASE_A}/reports/{views_url.rsplit('/', 1)[1]}"
    for login, expected in (("grace.appleby@example.org", 200), ("charlotte.chaffinch@example.org", 200),
                            ("sally.sparrow@example.org", 200), ("arthur.appleby@example.org", 404),
                            ("priya.plover@example.org", 404), ("sam.appleby", 404), ("beth.bramble@example.org", 404)):
        response = signed_in(app, login).get(read_url)
        assert response.status_code == expected, login
        assert (WORDS in response.get_data(as_text=True)) == (expected == 200), login
    # Sent views cannot be edited any more, by anyone.
    assert alice.get(views_url).status_code == 404


def test_an_autosave_just_before_save_is_not_a_conflict(app, views_url):
    alice = signed_in(app, "alice.appleby@example.org")
    data = form_data(alice, views_url, worries="Typed, then Save pressed at once.")
    assert "Saved at" in autosave(alice, views_url, data).get_data(as_text=True)
    assert alice.post(views_url, data=data).status_code == 303  # same words, older version number: already saved


def test_a_restriction_recorded_after_choosing_still_keeps_the_views_from_that_person(app, views_url):
    from portal.auth.models import User
    from portal.cases.models import ContactRestriction, Participant

    alice = signed_in(app, "alice.appleby@example.org")
    assert alice.post(views_url, data=form_data(alice, views_url, worries=WORDS)).status_code == 303
    audience_url = views_url + "/who-can-read"
    page = alice.get(audience_url).get_data(as_text=True)
    grace_id = int(re.search(r'value="(\d+)"[^>]*>\s*<label[^>]*>\s*(?:<bdi>)?Grace Appleby', page).group(1))
    assert alice.post(audience_url, data={"csrf_token": csrf_token_from(alice, audience_url), "readers": [str(grace_id)]}).status_code == 303
    with app.app_context():
        case_id = db.session.get(Participant, grace_id).case_id
        alice_part = db.session.scalar(select(Participant.id).join(User, User.id == Participant.user_id)
                                       .where(User.email == "alice.appleby@example.org", Participant.case_id == case_id))
        restriction = ContactRestriction(case_id=case_id, protected_id=alice_part, hidden_from_id=grace_id)
        db.session.add(restriction)
        db.session.commit()
        restriction_id = restriction.id
    try:
        assert alice.post(views_url + "/check", data={"csrf_token": csrf_token_from(alice, views_url + "/check")}).status_code == 303
        read_url = f"/cases/{CASE_A}/reports/{views_url.rsplit('/', 1)[1]}"
        assert signed_in(app, "grace.appleby@example.org").get(read_url).status_code == 404
        # Sent views: earlier versions (with words the parent took out) are nobody's to read, not even the chair's.
        assert signed_in(app, "charlotte.chaffinch@example.org").get(read_url + "/versions").status_code == 404
        assert signed_in(app, "ada.avocet@example.org").get(read_url).status_code == 404  # helper, not chosen
    finally:
        with app.app_context():
            db.session.delete(db.session.get(ContactRestriction, restriction_id))
            db.session.commit()


def test_the_views_posts_refuse_the_other_parent_another_case_and_signed_out(app, views_url):
    """Every POST of the views pages: Arthur (kept from Alice's details), a parent of another case,
    Alice's own pages under another case's reference, and signed out."""
    posts = ("", "/autosave", "/helpers", "/who-can-read", "/check", "/helpers/1/remove")
    alice = signed_in(app, "alice.appleby@example.org")
    other_case_url = views_url.replace(CASE_A, "FC-4HNP-T6WB")
    cells = 0
    for login, url, expected in (("arthur.appleby@example.org", views_url, 404), ("beth.bramble@example.org", views_url, 404),
                                 ("alice.appleby@example.org", other_case_url, 404)):
        client = alice if login.startswith("alice") else signed_in(app, login)
        token = csrf_token_from(client, "/")
        for suffix in posts:
            response = client.post(url + suffix, data={"csrf_token": token, "worries": "x", "based_on": "1"},
                                   headers={"HX-Request": "true"} if suffix == "/autosave" else {})
            cells += 1
            assert response.status_code == expected, (login, suffix, response.status_code)
    anonymous = app.test_client()
    token = csrf_token_from(anonymous, "/")
    for suffix in posts:
        response = anonymous.post(views_url + suffix, data={"csrf_token": token})
        cells += 1
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), suffix
    print(f"\nviews POST routes: {cells} refusals checked")
    with app.app_context():
        report = db.session.get(Report, int(views_url.rsplit("/", 1)[1]))
        assert report.status == "draft"  # nothing any of them sent changed it
