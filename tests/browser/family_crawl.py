"""Every page a family member, young person or advocate reaches, for the browser tests that check each one
(page weight, small screens): found by crawling as each family account, each URL measured once, as one account
that reaches it, in a browser context signed in as that account."""

from __future__ import annotations

from tests.conftest import DEMO_PASSWORD, sign_in as sign_in_client
from tests.test_crawl import crawl

FAMILY_ROLES = ("parent", "carer", "young_person", "advocate")
# Another test counts on this account being untouched when it runs.
NOT_USED = ("george.bramble@example.org",)
# Accounts the other browser tests already visit every page of come first, so a URL several accounts reach
# is opened as one of them and as few other accounts as possible are touched.
PREFERRED = ("alice.appleby@example.org", "grace.appleby@example.org", "max.bramble", "ruby.appleby",
             "ada.avocet@example.org", "clara.chestnut@example.org")


def family_accounts(demo) -> list[str]:
    """The family, young person and advocate demo logins, preferred ones first."""
    logins = [login for login, account in demo.items() if account["role"] in FAMILY_ROLES and login not in NOT_USED]
    return sorted(logins, key=lambda login: (login not in PREFERRED, PREFERRED.index(login) if login in PREFERRED else 0, login))


def family_pages(app, demo) -> dict[str, str]:
    """{path: login}: every page the family accounts reach, each once, with the first account that reaches it."""
    pages: dict[str, str] = {}
    for login in family_accounts(demo):
        client = app.test_client()
        assert sign_in_client(client, login).status_code == 303, login
        for path in sorted(crawl(client)):
            pages.setdefault(path, login)
    assert len(pages) > 40, f"the crawl reached too few family pages: {len(pages)}"
    return dict(sorted(pages.items()))


def sign_in_cookies(browser, live_server: str, login: str) -> list[dict]:
    """Sign in through the real form in a throwaway context and return its cookies, so each page can then be
    opened in a fresh context (empty cache) that is already signed in."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]:not(.govuk-password-input__toggle)")
    page.wait_for_load_state()
    assert not page.url.endswith("/sign-in"), f"{login} could not sign in"
    cookies = context.cookies()
    context.close()
    return cookies


class SignedIn:
    """Cookies per account, signed in once each."""

    def __init__(self, browser, live_server: str):
        self.browser, self.live_server, self.cookies = browser, live_server, {}

    def context(self, login: str, **options):
        """A fresh browser context (its own empty cache and storage) signed in as this account."""
        if login not in self.cookies:
            self.cookies[login] = sign_in_cookies(self.browser, self.live_server, login)
        context = self.browser.new_context(**options)
        context.add_cookies(self.cookies[login])
        return context
