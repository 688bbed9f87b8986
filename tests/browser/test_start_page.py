"""The start page in a real Chromium at phone size: accessible, CSP-clean, right to left, and without JavaScript."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

LANGUAGES = {"en": "English", "bn": "বাংলা", "ar": "العربية"}


def open_in(page, live_server, code: str):
    page.context.add_cookies([{"name": "portal_lang", "value": code, "url": live_server}])
    page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_start_page_has_no_axe_violations_and_no_csp_violations(phone, live_server, code):
    open_in(phone, live_server, code)
    assert phone.get_attribute("html", "lang") == code
    results = Axe().run(phone)
    violations = [(v["id"], len(v["nodes"])) for v in results.response["violations"]]
    csp = phone.evaluate("window.__cspViolations")
    csp_console = [m for m in phone.console_errors if "Content Security Policy" in m]
    screenshot(phone, f"start-{code}-360")
    print(f"\n{code}: axe violations {len(violations)}, CSP violations {len(csp) + len(csp_console)}")
    assert violations == []
    assert csp == [] and csp_console == []
    assert phone.console_errors == []  # nothing else went wrong either (e.g. a bad Permissions-Policy)
    # GOV.UK Frontend's JavaScript ran under the CSP.
    assert "govuk-frontend-supported" in phone.get_attribute("body", "class")


def test_arabic_reads_right_to_left_with_each_radio_circle_on_the_right(phone, live_server):
    open_in(phone, live_server, "ar")
    assert phone.get_attribute("html", "dir") == "rtl"
    geometry = phone.evaluate(
        """() => [...document.querySelectorAll('.govuk-radios__item')].map((item) => {
            const label = item.querySelector('.govuk-radios__label');
            const before = getComputedStyle(label, '::before');
            const itemBox = item.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(label);
            const text = range.getBoundingClientRect();
            const circleLeft = itemBox.left + parseFloat(before.left);
            return {circleLeft, circleRight: circleLeft + parseFloat(before.width), textLeft: text.left, textRight: text.right};
        })"""
    )
    screenshot(phone, "start-ar-rtl-360")
    assert len(geometry) == 7
    for radio in geometry:
        assert radio["circleLeft"] >= radio["textRight"], radio
    # Nothing runs off the side of a 360px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_no_horizontal_scrolling_at_360px(phone, live_server):
    for code in ("en", "bn", "ar", "ur", "so", "pl", "ro"):
        open_in(phone, live_server, code)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, code


@pytest.mark.parametrize("phone", [{"java_script_enabled": False}], indirect=True)
def test_language_switch_works_without_javascript(phone, live_server):
    phone.goto(live_server + "/privacy")
    assert phone.get_attribute("html", "lang") == "en"
    phone.click("button[lang=ar]")
    phone.wait_for_load_state()
    assert phone.url == live_server + "/privacy"
    assert phone.get_attribute("html", "lang") == "ar"
    assert phone.get_attribute("html", "dir") == "rtl"
    # And with the start page's radios.
    phone.goto(live_server + "/")
    phone.check("input[name=language][value=bn]")
    phone.click("form:has(input[type=radio]) button[type=submit], form:has(input[type=radio]) input[type=submit]")
    phone.wait_for_load_state()
    assert phone.get_attribute("html", "lang") == "bn"


def test_first_visit_fits_the_page_budget_in_the_browser(phone, live_server):
    sizes = []
    phone.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]))
    phone.goto(live_server + "/", wait_until="networkidle")
    print(f"\nstart page in Chromium: {len(sizes)} requests, {sum(sizes)} bytes on the wire (with headers)")
    assert len(sizes) <= 10
    assert sum(sizes) <= 100 * 1024
