"""On a phone (360 x 740): a young person fills in the three houses and every word is saved as they
type (htmx autosave), and the young people's pages are axe-clean in English and Arabic, for a
teenager and for a 7-year-old (the simpler pages), with no sideways scrolling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.db import db, utcnow
from tests.browser.conftest import screenshot
from tests.browser.test_report_discussion import check_with_axe
from tests.browser.test_signed_in_pages import sign_in
from tests.wishes.test_wishes import family_with_ages

pytestmark = pytest.mark.browser


def saved_wishes(app, child_id: int):
    from portal.wishes.models import Wishes

    with app.app_context():
        return db.session.scalar(select(Wishes).where(Wishes.child_id == child_id))


def test_the_three_houses_save_as_a_young_person_types(phone, app, live_server, demo):
    family = family_with_ages(app, {"Nia": (14, 0)})
    phone.set_default_timeout(10000)
    sign_in(phone, live_server, family.logins["Nia"])
    phone.goto(live_server + "/home")
    phone.click("main a:has-text('Share your wishes and feelings')")
    assert "the adults who read this must act to keep you safe" in phone.inner_text("main")
    phone.click("main button:has-text('Start')")
    phone.fill("textarea[name=worries]", "I worry about the boys at the bus stop.")
    phone.locator("#revision[value='1']").wait_for(state="attached")
    phone.fill("textarea[name=dreams]", "To go to college and be a nurse.")
    phone.locator("#revision[value='2']").wait_for(state="attached")
    assert "Saved at" in phone.inner_text("#autosave-status")
    wishes = saved_wishes(app, family.children["Nia"])
    assert wishes.worries == "I worry about the boys at the bus stop." and wishes.dreams == "To go to college and be a nurse."
    phone.click("main button:has-text('Save and continue')")
    assert "Do you feel you need a plan?" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.console_errors == []  # (before the screenshot: Playwright hides the caret with an inline style)
    phone.go_back()
    screenshot(phone, "wishes-three-houses-en-360")


def test_the_young_peoples_pages_pass_axe_in_english_and_arabic(browser, app, live_server, demo):
    family = family_with_ages(app, {"Oli": (15, 0), "Pia": (7, 0)})
    base = f"{live_server}/cases/{family.reference}"
    for name in ("Oli", "Pia"):
        start = f"{base}/conferences/{family.conference_id}/children/{family.children[name]}/wishes"
        check_with_axe(browser, live_server, family.logins[name], start, f"wishes-start-{name.lower()}")
        # Start through the page itself, then check the pages that follow.
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        sign_in(page, live_server, family.logins[name])
        page.goto(start)
        page.click("main button:has-text('Start')")
        wishes_url = page.url
        page.fill("textarea[name=good_things]", "Swimming with my cousin.")
        page.click("main button:has-text('Save and continue')")
        context.close()
        pages = {"edit": wishes_url, "who-can-see": wishes_url + "/who-can-see", "check": wishes_url + "/check",
                 "read": wishes_url + "/read", "my-advocate": f"{base}/my-advocate"}
        if name == "Oli":
            pages["need-a-plan"] = wishes_url + "/need-a-plan"
        for page_name, url in pages.items():
            check_with_axe(browser, live_server, family.logins[name], url, f"wishes-{page_name}-{name.lower()}")
    # The child-friendly feedback form, once the conference has been held.
    from portal.cases.models import Conference

    with app.app_context():
        conference = db.session.get(Conference, family.conference_id)
        conference.status, conference.starts_at = "held", utcnow() - timedelta(days=1)
        db.session.commit()
    check_with_axe(browser, live_server, family.logins["Pia"],
                   f"{base}/conferences/{family.conference_id}/feedback/young-person", "feedback-young-person")
