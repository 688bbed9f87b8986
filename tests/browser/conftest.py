"""Browser tests: the app served on 127.0.0.1, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}

# Collects Content-Security-Policy violations the page reports; added before any page script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def read_whole(app):
    """The app with each response read whole (and closed) before it is sent. Werkzeug's test server reads what is
    left on the socket before it closes a response: when the browser drops the connection first (a page left while
    its icon is still coming), the static file stays open, and an unclosed file fails this suite at random."""

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(app):
    """The test app on a free port of 127.0.0.1, in a background thread."""
    server = make_server("127.0.0.1", 0, read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class WorkerlessByDefault:
    """The browser, whose new contexts run no service worker unless a test asks for one (service_workers="allow":
    the installable-app tests and the page-weight test). Chromium can hang for good when a context is closed while
    its service worker is starting or checking for an update (the same hang is reported against Puppeteer, upstream
    of both); tests about something else need not risk it."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("service_workers", "block")
        return self._browser.new_context(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


# Chromium checks for a new service worker about a second after each page the worker serves.
WORKER_UPDATE_CHECK_SECONDS = 2.5


def back_to_english(page) -> None:
    """Switch the signed-in account back to English, as the shared demo accounts were, and wait until the switch
    has been saved: a context closed while that form is on its way can leave the account in another language,
    and Chromium can hang closing it."""
    with page.expect_navigation():
        page.click("button[lang=en]")


def close_with_worker(*contexts) -> None:
    """Close contexts that run the service worker, once its update check after the last page is over: a context
    closed while that check is on its way never finishes closing. The pages go blank first, so no new check starts."""
    from playwright.sync_api import Error

    for context in contexts:
        for page in context.pages:
            try:
                page.goto("about:blank")
            except Error:  # a page that is closing already (a test that closed it, asking before it left)
                pass
    time.sleep(WORKER_UPDATE_CHECK_SECONDS)
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield WorkerlessByDefault(chromium)
        chromium.close()


@pytest.fixture()
def phone(browser, request):
    """A fresh phone-sized page (360 x 740) that records console errors and CSP violations."""
    options = getattr(request, "param", {}) or {}
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, **options)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server: str, login: str) -> None:
    """Sign in through the real form, as a person would."""
    from tests.conftest import DEMO_PASSWORD

    page.goto(live_server + "/sign-in")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]:not(.govuk-password-input__toggle)")
    page.wait_for_load_state()
