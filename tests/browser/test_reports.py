"""A parent reads a shared report on a phone, without JavaScript, in English and Arabic; axe clean."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import back_to_english, screenshot
from tests.browser.test_signed_in_pages import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("phone", [{"java_script_enabled": False}], indirect=True)
def test_a_professional_writes_and_shares_and_a_parent_reads_it(phone, browser, live_server, demo):
    author_context = browser.new_context(viewport={"width": 1280, "height": 800})
    author = author_context.new_page()
    author.set_default_timeout(10000)
    phone.set_default_timeout(10000)
    sign_in(author, live_server, "harry.heron@example.org")
    author.goto(live_server + "/cases/FC-4HNP-T6WB")
    author.click("main a[href*='/conferences/']")
    author.click("button:has-text('Write a report')")
    author.fill("textarea[name=going_well]", "Pip laughs a lot at nursery.")
    author.fill("textarea[name=worries]", "Pip has missed three health checks.")
    author.click("main form button:has-text('Save draft')")
    assert [v["id"] for v in Axe().run(author).response["violations"]] == []
    author.click("button:has-text('Submit the report')")
    author.click("main form button:has-text('Share the report')")
    author_context.close()

    sign_in(phone, live_server, "beth.bramble@example.org")
    phone.goto(live_server + "/home")
    assert phone.locator("text=1 of 1 read").count() == 0  # opened or not, it is not read to the end yet
    phone.click("main a[href*='#reports']")
    phone.click("main a:has-text('Harry Heron')")
    assert phone.locator("text=Pip has missed three health checks.").count() == 1
    report_url = phone.url
    # axe needs JavaScript: check the same page in a JavaScript-enabled phone, in English and Arabic.
    for code in ("en", "ar"):
        checker_context = browser.new_context(viewport={"width": 360, "height": 740})
        checker_context.add_cookies([{"name": "portal_lang", "value": code, "url": live_server}])
        checker = checker_context.new_page()
        sign_in(checker, live_server, "beth.bramble@example.org")
        if code != "en":
            checker.click(f"button[lang={code}]")
        checker.goto(report_url, wait_until="networkidle")
        assert [v["id"] for v in Axe().run(checker).response["violations"]] == [], code
        assert checker.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(checker, f"report-read-{code}-360")
        if code != "en":
            back_to_english(checker)
        checker_context.close()
    phone.click("button:has-text('I have read this report')")
    assert phone.locator("text=You have told us you have read this report.").count() == 1
    phone.goto(live_server + "/home")
    assert phone.locator("text=1 of 1 read").count() == 1
