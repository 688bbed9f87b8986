"""A chair signs in with their council account in a real Chromium at phone size: the portal's button, the council's
identity provider's own page (a real oidc-provider on loopback), back to their dashboard, and out again through the
provider. The pages on the portal's side are accessible and right to left in Arabic."""

from __future__ import annotations

import re
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from sqlalchemy import delete

from portal.auth.models import CouncilIdentity, User
from portal.db import db
from tests.browser.conftest import read_whole, screenshot
from tests.conftest import make_app
from tests.council_provider import PASSWORD, CouncilProvider, person

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def council_site(database_uri, demo, tmp_path_factory):
    """The portal, set up for the council's provider, on a port of its own; and the provider, which knows the
    portal's address. The server starts first (so its address is known), then learns which app it serves.
    Its chair is Colin Crane, whom no test before this one links to another provider (run in one process)."""
    serving = {}
    server = make_server("127.0.0.1", 0, lambda environ, start_response: serving["app"](environ, start_response), threaded=True)
    portal = f"http://127.0.0.1:{server.server_port}"
    provider = CouncilProvider(tmp_path_factory.mktemp("council-browser"), {
        "colin.crane": person("colin.crane@example.org", "Colin Crane"),
        "no.mfa": person("no.mfa.browser@example.org", "Nell Nomfa", mfa=False),
    }, portal=portal)
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_uri, "STAFF_MFA_REQUIRED": True,
                    **provider.settings(OIDC_REQUIRE_MFA=True)})
    with app.app_context():  # an account for the person whose council account has no second step
        db.session.add(User(role="chair", name="Nell Nomfa", email="no.mfa.browser@example.org", sign_in_method="council"))
        db.session.commit()
    serving["app"] = read_whole(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield portal, provider
    server.shutdown()
    thread.join(timeout=5)
    provider.stop()
    with app.app_context():  # this provider is gone: the identities it linked go with it
        db.session.execute(delete(CouncilIdentity).where(CouncilIdentity.issuer == provider.issuer))
        db.session.commit()


def axe_violations(page) -> list:
    return [(v["id"], len(v["nodes"])) for v in Axe().run(page).response["violations"]]


def test_a_chair_signs_in_with_their_council_account_and_lands_on_their_dashboard(phone, council_site):
    portal, provider = council_site
    phone.goto(portal + "/sign-in")
    assert axe_violations(phone) == []
    screenshot(phone, "council-sign-in-en-360")
    phone.get_by_role("button", name="Sign in with your council account").click()
    phone.wait_for_url(re.compile(re.escape(provider.issuer) + r"/interaction/"))
    phone.fill("#username", "colin.crane")
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(portal + "/cases")
    assert phone.locator("h1").inner_text().strip()
    assert "Sign in" not in phone.title()
    screenshot(phone, "council-signed-in-dashboard-en-360")
    # Signing out: the portal's session ends, then the provider's own "sign out?" page, then back to the portal.
    phone.get_by_role("button", name="Menu").click()  # GOV.UK service navigation folds its links away on a phone
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url(re.compile(re.escape(provider.issuer) + r"/session/end"))
    screenshot(phone, "council-provider-sign-out")
    phone.get_by_role("button", name="Yes, sign me out").click()
    phone.wait_for_url(re.compile(re.escape(portal) + r"/signed-out"))
    assert phone.locator("h1").inner_text() == "You have signed out"
    csp = phone.evaluate("window.__cspViolations")
    assert csp == [] and not [m for m in phone.console_errors if "Content Security Policy" in m]
    phone.goto(portal + "/cases")
    assert "/sign-in" in phone.url


@pytest.mark.parametrize("code", ["en", "ar"])
def test_a_refused_sign_in_says_why_in_the_persons_language(phone, council_site, code):
    portal, provider = council_site
    phone.context.add_cookies([{"name": "portal_lang", "value": code, "url": portal}])
    phone.goto(portal + "/sign-in")
    phone.locator("a[href^='/sign-in/council']").click()
    phone.wait_for_url(re.compile(re.escape(provider.issuer) + r"/interaction/"))
    phone.fill("#username", "no.mfa")
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(re.compile(re.escape(portal) + r"/sign-in/council/refused"))
    assert phone.get_attribute("html", "lang") == code
    assert phone.get_attribute("html", "dir") == ("rtl" if code == "ar" else "ltr")
    if code == "en":
        assert "without a second step" in phone.locator("main").inner_text()
    else:
        assert "second step" not in phone.locator("main").inner_text()
    assert axe_violations(phone) == []
    screenshot(phone, f"council-refused-{code}-360")
