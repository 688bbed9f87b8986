"""The life of every support request: ask, decide, arrange, see the result; the chair's flags; the
advocate's limits; bad input that keeps what was typed; every status change audited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.db import db, utcnow
from tests.conftest import csrf_token_from, make_app, sign_in

CASE_A = "FC-7KQ3-M9XD"
ALICE, ARTHUR, GRACE = "alice.appleby@example.org", "arthur.appleby@example.org", "grace.appleby@example.org"
SALLY, CHARLOTTE, QUINN, ADA = ("sally.sparrow@example.org", "charlotte.chaffinch@example.org", "quinn.quail@example.org",
                                "ada.avocet@example.org")


def client_for(app, login):
    client = app.test_client()
    assert sign_in(client, login).status_code == 303
    return client


_created: list[int] = []


@pytest.fixture(autouse=True)
def _cancel_created_conferences(app):
    """Each test's conferences are cancelled after it, so the demo ICPC is the family's next one again."""
    yield
    from portal.cases.models import Conference

    with app.app_context():
        for conference_id in _created:
            conference = db.session.get(Conference, conference_id)
            if conference.status == "scheduled":
                # Cancelled as the portal cancels one: with a reason and a time (pages show the reason).
                conference.status = "cancelled"
                conference.cancelled_reason = "Test over: cancelled by the test."
                conference.cancelled_at = utcnow()
        db.session.commit()
    _created.clear()


def new_conference(app, *, kind="review", starts_in=timedelta(days=40), status="scheduled") -> int:
    """A fresh conference on the Appleby case, chaired by Charlotte, so each test starts with no requests."""
    from portal.auth.models import User
    from portal.cases.models import Case, Conference, Venue

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        sally = db.session.scalar(select(User).where(User.email == SALLY))
        chair = db.session.scalar(select(User).where(User.email == CHARLOTTE))
        conference = Conference(case_id=case.id, kind=kind, starts_at=utcnow() + starts_in, format="in_person", status=status,
                                venue_id=db.session.scalar(select(Venue.id).where(Venue.council_office.is_(True)).limit(1)),
                                chair_id=chair.id, created_by_id=sally.id,
                                decision="plan" if status == "held" else None, category="neglect" if status == "held" else None,
                                decision_reasons="Reasons in plain words." if status == "held" else None)
        db.session.add(conference)
        db.session.commit()
        _created.append(conference.id)
        return conference.id


def dashboard_row(html: str, conference_id: int) -> str:
    """The chair's dashboard row of one conference (up to the end of its table row)."""
    start = html.index(f"/conferences/{conference_id}\"")
    return html[start:html.index("</tr>", start)]


def support_url(conference_id: int) -> str:
    return f"/cases/{CASE_A}/conferences/{conference_id}/support"


def submit(client, url: str, data: dict, from_url: str | None = None):
    """POST a form as a browser does: with the token and the submission key of the page it came from."""
    page = client.get(from_url or url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page)
    payload = {"csrf_token": csrf_token_from(client, from_url or url), **data}
    if key and "submission_key" not in data:
        payload["submission_key"] = key.group(1)
    return client.post(url, data=payload)


def request_id_from(response) -> int:
    return int(re.search(r"/support/(\d+)", response.get_data(as_text=True)).group(1))


def latest_request(app, kind: str, conference_id: int):
    from portal.support.models import SupportRequest

    with app.app_context():
        row = db.session.scalar(select(SupportRequest).where(SupportRequest.kind == kind, SupportRequest.conference_id == conference_id)
                                .order_by(SupportRequest.id.desc()).limit(1))
        return (row.id, row.status, dict(row.details), row.reason) if row else None


def decide(client, request_id: int, data: dict):
    url = f"/cases/{CASE_A}/support/{request_id}"
    return submit(client, url, data)


# --- supporter --------------------------------------------------------------------------------

