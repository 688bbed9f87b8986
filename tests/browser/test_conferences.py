"""Conference pages and dashboards in Chromium: family pages at 360x740, dashboards at 1280x800, axe clean."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import back_to_english, screenshot
from tests.browser.test_signed_in_pages import sign_in

pytestmark = pytest.mark.browser


def axe_ids(page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"]]


@pytest.mark.parametrize("code", ["en", "ar"])
def test_the_family_conference_page(phone, live_server, demo, code):
    phone.context.add_cookies([{"name": "portal_lang", "value": code, "url": live_server}])
    sign_in(phone, live_server, "beth.bramble@example.org")
    if code != "en":
        phone.click(f"button[lang={code}]")
    phone.goto(live_server + "/cases/FC-4HNP-T6WB", wait_until="networkidle")
    phone.click("main a[href*='/conferences/']")
    phone.wait_for_load_state("networkidle")
    assert phone.get_attribute("html", "lang") == code
    assert axe_ids(phone) == []
    assert phone.evaluate("window.__cspViolations") == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, f"conference-{code}-360")
    if code != "en":
        back_to_english(phone)


@pytest.fixture()
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("login", ["colin.crane@example.org", "sally.sparrow@example.org", "quinn.quail@example.org"])
def test_dashboards_at_laptop_size(laptop, live_server, demo, login):
    sign_in(laptop, live_server, login)
    laptop.goto(live_server + "/cases", wait_until="networkidle")
    assert axe_ids(laptop) == [], login
    screenshot(laptop, f"dashboard-{login.split('.')[0]}-1280")


def test_sqa_filters_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "quinn.quail@example.org")
    page.goto(live_server + "/cases")
    page.select_option("#status", "scheduled")
    page.click("form.app-filters button[type=submit]")
    assert "status=scheduled" in page.url
    assert page.locator("tbody tr").count() >= 2
    context.close()


def test_admin_pages_at_laptop_size(laptop, live_server, demo):
    sign_in(laptop, live_server, "adam.auk@example.org")
    for path in ("/admin/staff", "/admin/staff/new", "/admin/venues", "/admin/venues/new"):
        laptop.goto(live_server + path, wait_until="networkidle")
        assert axe_ids(laptop) == [], path
    laptop.click("main form button[type=submit]")
    laptop.wait_for_load_state()
    assert laptop.title().startswith("Error:")
    assert axe_ids(laptop) == []
