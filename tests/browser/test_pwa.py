"""The installable app in a real Chromium: installable, an offline page in the person's language, nothing
personal kept, everything cleared at sign-out; no lost words when the connection drops; read aloud only
with a voice on the phone."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, CSP_LISTENER, PHONE, close_with_worker, screenshot
from tests.browser.conftest import sign_in as sign_in_page

pytestmark = pytest.mark.browser


def sign_in(page, live_server, login: str) -> None:
    sign_in_page(page, live_server, login)
    assert not page.url.endswith("/sign-in"), login


def worker_ready(page) -> str:
    """Wait until the service worker is active, then open the page again so the worker serves it (it never takes
    over a page that was already open); return the cache's name."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(300):
        names = page.evaluate("caches.keys()")
        if names and page.evaluate("navigator.serviceWorker.controller !== null"):
            return names[0]
        if names:
            page.reload()
        page.wait_for_timeout(100)
    raise AssertionError("the service worker did not take control")


def kept_urls(page) -> list[str]:
    return page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
    }""")


def wait_for_text(locator, pattern: str, timeout_s: float = 30) -> str:
    """Poll a locator's text (a string wait_for_function would break the CSP)."""
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = locator.inner_text()
        if re.search(pattern, text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"{pattern!r} never appeared; last text: {text!r}")