def test_supporter_asked_refused_with_a_reason_then_agreed_joins_the_attendee_list(app, demo, outbox):
    conference = new_conference(app)
    alice, chair = client_for(app, ALICE), client_for(app, CHARLOTTE)
    asked = submit(alice, support_url(conference) + "/ask/supporter", {"name": "Rosa Diaz", "relationship": "My friend"})
    assert asked.status_code == 303
    request_id, status, details, _ = latest_request(app, "supporter", conference)
    assert status == "asked" and details == {"name": "Rosa Diaz", "relationship": "My friend"}
    assert "Asked" in alice.get(support_url(conference)).get_data(as_text=True)
    # The chair is told in neutral words, and finds it waiting on the dashboard.
    assert any("There is something new for you" in m.subject for m in outbox)
    assert f"/support/{request_id}" in chair.get("/cases").get_data(as_text=True)
    # "Not agreed" needs a reason the parent will read.
    refused = decide(chair, request_id, {"status": "not_agreed", "reason": ""})
    assert refused.status_code == 400 and "Enter what to tell the family" in refused.get_data(as_text=True)
    decide(chair, request_id, {"status": "not_agreed", "reason": "The room is small; please choose one person."})
    seen = alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "Not agreed" in seen and "The room is small; please choose one person." in seen
    # Asking again (for someone else) is a new request; agreed, the supporter joins the attendee list.
    submit(alice, support_url(conference) + "/ask/supporter", {"name": "Maria Lopez", "relationship": "My sister"})
    second, status, _, _ = latest_request(app, "supporter", conference)
    assert second != request_id and status == "asked"
    assert decide(chair, second, {"status": "agreed", "reason": ""}).status_code == 303
    page = alice.get(f"/cases/{CASE_A}/conferences/{conference}").get_data(as_text=True)
    assert "Maria Lopez" in page and "Rosa Diaz" not in page
    assert "Maria Lopez" in chair.get(f"/cases/{CASE_A}/conferences/{conference}").get_data(as_text=True)
    # The other parent does not learn who supports her.
    assert "Maria Lopez" not in client_for(app, ARTHUR).get(f"/cases/{CASE_A}/conferences/{conference}").get_data(as_text=True)
    # The chair's later record of contact (which rewrites the attendee list) keeps the agreed supporter.
    today = date.today()
    contact_url = f"/cases/{CASE_A}/conferences/{conference}/pre-conference-contact"
    assert submit(chair, contact_url, {"contacted_on": [str(today.day), str(today.month), str(today.year)],
                                       "contacted_whom": "Alice", "other_attendees": ""}).status_code == 303
    assert "Maria Lopez" in alice.get(f"/cases/{CASE_A}/conferences/{conference}").get_data(as_text=True)


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "Rosa <b>Diaz</b>", "x" * 121, ""])
def test_a_bad_supporter_name_gets_a_message_and_keeps_what_was_typed(app, demo, name):
    conference = new_conference(app)
    alice = client_for(app, ALICE)
    response = submit(alice, support_url(conference) + "/ask/supporter", {"name": name, "relationship": "Friend of mine"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in html
    assert "Friend of mine" in html  # the other answer is kept
    assert "<script>alert(1)</script>" not in html  # shown escaped, never as markup
    if name and len(name) <= 120:
        assert "The name can only have letters, spaces, hyphens and apostrophes" in html
    assert latest_request(app, "supporter", conference) is None


def test_a_name_in_any_script_is_accepted(app, demo):
    conference = new_conference(app)
    alice = client_for(app, ALICE)
    for name in ("রহিমা বেগম", "Faadumo Cabdi", "مريم الحسن", "Zoë O'Brien-Smith"):
        assert submit(alice, support_url(conference) + "/ask/supporter", {"name": name, "relationship": "Friend"}).status_code == 303


# --- interpreter --------------------------------------------------------------------------------

def test_interpreter_flagged_for_the_chair_until_the_social_worker_arranges_it(app, demo):
    conference = new_conference(app)
    alice, chair, sally = client_for(app, ALICE), client_for(app, CHARLOTTE), client_for(app, SALLY)
    missing = submit(alice, support_url(conference) + "/ask/interpreter", {"language": "Somali", "dialect": "Maay"})
    assert missing.status_code == 400 and "Select when you need an interpreter" in missing.get_data(as_text=True)
    assert 'value="Maay"' in missing.get_data(as_text=True)
    assert submit(alice, support_url(conference) + "/ask/interpreter",
                  {"language": "Somali", "dialect": "Maay", "preferred": "Hodan", "purposes": ["conference", "debrief"]}).status_code == 303
    request_id, status, details, _ = latest_request(app, "interpreter", conference)
    assert details["dialect"] == "Maay" and details["purposes"] == ["conference", "debrief"]
    dashboard = chair.get("/cases").get_data(as_text=True)
    row = dashboard_row(dashboard, conference)
    assert "Interpreter needed, not arranged: 1" in row
    # Only the social worker arranges an interpreter; the chair cannot.
    assert decide(chair, request_id, {"status": "arranged"}).status_code == 404
    incomplete = decide(sally, request_id, {"status": "arranged", "interpreter_name": ""})
    assert incomplete.status_code == 400 and "Enter the interpreter" in incomplete.get_data(as_text=True)
    today = date.today()
    done = decide(sally, request_id, {"status": "arranged", "interpreter_name": "Hodan Ali",
                                      "confirmed_on": [str(today.day), str(today.month), str(today.year)]})
    assert done.status_code == 303
    dashboard = chair.get("/cases").get_data(as_text=True)
    row = dashboard_row(dashboard, conference)
    assert "Interpreter needed, not arranged" not in row
    seen = alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "Arranged" in seen and "Hodan Ali" in seen and "Maay" in seen


# --- access needs --------------------------------------------------------------------------------

def test_access_needs_recorded_and_shown_to_the_chair(app, demo):
    conference = new_conference(app)
    alice, chair = client_for(app, ALICE), client_for(app, CHARLOTTE)
    empty = submit(alice, support_url(conference) + "/ask/access_needs", {})
    assert empty.status_code == 400 and "Select what you need, or write it in the box" in empty.get_data(as_text=True)
    assert submit(alice, support_url(conference) + "/ask/access_needs",
                  {"needs": ["step_free", "childcare"], "other": "I use a wheelchair."}).status_code == 303
    request_id, _, details, _ = latest_request(app, "access_needs", conference)
    page = chair.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "Step-free access (no stairs)" in page and "Childcare while I am at the conference" in page and "I use a wheelchair." in page
    # Asking again while it is open changes the same request.
    submit(alice, support_url(conference) + "/ask/access_needs", {"needs": ["hearing_loop"]})
    assert latest_request(app, "access_needs", conference)[0] == request_id
    assert latest_request(app, "access_needs", conference)[2]["needs"] == ["hearing_loop"]
    assert decide(chair, request_id, {"status": "arranged"}).status_code == 303
    assert "Arranged" in alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)


# --- review venue --------------------------------------------------------------------------------

def test_the_family_chooses_the_review_venue_and_the_chair_confirms_it(app, demo):
    from portal.cases.models import Conference, Venue

    icpc, review = new_conference(app, kind="icpc"), new_conference(app)
    alice, chair = client_for(app, ALICE), client_for(app, CHARLOTTE)
    assert alice.get(support_url(icpc) + "/ask/venue").status_code == 404  # an ICPC is at council offices
    form = alice.get(support_url(review) + "/ask/venue").get_data(as_text=True)
    assert "Family hub (demo)" in form and "behind the park" in form  # how to get there, in plain words
    assert "maps.google" not in form and "openstreetmap" not in form
    not_listed = submit(alice, support_url(review) + "/ask/venue", {"venue": "99999"})
    assert not_listed.status_code == 400 and "Select a place from the list" in not_listed.get_data(as_text=True)
    elsewhere = submit(alice, support_url(review) + "/ask/venue", {"venue": "other", "other_place": "The community centre"})
    html = elsewhere.get_data(as_text=True)
    assert elsewhere.status_code == 400 and "Enter why somewhere else would be better for you" in html and "The community centre" in html
    with app.app_context():
        hub = db.session.scalar(select(Venue.id).where(Venue.name == "Family hub (demo)"))
    assert submit(alice, support_url(review) + "/ask/venue", {"venue": str(hub)}).status_code == 303
    request_id = latest_request(app, "venue", review)[0]
    assert "Family hub (demo)" in chair.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert decide(chair, request_id, {"status": "agreed"}).status_code == 303
    with app.app_context():
        assert db.session.get(Conference, review).venue_id == hub
    assert "Family hub (demo)" in alice.get(f"/cases/{CASE_A}/conferences/{review}").get_data(as_text=True)


# --- advocacy -------------------------------------------------------------------------------------

def test_advocacy_offered_declined_reviewed_by_the_chair_then_arranged(app, demo, outbox):
    from portal.auth.models import User
    from portal.cases.models import Participant

    conference = new_conference(app)
    arthur, chair, sally = client_for(app, ARTHUR), client_for(app, CHARLOTTE), client_for(app, SALLY)
    with app.app_context():
        arthur_part = db.session.scalar(select(Participant.id).join(User).where(User.email == ARTHUR))
    today = date.today()
    offered_on = [str(today.day), str(today.month), str(today.year)]
    assert submit(sally, support_url(conference) + "/offer/advocacy",
                  {"participant": str(arthur_part), "offered_on": offered_on, "answer": ""}).status_code == 303
    request_id, status, _, _ = latest_request(app, "advocacy", conference)
    assert status == "offered"
    listed = arthur.get(support_url(conference)).get_data(as_text=True)
    assert "An advocate" in listed and "Offered" in listed
    answered = submit(arthur, f"/cases/{CASE_A}/support/{request_id}/answer", {"answer": "declined"},
                      from_url=f"/cases/{CASE_A}/support/{request_id}")
    assert answered.status_code == 303 and latest_request(app, "advocacy", conference)[1] == "declined"
    # Not taken up: the chair's dashboard asks the chair to review it with him.
    dashboard = chair.get("/cases").get_data(as_text=True)
    row = dashboard_row(dashboard, conference)
    assert "Review advocacy with" in row and "Arthur Appleby" in row
    # He changes his mind when the chair talks it through: the flag goes, the social worker arranges it.
    assert submit(chair, support_url(conference) + "/offer/advocacy",
                  {"participant": str(arthur_part), "offered_on": offered_on, "answer": "accepted"}).status_code == 303
    dashboard = chair.get("/cases").get_data(as_text=True)
    row = dashboard_row(dashboard, conference)
    assert "Arthur Appleby" not in row
    with app.app_context():
        from portal.auth.passwords import hash_password

        case_id = db.session.get(Participant, arthur_part).case_id
        advocate = User(name="Avery Advocate", role="advocate", email="avery.advocate@example.org",
                        password_hash=hash_password("a long enough test password"), preferred_language="en")
        db.session.add(advocate)
        db.session.flush()
        advocate_part = Participant(case_id=case_id, user_id=advocate.id, role="advocate")
        db.session.add(advocate_part)
        db.session.commit()
        advocate_part_id = advocate_part.id
    missing = decide(sally, request_id, {"status": "arranged", "advocate": ""})
    assert missing.status_code == 400 and "Choose the advocate" in missing.get_data(as_text=True)
    assert decide(sally, request_id, {"status": "arranged", "advocate": str(advocate_part_id)}).status_code == 303
    with app.app_context():
        assert db.session.get(Participant, advocate_part_id).advocate_for_id == arthur_part
    assert "Avery Advocate" in arthur.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)


