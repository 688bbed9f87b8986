"""On a phone (360 x 740): a parent reads the plan, agrees to an action and chooses a service, and the chair
sees it; the plan, the family's say, the feedback form, the chair's feedback review and charts are axe-clean
in English and Arabic, with no sideways scrolling."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.db import db
from tests.browser.test_report_discussion import check_with_axe
from tests.browser.test_signed_in_pages import sign_in
from tests.plans.test_plans import add_action, held_family, plan_url
from tests.wishes.test_wishes import CHARLOTTE, SALLY, client_for, text

pytestmark = pytest.mark.browser


def test_a_parent_agrees_to_an_action_on_a_phone(phone, browser, app, live_server, demo):
    family = held_family(app)
    add_action(client_for(app, SALLY), family)
    phone.set_default_timeout(10000)
    sign_in(phone, live_server, family.logins["mother"])
    phone.goto(live_server + "/home")
    phone.click("main a:has-text('Read your plan and have your say')")
    assert "Ruby is frightened when her parents shout." in phone.inner_text("main")
    phone.click("main a:has-text('Have your say')")
    phone.locator("label:has-text('I agree')").first.click()
    phone.locator("label:has-text('Parenting Together course (demo)')").click()
    phone.click("main button:has-text('Save my answer')")
    assert "Your answer is saved" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.console_errors == []
    from portal.plans.models import ActionResponse

    with app.app_context():
        answer = db.session.scalar(select(ActionResponse).where(ActionResponse.participant_id == family.participants["mother"]))
        assert answer.agreement == "agree" and answer.service.name == "Parenting Together course (demo)"
    assert "Service: Parenting Together course (demo)" in text(client_for(app, CHARLOTTE).get(plan_url(family)).get_data(as_text=True))
    action_id = answer.action_id
    base = f"{live_server}/cases/{family.reference}"
    for name, login, url in (
        ("plan-parent", family.logins["mother"], live_server + plan_url(family)),
        ("plan-your-say", family.logins["father"], f"{base}/plan/actions/{action_id}/your-say"),
        ("plan-staff", SALLY, live_server + plan_url(family)),
        ("plan-midway-review", SALLY, live_server + plan_url(family) + "/midway-review"),
        ("feedback-parent", family.logins["father"], f"{base}/conferences/{family.conference_id}/feedback"),
        ("feedback-review", CHARLOTTE, f"{base}/conferences/{family.conference_id}/feedback/review"),
        ("feedback-charts", CHARLOTTE, f"{live_server}/feedback"),
        ("services", "quinn.quail@example.org", f"{live_server}/services"),
    ):
        check_with_axe(browser, live_server, login, url, name)