def test_chromium_finds_the_app_installable(browser, live_server, tmp_path):
    """Chromium's own installability check (DevTools Page.getInstallabilityErrors), in a persistent profile."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server + "/")
    worker_ready(page)
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    manifest = cdp.send("Page.getAppManifest")
    close_with_worker(context)
    print(f"\ninstallability errors: {errors}; manifest {manifest['url']}")
    assert errors == []
    assert manifest["errors"] == []


def test_offline_a_page_shows_the_offline_page_in_the_persons_language_and_nothing_personal_is_kept(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, live_server, "grace.appleby@example.org")
    page.goto(live_server + "/home")
    page.click("button[name=language][value=ar]")  # the language bar: the page tells the worker to keep the Arabic offline page
    page.wait_for_load_state()
    deadline = time.monotonic() + 30
    while ("/offline/ar" not in kept_urls(page) or "/offline/en" in kept_urls(page)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    kept = kept_urls(page)  # the English copy is let go
    print(f"\nkept by the service worker: {kept}")
    assert "/offline/ar" in kept and "/offline/en" not in kept
    assert all(url.startswith("/static/") or url.startswith("/offline/") for url in kept), kept
    context.set_offline(True)
    page.goto(live_server + "/home")
    assert page.locator("h1").inner_text() != "You are offline"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "Grace" not in page.content() and page.locator("meta[name=csrf-token]").count() == 0
    assert page.evaluate("window.__cspViolations") == [] and errors == []
    screenshot(page, "offline-ar")
    context.set_offline(False)
    page.goto(live_server + "/home")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    close_with_worker(context)


def test_signing_out_clears_the_cache_and_the_worker_and_does_not_bring_it_back(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    page = context.new_page()
    sign_in(page, live_server, "ada.avocet@example.org")
    page.goto(live_server + "/home")
    worker_ready(page)
    page.click(".govuk-service-navigation__toggle")  # the menu, folded on a phone
    page.click("form[action$='/sign-out'] button")
    page.wait_for_load_state()
    assert page.url.endswith("/signed-out")
    page.wait_for_timeout(500)
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.controller") is None
    close_with_worker(context)


def test_no_lost_words_when_the_connection_drops_while_writing_views(browser, live_server, demo):
    """Type, lose the connection, type more, get it back: every word is on the server."""
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    page = context.new_page()
    sign_in(page, live_server, "alice.appleby@example.org")
    page.goto(live_server + "/home")
    page.click("main a[href*='#views']")
    page.click("main a:has-text('Carry on writing your views')")
    views = page.url.removeprefix(live_server)
    box = page.locator("textarea[name=would_like]")
    status = page.locator("#autosave-status")
    box.fill("")
    box.press_sequentially("Online words 3301.", delay=5)
    wait_for_text(status, r"Saved at")
    context.set_offline(True)
    box.press_sequentially(" Offline words 3302.", delay=5)
    text = wait_for_text(status, r"not connected to the internet")
    print(f"\noffline, the page says: {text}")
    assert "Offline words 3302." in box.input_value()  # still on the screen
    screenshot(page, "views-offline")
    context.set_offline(False)
    wait_for_text(status, r"Saved at", timeout_s=40)  # saved again as soon as the connection is back
    fresh = browser.new_context(viewport=PHONE, service_workers="allow")
    check = fresh.new_page()
    sign_in(check, live_server, "alice.appleby@example.org")
    check.goto(live_server + views)
    saved = check.locator("textarea[name=would_like]").input_value()
    close_with_worker(fresh)
    print(f"on the server: {saved!r}")
    assert "Online words 3301." in saved and "Offline words 3302." in saved
    close_with_worker(context)


def test_leaving_with_words_not_yet_saved_asks_first(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    page = context.new_page()
    sign_in(page, live_server, "carl.chestnut@example.org")
    page.goto(live_server + "/home")
    feedback = page.locator("a[href$='/feedback']").first.get_attribute("href")
    page.goto(live_server + feedback)
    page.locator("textarea[name=do_better]").fill("")  # a draft from another test may be there
    context.set_offline(True)
    page.locator("textarea[name=do_better]").press_sequentially("Not saved yet 4401", delay=5)
    wait_for_text(page.locator(".app-autosave-status"), r"not connected to the internet")
    # Sending while offline keeps the person on the page, with their words.
    page.locator("main form[data-autosave] button[type=submit]").click()
    wait_for_text(page.locator(".app-autosave-status"), r"has not been sent")
    assert page.locator("textarea[name=do_better]").input_value() == "Not saved yet 4401"
    # Leaving the page now would lose the words: the browser asks first.
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.accept()
    close_with_worker(context)


VOICES = """
window.__spoken = [];
Object.defineProperty(window.speechSynthesis, 'getVoices', {value: () => [
  {name: 'Phone Arabic', lang: 'ar-SA', localService: true},
  {name: 'Cloud Bengali', lang: 'bn-BD', localService: false},
]});
Object.defineProperty(window.speechSynthesis, 'speak', {value: (u) => window.__spoken.push({text: u.text, lang: u.lang})});
"""


def test_read_aloud_shows_only_with_a_voice_on_the_phone_for_the_language(browser, live_server, demo):
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    page = context.new_page()
    page.goto(live_server + "/")
    real_voices = page.evaluate("speechSynthesis.getVoices().filter(v => v.localService).map(v => v.lang)")
    button = page.locator(".app-read-aloud")
    if not any(lang.lower().startswith("en") for lang in real_voices):
        assert button.is_hidden()  # this Chromium has no English voice of its own: no button
    close_with_worker(context)
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    context.add_init_script(VOICES)
    page = context.new_page()
    page.goto(live_server + "/")
    assert page.locator(".app-read-aloud").is_hidden()  # English: no local voice
    page.click("button[name=language][value=bn]")
    page.wait_for_load_state()
    assert page.locator(".app-read-aloud").is_hidden()  # Bengali: only a voice that would send the words away
    page.click("button[name=language][value=ar]")
    page.wait_for_load_state()
    button = page.locator(".app-read-aloud button")
    assert button.is_visible()
    label = button.inner_text()
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and all(item["lang"] == "ar-SA" for item in spoken)
    assert spoken[0]["text"] == page.locator("h1").inner_text()
    assert button.inner_text() != label  # "Stop reading"
    screenshot(page, "read-aloud-ar")
    page.click("button[name=language][value=en]")
    close_with_worker(context)