def test_the_mothers_advocate_reaches_nothing_of_the_fathers(app, demo):
    """Ada is allocated to Alice: none of Arthur's requests, none of Alice's requests (they are Alice's to
    share), no support pages; and Arthur's views draft stays his."""
    conference = new_conference(app)
    arthur, ada = client_for(app, ARTHUR), client_for(app, ADA)
    submit(arthur, support_url(conference) + "/ask/interpreter", {"language": "Polish", "purposes": ["conference"]})
    arthur_request = latest_request(app, "interpreter", conference)[0]
    alice = client_for(app, ALICE)
    submit(alice, support_url(conference) + "/ask/supporter", {"name": "Rosa Diaz", "relationship": "Friend"})
    alice_request = latest_request(app, "supporter", conference)[0]
    for url in (f"/cases/{CASE_A}/support/{arthur_request}", f"/cases/{CASE_A}/support/{alice_request}",
                support_url(conference), support_url(conference) + "/ask/interpreter"):
        assert ada.get(url).status_code == 404, url
    # Arthur's own views draft: reachable by him, never by Alice's advocate.
    started = submit(arthur, f"/cases/{CASE_A}/conferences/{conference}/views", {}, from_url=f"/cases/{CASE_A}/conferences/{conference}")
    assert started.status_code == 303
    views_url = started.headers["Location"]
    assert arthur.get(views_url).status_code == 200
    assert ada.get(views_url).status_code == 404
    page = ada.get(f"/cases/{CASE_A}/conferences/{conference}").get_data(as_text=True)
    assert "Polish" not in page and "Rosa Diaz" not in page


