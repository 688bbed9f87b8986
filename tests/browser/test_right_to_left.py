"""Every family page in Arabic (and the main ones in Urdu) on a 360 x 740 phone: the page mirrors, nothing
scrolls sideways, the back link's chevron points right, and a screenshot of each is saved for people to look at
(test-artifacts/rtl/)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import or_, select

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import sign_in as sign_in_client
from tests.test_crawl import crawl

pytestmark = pytest.mark.browser

# One of each kind of family account: a mother, a carer, two young people (one in each of two families), a
# parent's advocate, and the parent of the family with a plan. (Visiting a page can change a task on the home
# page, so no account another test counts on is used here.)
FAMILY = ("alice.appleby@example.org", "grace.appleby@example.org", "max.bramble",
          "ruby.appleby", "ada.avocet@example.org", "clara.chestnut@example.org")

# What a mirrored page looks like, measured in the browser.
MIRRORED = """() => {
  const html = document.documentElement;
  const h1 = document.querySelector('main h1');
  const back = document.querySelector('.govuk-back-link');
  const radio = document.querySelector('.govuk-radios__input, .govuk-checkboxes__input');
  const box = (el) => el && el.getBoundingClientRect();
  return {
    dir: html.dir,
    lang: html.lang,
    sideways: html.scrollWidth - html.clientWidth,
    h1Direction: h1 && getComputedStyle(h1).direction,
    h1Align: h1 && getComputedStyle(h1).textAlign,
    backChevron: back && getComputedStyle(back, '::before').transform,
    backChevronRight: back && getComputedStyle(back, '::before').right,
    radioOnRight: radio ? box(radio).left > box(radio.nextElementSibling).left : null,
  };
}"""


def set_language(app, logins, code: str) -> None:
    from portal.auth.models import User
    from portal.db import db

    with app.app_context():
        for user in db.session.scalars(select(User).where(or_(User.email.in_(logins), User.username.in_(logins)))):
            user.preferred_language = code
        db.session.commit()


def family_pages(app) -> dict[str, list[str]]:
    """The pages each family account reaches, found by crawling as them."""
    pages = {}
    for login in FAMILY:
        client = app.test_client()
        assert sign_in_client(client, login).status_code == 303, login
        pages[login] = sorted(crawl(client))
    return pages


def slug(login: str, path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{login.split('@')[0]}{path}".lower()).strip("-")


@pytest.mark.parametrize("code", ["ar", "ur"])
def test_every_family_page_mirrors_on_a_phone(browser, live_server, app, demo, code):
    pages = family_pages(app)
    if code == "ur":  # Urdu: the home page and the case page of each account are enough to see its font and lines
        pages = {login: [path for path in paths if path == "/home" or re.fullmatch(r"/cases/FC-[^/]+", path)]
                 for login, paths in pages.items()}
    folder = ARTIFACTS / f"rtl-{code}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    set_language(app, FAMILY, code)
    problems, shots = [], 0
    try:
        for login, paths in pages.items():
            context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
            page = context.new_page()
            sign_in(page, live_server, login)
            for path in paths:
                page.goto(live_server + path, wait_until="load")
                facts = page.evaluate(MIRRORED)
                where = f"{login} {path}"
                if facts["dir"] != "rtl" or facts["lang"] != code:
                    problems.append(f"{where}: html dir={facts['dir']} lang={facts['lang']}")
                if facts["sideways"] > 0:
                    problems.append(f"{where}: scrolls sideways by {facts['sideways']}px")
                if facts["h1Direction"] not in (None, "rtl"):
                    problems.append(f"{where}: heading reads {facts['h1Direction']}")
                if facts["backChevron"] is not None and (facts["backChevronRight"] == "auto"
                                                         or facts["backChevron"] == "none"):
                    problems.append(f"{where}: back link chevron not mirrored")
                if facts["radioOnRight"] is False:
                    problems.append(f"{where}: a radio or checkbox sits on the left of its label")
                page.screenshot(path=str(folder / f"{slug(login, path)}.png"), full_page=True)
                shots += 1
            context.close()
    finally:
        set_language(app, FAMILY, "en")
    print(f"\n{code}: {shots} family pages at 360x740, screenshots in test-artifacts/rtl-{code}/, problems: {len(problems)}")
    assert problems == []
    assert shots >= (40 if code == "ar" else 8)
