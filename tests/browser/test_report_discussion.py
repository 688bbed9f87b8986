"""On a phone: a parent reads a report, asks a question without JavaScript, the author answers, the
parent sees the answer; the parent's views autosave with JavaScript on; axe clean in English and Arabic."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import back_to_english, screenshot
from tests.browser.test_signed_in_pages import sign_in

pytestmark = pytest.mark.browser

QUESTION = "Sam was ill with flu that week. Can you change this, please? (browser 3391)"


def check_with_axe(browser, live_server, login: str, url: str, name: str) -> None:
    """axe needs JavaScript: check the page in a JavaScript-enabled phone, in English and Arabic."""
    for code in ("en", "ar"):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        sign_in(page, live_server, login)
        if code != "en":
            page.click(f"button[lang={code}]")
        page.goto(url, wait_until="networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert [v["id"] for v in Axe().run(page).response["violations"]] == [], (name, code)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, (name, code)
        screenshot(page, f"{name}-{code}-360")
        if code != "en":
            back_to_english(page)
        context.close()


@pytest.mark.parametrize("phone", [{"java_script_enabled": False}], indirect=True)
def test_a_parent_asks_the_author_answers_and_the_parent_sees_it(phone, browser, live_server, demo):
    phone.set_default_timeout(10000)
    sign_in(phone, live_server, "alice.appleby@example.org")
    phone.goto(live_server + "/home")
    phone.click("main a[href*='#reports']")
    phone.click("main a:has-text('Priya Plover')")
    report_url = phone.url
    section = phone.locator("details:has(form[action$='/sections/what_happened/comments'])")
    section.locator("summary").click()  # a native <details>: opens without JavaScript
    section.locator("label:has-text('Ask a question')").click()
    section.locator("textarea").fill(QUESTION)
    section.locator("button:has-text('Send')").click()
    assert phone.locator("text=Sent. The person who wrote the report").count() == 1
    assert phone.locator(f".app-thread:has-text('{QUESTION}') >> text=Not answered yet").count() == 1

    author_context = browser.new_context(viewport={"width": 1280, "height": 800})
    author = author_context.new_page()
    author.set_default_timeout(10000)
    sign_in(author, live_server, "priya.plover@example.org")
    author.goto(report_url)
    thread = author.locator(f".app-thread:has-text('{QUESTION}')")
    thread.locator("textarea").fill("Thank you. I have asked the school and will correct it.")
    thread.locator("button:has-text('Send reply')").click()
    assert author.locator("text=Reply sent.").count() == 1
    author_context.close()

    phone.goto(report_url)
    answered = phone.locator(f".app-thread:has-text('{QUESTION}')")
    assert answered.locator("text=I have asked the school and will correct it.").count() == 1
    assert answered.locator("text=Not answered yet").count() == 0
    check_with_axe(browser, live_server, "alice.appleby@example.org", report_url, "report-discussion")


def test_the_parents_views_save_as_she_types(phone, browser, live_server, demo):
    phone.set_default_timeout(10000)
    sign_in(phone, live_server, "alice.appleby@example.org")
    phone.goto(live_server + "/home")
    phone.click("main a[href*='#views']")
    phone.click("main a:has-text('Carry on writing your views')")
    views_url = phone.url
    words = "Help with the school run on Mondays would make a difference (typed 5150)."
    phone.fill("textarea[name=help_wanted]", words)
    phone.locator("#autosave-status", has_text=re.compile(r"^\s*Saved at")).wait_for()
    assert phone.console_errors == [] and phone.evaluate("window.__cspViolations") == []
    phone.reload()
    assert phone.input_value("textarea[name=help_wanted]") == words
    check_with_axe(browser, live_server, "alice.appleby@example.org", views_url, "views-edit")