def test_the_other_parent_never_sees_a_request(app, demo):
    conference = new_conference(app)
    alice, arthur = client_for(app, ALICE), client_for(app, ARTHUR)
    submit(alice, support_url(conference) + "/ask/supporter", {"name": "Rosa Diaz", "relationship": "My friend"})
    request_id = latest_request(app, "supporter", conference)[0]
    assert arthur.get(f"/cases/{CASE_A}/support/{request_id}").status_code == 404
    assert "Rosa Diaz" not in arthur.get(support_url(conference)).get_data(as_text=True)
    assert "Rosa Diaz" not in arthur.get("/home").get_data(as_text=True)


# --- FGC ---------------------------------------------------------------------------------------

def test_fgc_offer_meets_the_timeline_rule_and_its_family_plan_is_marked_for_the_plan(app, demo):
    from portal.auth.models import User
    from portal.cases.models import Case, Participant
    from portal.support.services import fgc_family_plans

    conference = new_conference(app, kind="icpc", starts_in=timedelta(days=20))
    sally, alice = client_for(app, SALLY), client_for(app, ALICE)
    page = sally.get(f"/cases/{CASE_A}/conferences/{conference}").get_data(as_text=True)
    assert "Family group conference offered by the time the initial conference was decided" in page
    with app.app_context():
        alice_part = db.session.scalar(select(Participant.id).join(User).where(User.email == ALICE))
    today = date.today()
    assert submit(sally, support_url(conference) + "/offer/fgc",
                  {"participant": str(alice_part), "offered_on": [str(today.day), str(today.month), str(today.year)],
                   "answer": "instead"}).status_code == 400  # the setting is off: not a choice
    assert submit(sally, support_url(conference) + "/offer/fgc",
                  {"participant": str(alice_part), "offered_on": [str(today.day), str(today.month), str(today.year)],
                   "answer": ""}).status_code == 303
    request_id = latest_request(app, "fgc", conference)[0]
    with app.app_context():
        from portal.cases.rules import rule_statuses
        from portal.cases.models import Conference

        rules = {r.rule: r.state for r in rule_statuses(db.session.get(Conference, conference), today)}
        assert rules["fgc_offered"] == "done_on_time"
    detail = alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "Yes, I would like this" in detail and "instead of the child protection conference" not in detail
    submit(alice, f"/cases/{CASE_A}/support/{request_id}/answer", {"answer": "accepted"}, from_url=f"/cases/{CASE_A}/support/{request_id}")
    no_plan = decide(sally, request_id, {"status": "arranged", "family_plan": ""})
    assert no_plan.status_code == 400 and "Enter the family" in no_plan.get_data(as_text=True)
    assert decide(sally, request_id, {"status": "arranged", "family_plan": "Grandma takes Ruby to school every day."}).status_code == 303
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == CASE_A))
        plans = fgc_family_plans(case_id)
        assert any(p.details["family_plan"] == "Grandma takes Ruby to school every day." and p.details["for_plan"] for p in plans)


