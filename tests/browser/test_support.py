"""On a phone: a parent taps "I need a break" (no JavaScript) and the chair's open conference page shows it
within 10 seconds without a reload (htmx polling); the support pages are axe-clean in English and Arabic."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.db import db, utcnow
from tests.browser.conftest import screenshot
from tests.browser.test_report_discussion import check_with_axe
from tests.browser.test_signed_in_pages import sign_in

pytestmark = pytest.mark.browser

CASE_A = "FC-7KQ3-M9XD"


@pytest.fixture()
def live_conference(app, demo):
    """A conference of the Appleby case that started 10 minutes ago (cancelled again afterwards)."""
    from portal.auth.models import User
    from portal.cases.models import Case, Conference, Venue

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        chair = db.session.scalar(select(User).where(User.email == "charlotte.chaffinch@example.org"))
        conference = Conference(case_id=case.id, kind="review", starts_at=utcnow() - timedelta(minutes=10), format="in_person",
                                venue_id=db.session.scalar(select(Venue.id).limit(1)), chair_id=chair.id, created_by_id=chair.id)
        db.session.add(conference)
        db.session.commit()
        conference_id = conference.id
    yield conference_id
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        # Cancelled as the portal cancels one: with a reason and a time (pages show the reason).
        conference.status, conference.cancelled_reason, conference.cancelled_at = "cancelled", "Test over.", utcnow()
        db.session.commit()


def test_a_break_reaches_the_chairs_open_page_within_10_seconds(browser, live_server, live_conference):
    url = f"{live_server}/cases/{CASE_A}/conferences/{live_conference}"
    chair_context = browser.new_context(viewport={"width": 1024, "height": 900})
    chair = chair_context.new_page()
    sign_in(chair, live_server, "charlotte.chaffinch@example.org")
    chair.goto(url)
    assert chair.locator("#breaks").get_by_text("Nobody has asked for a break.").is_visible()

    parent_context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    parent = parent_context.new_page()
    sign_in(parent, live_server, "alice.appleby@example.org")
    parent.goto(url)
    parent.click("main button:has-text('I need a break')")
    assert "The chair has been told you need a break." in parent.inner_text("main")
    screenshot(parent, "support-break-asked-en-360")

    # The chair's page was not reloaded: htmx swaps the list in (polling every 5 seconds).
    chair.locator("#breaks", has_text=re.compile("Alice Appleby needs a break")).wait_for(timeout=10000)
    screenshot(chair, "support-break-chair")
    chair.click("#breaks button:has-text('Break given')")
    chair.locator("#breaks", has_text=re.compile("Breaks given in this conference: 1")).wait_for(timeout=10000)
    chair_context.close()
    parent_context.close()


def test_support_pages_have_no_axe_violations_in_english_and_arabic(browser, live_server, app, demo):
    from portal.cases.models import Case, Conference
    from portal.support.models import SupportRequest

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
        conference = db.session.scalar(select(Conference).where(Conference.case_id == case.id, Conference.kind == "icpc")
                                       .order_by(Conference.id).limit(1))
        interpreter = db.session.scalar(select(SupportRequest.id).where(SupportRequest.conference_id == conference.id,
                                                                        SupportRequest.kind == "interpreter"))
        conference_id = conference.id
    base = f"{live_server}/cases/{CASE_A}/conferences/{conference_id}/support"
    for login, url, name in (
        ("alice.appleby@example.org", base, "support-family"),
        ("alice.appleby@example.org", base + "/ask/interpreter", "support-ask-interpreter"),
        ("alice.appleby@example.org", base + "/ask/access_needs", "support-ask-access"),
        ("alice.appleby@example.org", f"{live_server}/cases/{CASE_A}/support/{interpreter}", "support-request"),
        ("sally.sparrow@example.org", f"{live_server}/cases/{CASE_A}/support/{interpreter}", "support-decide"),
        ("charlotte.chaffinch@example.org", base, "support-staff"),
    ):
        check_with_axe(browser, live_server, login, url, name)
