"""Signed-in pages in Chromium at phone size: sign in without JavaScript, axe clean in English and Arabic."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import back_to_english, screenshot
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server, login: str):
    page.goto(live_server + "/sign-in")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]:not(.govuk-password-input__toggle)")
    page.wait_for_load_state()


@pytest.mark.parametrize("phone", [{"java_script_enabled": False}], indirect=True)
def test_a_parent_signs_in_and_out_without_javascript(phone, live_server, demo):
    sign_in(phone, live_server, "alice.appleby@example.org")
    assert phone.url == live_server + "/home"
    phone.click("main a[href='/cases/FC-7KQ3-M9XD']")
    assert phone.url.endswith("/cases/FC-7KQ3-M9XD")
    assert phone.locator("text=1 Orchard Row").count() == 1
    phone.click("button:has-text('Sign out')")
    assert phone.url == live_server + "/signed-out"
    phone.goto(live_server + "/cases/FC-7KQ3-M9XD")
    assert "/sign-in" in phone.url


@pytest.mark.parametrize("code", ["en", "ar"])
def test_signed_in_pages_have_no_axe_violations(phone, live_server, demo, code):
    sign_in(phone, live_server, "alice.appleby@example.org")
    # The saved language follows the account: choose it with the language bar.
    phone.click(f"button[lang={code}]") if code != "en" else None
    phone.wait_for_load_state()
    results = {}
    for path in ("/home", "/cases/FC-7KQ3-M9XD", "/account", "/account/password"):
        phone.goto(live_server + path, wait_until="networkidle")
        assert phone.get_attribute("html", "lang") == code
        violations = Axe().run(phone).response["violations"]
        results[path] = [(v["id"], len(v["nodes"])) for v in violations]
        assert phone.evaluate("window.__cspViolations") == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
    screenshot(phone, f"case-{code}-360")
    if code != "en":
        back_to_english(phone)  # leave the shared demo account as it was
    print(f"\n{code}: axe violations per page {results}")
    assert all(v == [] for v in results.values())


def test_staff_pages_have_no_axe_violations(phone, live_server, demo):
    sign_in(phone, live_server, "sally.sparrow@example.org")
    for path in ("/cases", "/cases/FC-7KQ3-M9XD", "/cases/FC-7KQ3-M9XD/invite"):
        phone.goto(live_server + path, wait_until="networkidle")
        assert [v["id"] for v in Axe().run(phone).response["violations"]] == [], path
    phone.click("main form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.title().startswith("Error:")
    assert [v["id"] for v in Axe().run(phone).response["violations"]] == []
    screenshot(phone, "invite-errors-360")