def test_fgc_instead_of_the_icpc_only_behind_its_setting(database_uri, demo):
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_uri, "FGC_INSTEAD_OF_ICPC": True})
    from portal.auth.models import User
    from portal.cases.models import Participant

    conference = new_conference(app, kind="icpc", starts_in=timedelta(days=20))
    sally, alice = client_for(app, SALLY), client_for(app, ALICE)
    with app.app_context():
        alice_part = db.session.scalar(select(Participant.id).join(User).where(User.email == ALICE))
    today = date.today()
    submit(sally, support_url(conference) + "/offer/fgc",
           {"participant": str(alice_part), "offered_on": [str(today.day), str(today.month), str(today.year)], "answer": ""})
    request_id = latest_request(app, "fgc", conference)[0]
    detail = alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "instead of the child protection conference" in detail
    assert submit(alice, f"/cases/{CASE_A}/support/{request_id}/answer", {"answer": "instead"},
                  from_url=f"/cases/{CASE_A}/support/{request_id}").status_code == 303
    assert latest_request(app, "fgc", conference)[1] == "instead"


# --- break --------------------------------------------------------------------------------------

def test_a_break_reaches_the_chairs_page_during_the_conference_only(app, demo):
    before = new_conference(app, starts_in=timedelta(days=3))
    live = new_conference(app, starts_in=timedelta(minutes=-15))
    alice, chair = client_for(app, ALICE), client_for(app, CHARLOTTE)
    early = submit(alice, support_url(before) + "/break", {}, from_url=f"/cases/{CASE_A}/conferences/{before}")
    assert early.status_code == 303 and latest_request(app, "break", before) is None
    page = alice.get(f"/cases/{CASE_A}/conferences/{live}").get_data(as_text=True)
    assert "I need a break" in page
    assert submit(alice, support_url(live) + "/break", {}, from_url=f"/cases/{CASE_A}/conferences/{live}").status_code == 303
    request_id, status, _, _ = latest_request(app, "break", live)
    partial = chair.get(support_url(live) + "/breaks").get_data(as_text=True)
    assert "Alice Appleby</bdi> needs a break" in partial and 'hx-trigger="every 5s"' in partial
    assert "Alice Appleby</bdi> needs a break" in chair.get(f"/cases/{CASE_A}/conferences/{live}").get_data(as_text=True)
    # Only this conference's chair polls it.
    assert client_for(app, SALLY).get(support_url(live) + "/breaks").status_code == 404
    given = submit(chair, f"/cases/{CASE_A}/support/{request_id}",
                   {"status": "arranged", "next": f"/cases/{CASE_A}/conferences/{live}"}, from_url=f"/cases/{CASE_A}/conferences/{live}")
    assert given.status_code == 303 and given.headers["Location"].endswith(f"/conferences/{live}")
    assert "Breaks given in this conference: 1" in chair.get(support_url(live) + "/breaks").get_data(as_text=True)


# --- debrief and appeal ---------------------------------------------------------------------------

def test_debrief_only_after_the_conference_and_the_chosen_person_arranges_it(app, demo):
    upcoming, held = new_conference(app), new_conference(app, starts_in=timedelta(days=-7), status="held")
    alice, chair, sally = client_for(app, ALICE), client_for(app, CHARLOTTE), client_for(app, SALLY)
    early = submit(alice, support_url(upcoming) + "/ask/debrief", {"with_whom": "chair", "about": "Words I typed early 5521"})
    assert early.status_code == 400 and "Words I typed early 5521" in early.get_data(as_text=True)
    assert latest_request(app, "debrief", upcoming) is None
    assert submit(alice, support_url(held) + "/ask/debrief", {"with_whom": "social_worker", "about": "The plan"}).status_code == 303
    request_id = latest_request(app, "debrief", held)[0]
    assert f"/support/{request_id}" in sally.get("/cases").get_data(as_text=True)
    assert decide(chair, request_id, {"status": "arranged"}).status_code == 404
    assert decide(sally, request_id, {"status": "arranged", "reason": "Tuesday at 10am, by phone."}).status_code == 303
    seen = alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "Arranged" in seen and "Tuesday at 10am, by phone." in seen


def test_an_appeal_goes_to_the_sqa_team_by_reference_only_and_the_parent_sees_the_outcome(app, demo, outbox):
    upcoming, held = new_conference(app), new_conference(app, starts_in=timedelta(days=-7), status="held")
    alice, quinn, chair, arthur = (client_for(app, ALICE), client_for(app, QUINN), client_for(app, CHARLOTTE),
                                   client_for(app, ARTHUR))
    reason = "The category is wrong for our family (appeal words 8813)."
    early = submit(alice, support_url(upcoming) + "/ask/appeal", {"decision": "category", "why": reason, "wish": "Look again"})
    assert early.status_code == 400 and reason.replace("(", "(") in early.get_data(as_text=True)
    missing = submit(alice, support_url(held) + "/ask/appeal", {"decision": "category", "why": reason, "wish": ""})
    assert missing.status_code == 400 and "Enter what you would like to happen" in missing.get_data(as_text=True)
    assert reason in missing.get_data(as_text=True)
    outbox.clear()
    assert submit(alice, support_url(held) + "/ask/appeal", {"decision": "category", "why": reason, "wish": "Look again"}).status_code == 303
    request_id = latest_request(app, "appeal", held)[0]
    reference = f"AP-{request_id:06d}"
    sent = [m for m in outbox if m.to == app.config["SQA_EMAIL"]]
    assert len(sent) == 1 and reference in sent[0].subject + sent[0].body
    assert "8813" not in sent[0].body and "Appleby" not in sent[0].body and CASE_A not in sent[0].body
    # The SQA manager works it from the queue; the chair and the other parent never see it.
    assert reference in quinn.get("/appeals").get_data(as_text=True)
    assert chair.get(f"/cases/{CASE_A}/support/{request_id}").status_code == 404
    assert arthur.get(f"/cases/{CASE_A}/support/{request_id}").status_code == 404
    assert reason not in chair.get(support_url(held)).get_data(as_text=True)
    assert decide(quinn, request_id, {"status": "in_review"}).status_code == 303
    assert "Being looked at" in alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert decide(quinn, request_id, {"status": "answered", "reason": ""}).status_code == 400
    assert decide(quinn, request_id, {"status": "answered", "reason": "We looked again: the category will be reviewed."}).status_code == 303
    seen = alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "Answered" in seen and "the category will be reviewed" in seen


# --- everything --------------------------------------------------------------------------------

def test_a_double_tap_asks_once_and_every_status_change_is_audited(app, demo):
    from portal.audit import AuditEvent
    from portal.support.models import SupportRequest, SupportStatusChange

    conference = new_conference(app)
    alice, chair = client_for(app, ALICE), client_for(app, CHARLOTTE)
    url = support_url(conference) + "/ask/supporter"
    page = alice.get(url).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
    for _ in range(2):
        assert submit(alice, url, {"name": "Rosa Diaz", "relationship": "Friend", "submission_key": key}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupportRequest).where(SupportRequest.conference_id == conference)) == 1
    request_id = latest_request(app, "supporter", conference)[0]
    decide(chair, request_id, {"status": "agreed"})
    with app.app_context():
        history = [c.status for c in db.session.scalars(select(SupportStatusChange).where(SupportStatusChange.request_id == request_id)
                                                        .order_by(SupportStatusChange.id))]
        assert history == ["asked", "agreed"]
        actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_kind == "support_request",
                                                                          AuditEvent.object_id == str(request_id))))
        assert {"support.supporter.asked", "support.supporter.agreed", "support.read"} <= actions
    history_page = alice.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "What has happened" in history_page and "Asked" in history_page and "Agreed" in history_page


def test_requests_show_on_the_familys_home_with_their_status(app, demo):
    from portal.auth.models import User
    from portal.cases.models import Case, Conference
    from portal.support.tasks import support_tasks

    conference = new_conference(app)
    alice = client_for(app, ALICE)
    submit(alice, support_url(conference) + "/ask/interpreter", {"language": "Bengali", "dialect": "Sylheti", "purposes": ["conference"]})
    assert "Ask for support" in alice.get("/home").get_data(as_text=True)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == ALICE))
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        tasks = support_tasks(user, case, db.session.get(Conference, conference))
        lines = [(str(task.title), str(task.own_status.get("tag", {}).get("text", ""))) for task in tasks]
        assert lines == [("Ask for support", ""), ("An interpreter", "Asked")]
        # The other parent's home shows none of it.
        arthur = db.session.scalar(select(User).where(User.email == ARTHUR))
        assert [str(t.title) for t in support_tasks(arthur, case, db.session.get(Conference, conference))] == ["Ask for support"]


def test_an_advocate_acting_for_one_parent_cannot_be_given_to_the_other_and_giving_one_up_ends_it(app, demo):
    """Ada acts for Alice: she is not offered for Arthur. Arthur's own advocate, once he gives them up,
    no longer acts for him."""
    from portal.auth.models import User
    from portal.auth.passwords import hash_password
    from portal.cases.models import Participant

    conference = new_conference(app)
    arthur, sally = client_for(app, ARTHUR), client_for(app, SALLY)
    submit(arthur, support_url(conference) + "/ask/advocacy", {})
    request_id, status, _, _ = latest_request(app, "advocacy", conference)
    assert status == "asked"
    form = sally.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "Ada Avocet" not in form
    with app.app_context():
        ada = db.session.scalar(select(Participant.id).join(User).where(User.email == ADA))
        case_id = db.session.get(Participant, ada).case_id
        advocate = User(name="Bo Advocate", role="advocate", email="bo.advocate@example.org",
                        password_hash=hash_password("a long enough test password"), preferred_language="en")
        db.session.add(advocate)
        db.session.flush()
        bo = Participant(case_id=case_id, user_id=advocate.id, role="advocate")
        db.session.add(bo)
        db.session.commit()
        bo_id = bo.id
    # A hand-made POST naming Ada is refused like any stale choice; Ada still acts for Alice.
    assert decide(sally, request_id, {"status": "arranged", "advocate": str(ada)}).status_code == 400
    assert decide(sally, request_id, {"status": "arranged", "advocate": str(bo_id)}).status_code == 303
    with app.app_context():
        alice_part = db.session.scalar(select(Participant.id).join(User).where(User.email == ALICE, Participant.case_id == case_id))
        assert db.session.get(Participant, ada).advocate_for_id == alice_part
        assert db.session.get(Participant, bo_id).advocate_for_id is not None
    # Arthur changes his mind: the allocation ends.
    page = arthur.get(f"/cases/{CASE_A}/support/{request_id}").get_data(as_text=True)
    assert "No, thank you" in page
    assert submit(arthur, f"/cases/{CASE_A}/support/{request_id}/answer", {"answer": "declined"},
                  from_url=f"/cases/{CASE_A}/support/{request_id}").status_code == 303
    with app.app_context():
        assert db.session.get(Participant, bo_id).advocate_for_id is None


def test_nothing_is_decided_about_the_meeting_once_it_has_happened(app, demo):
    from portal.cases.models import Conference, Venue

    conference = new_conference(app)
    alice, chair = client_for(app, ALICE), client_for(app, CHARLOTTE)
    with app.app_context():
        hub = db.session.scalar(select(Venue.id).where(Venue.name == "Family hub (demo)"))
    submit(alice, support_url(conference) + "/ask/venue", {"venue": str(hub)})
    request_id = latest_request(app, "venue", conference)[0]
    with app.app_context():
        row = db.session.get(Conference, conference)
        row.status, venue_before = "held", row.venue_id
        db.session.commit()
    assert decide(chair, request_id, {"status": "agreed"}).status_code == 404
    with app.app_context():
        assert db.session.get(Conference, conference).venue_id == venue_before
    # Asking once the moment has passed keeps what was typed.
    late = submit(alice, support_url(conference) + "/ask/supporter", {"name": "Rosa Diaz", "relationship": "Words kept 7731"})
    assert late.status_code == 400 and "Words kept 7731" in late.get_data(as_text=True)


def test_a_huge_id_is_a_404_not_a_crash(app, demo):
    alice = client_for(app, ALICE)
    for url in (f"/cases/{CASE_A}/support/99999999999999999999999", f"/cases/{CASE_A}/conferences/99999999999999999999/support",
                f"/cases/{CASE_A}/conferences/99999999999999999999"):
        assert alice.get(url).status_code == 404, url
