"""Every family and young person page on small screens, in English, Arabic (right to left) and Urdu (the
tallest script, Nastaliq):

(a) Reflow (WCAG 1.4.10): at 320 CSS px wide nothing scrolls sideways (the document is no wider than the
    viewport) and no text runs off the screen, except inside a region that scrolls on its own (a data
    table); checked as the page loads and again with every <details> and the menu opened.
(b) Touch targets: 44 x 44 CSS px (the size WCAG 2.5.5 asks for, and GOV.UK Frontend gives its radios and
    checkboxes), with the exception WCAG 2.5.8 makes for a link inside a sentence of text, whose size is
    set by the line it is on. Two rules:
      - control: every button, form input (a GOV.UK radio's or checkbox's input is its 44 px target),
        select, textarea and <summary>, and a link styled as a button ("Exit this page");
      - stand-alone link: a link that is not part of a sentence: the back link, the header and menu
        links, the language bar, task list links, footer links, summary list and card actions, error
        summary links, and any link alone in its paragraph, list item or cell.
    Links inside a sentence are counted and left alone. A target is the element's box together with an
    absolutely placed ::before or ::after, the way GOV.UK widens its back link and stretches a task list
    link over its row.
(c) Text resized to 200% (WCAG 1.4.4) at 360 px: Chromium's default font size is doubled (DevTools
    `Page.setFontSizes`, 16 -> 32 px), which is what a person does with the browser's text size setting.
    That is the most faithful of the ways to do it: page zoom at 200% would lay a 360 px phone out at
    180 CSS px, a stricter test than 1.4.10's 320 px and not how people enlarge text on a phone; setting
    the root font-size from the test would change the page under test, where the browser setting does not.
    The portal sizes text in rem, so all of it should double: text that does not grow (sized in px or by
    the viewport) is a failure; a glyph hidden from assistive technology (GOV.UK's warning "!") is an icon
    and is left out. At 200% nothing may scroll sideways, run off the screen or be clipped (an element
    that hides its overflow, or an input, whose text is wider or taller than its box).

Each problem is printed with the element, the rule and the pages it is on; the test fails on any.
Screenshots of a few pages (320 px, and text at 200%) are saved in test-artifacts/small-screens/ for people
to look at."""

from __future__ import annotations

import re
import time
from collections import defaultdict

import pytest
from sqlalchemy import or_, select

from tests.browser.conftest import ARTIFACTS
from tests.browser.family_crawl import SignedIn, family_pages

pytestmark = pytest.mark.browser

SMALLEST = {"width": 320, "height": 640}
PHONE = {"width": 360, "height": 740}
TARGET = 44
SCREENSHOTS = ("/home", "/cases/FC-7KQ3-M9XD", "/cases/FC-7KQ3-M9XD/conferences/1/support/ask/interpreter",
               "/cases/FC-7KQ3-M9XD/reports/1")

# Opens every <details> and the menu, so what is inside them is checked too.
OPEN_EVERYTHING = """() => {
  document.querySelectorAll('details').forEach((details) => { details.open = true; });
  const toggle = document.querySelector('.govuk-service-navigation__toggle');
  if (toggle && toggle.checkVisibility() && toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
}"""

# The portal's stylesheet has loaded (a page without it would have nothing to check).
STYLED = "() => [...document.styleSheets].some((sheet) => sheet.href && sheet.href.includes('/static/') && sheet.cssRules.length > 0)"

# Shared helpers: what is shown, how to name an element in a report.
HELPERS = """
const shown = (el) => {
  if (!el.checkVisibility({visibilityProperty: true})) return false;
  if (el.closest('.govuk-visually-hidden, .govuk-skip-link')) return false;  // the skip link shows on focus only
  const box = el.getBoundingClientRect();
  return box.width > 1 && box.height > 1;
};
const describe = (el) => {
  let name = el.tagName.toLowerCase();
  const classes = [...el.classList].filter((c) => !c.startsWith('js-')).slice(0, 2);
  if (classes.length) name += '.' + classes.join('.');
  else if (el.type && el.tagName === 'INPUT') name += `[type=${el.type}]`;
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
  return text ? `${name} "${text}"` : name;
};
const ownText = (el) => [...el.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
"""

# (a) and (c): sideways scrolling (and what sticks out), text outside the screen, clipped text.
REFLOW = "() => {" + HELPERS + """
  const width = document.documentElement.clientWidth;
  const problems = [];
  const isPage = (el) => el === document.documentElement || el === document.body;
  const inScroller = (el) => { for (let p = el.parentElement; p && !isPage(p); p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  const outside = (box) => box.right > width + 1 || box.left < -1;
  const sticking = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el)) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (outside(box) && !inScroller(el) && ![...el.children].some((child) => outside(child.getBoundingClientRect()))) {
      sticking.push(describe(el));
    }
    if (el.matches('input:not([type=radio], [type=checkbox])') && (el.value || el.placeholder) && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`${describe(el)}: text clipped (${el.scrollHeight}px high in ${el.clientHeight}px)`);  // an input cuts its text off
    }
    const hidesX = ['hidden', 'clip'].includes(style.overflowX), hidesY = ['hidden', 'clip'].includes(style.overflowY);
    if ((hidesX || hidesY) && !isPage(el) && (el.innerText || '').trim()) {
      if ((hidesX && el.scrollWidth > el.clientWidth + 1) || (hidesY && el.scrollHeight > el.clientHeight + 1)) {
        problems.push(`${describe(el)}: text clipped (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
      }
    }
  }
  // Text that runs off the screen, word by word (a long word can overflow a box that itself fits).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const reported = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || reported.has(el) || !shown(el) || inScroller(el)) continue;
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && outside(box)) {
      reported.add(el);
      problems.push(`${describe(el)}: text outside the screen (${Math.round(box.left)} to ${Math.round(box.right)}px)`);
    }
  }
  const scroll = document.documentElement.scrollWidth;
  if (scroll > width) {
    problems.push(`the page scrolls sideways: ${scroll}px wide in ${width}px` + (sticking.length ? `, sticking out: ${sticking.slice(0, 3).join(', ')}` : ''));
  }
  return problems;
}"""

# (c): the font size of every element with text of its own, in document order.
FONT_SIZES = "() => {" + HELPERS + """
  // A glyph hidden from assistive technology (the "!" of GOV.UK's warning sign) is an icon, not text.
  return [...document.querySelectorAll('body *')].filter((el) => ownText(el) && shown(el) && !el.closest('[aria-hidden=true]'))
    .map((el) => [describe(el), parseFloat(getComputedStyle(el).fontSize)]);
}"""

# (b): every touch target, its rule and its size.
TARGETS = "() => {" + HELPERS + """
  const STAND_ALONE = '.govuk-back-link, .govuk-service-navigation__link, .govuk-service-navigation__service-name a, '
    + '.govuk-generic-header a, .govuk-footer a, .govuk-task-list__link, .govuk-summary-list__actions a, '
    + '.govuk-summary-card__actions a, .govuk-error-summary__list a, .app-language-bar a';
  const CONTROLS = 'button, input:not([type=hidden]), select, textarea, summary, a.govuk-button, [role=button]';
  const blockOf = (el) => { let p = el.parentElement;
    while (p && ['inline', 'inline-block', 'inline-flex', 'contents'].includes(getComputedStyle(p).display)) p = p.parentElement;
    return p; };
  const squash = (text) => (text || '').replace(/\\s+/g, ' ').trim();
  const aloneInBlock = (link) => {
    const own = squash(link.innerText), around = squash(blockOf(link).innerText);
    return around.replace(own, '').replace(/[\\s.,:;()|·•–-]/g, '') === '';
  };
  // A target is its own box and any absolutely placed ::before or ::after: GOV.UK widens the back link's
  // area that way, and stretches a task list link over its whole row.
  const targetBox = (el) => {
    const box = el.getBoundingClientRect();
    let [left, top, right, bottom] = [box.left, box.top, box.right, box.bottom];
    const positioned = getComputedStyle(el).position !== 'static';
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(el, pseudo);
      if (['none', 'normal'].includes(style.content) || style.position !== 'absolute' || style.display === 'none') continue;
      const holder = positioned ? el : el.offsetParent;
      if (!holder) continue;
      const outer = holder.getBoundingClientRect();
      const x = outer.left + holder.clientLeft + parseFloat(style.left), y = outer.top + holder.clientTop + parseFloat(style.top);
      const px = (name) => parseFloat(style[name]) || 0;
      const w = px('width') + px('paddingLeft') + px('paddingRight') + px('borderLeftWidth') + px('borderRightWidth');
      const h = px('height') + px('paddingTop') + px('paddingBottom') + px('borderTopWidth') + px('borderBottomWidth');
      if (Number.isNaN(x) || Number.isNaN(y)) continue;
      [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x + w), Math.max(bottom, y + h)];
    }
    return {width: right - left, height: bottom - top};
  };
  const found = [];
  const counts = {'control': 0, 'stand-alone link': 0, 'link in a sentence (exempt)': 0};
  for (const el of document.querySelectorAll(CONTROLS + ', a[href]')) {
    if (!shown(el)) continue;
    let rule;
    if (el.matches(CONTROLS)) rule = 'control';
    else if (el.matches(STAND_ALONE) || aloneInBlock(el)) rule = 'stand-alone link';
    else rule = 'link in a sentence (exempt)';
    counts[rule] += 1;
    if (rule.endsWith('(exempt)')) continue;
    const box = targetBox(el);
    if (box.width < %(size)d - 0.5 || box.height < %(size)d - 0.5) {
      found.push(`${describe(el)}: ${Math.round(box.width * 10) / 10}x${Math.round(box.height * 10) / 10} (${rule}, ${%(size)d}x${%(size)d})`);
    }
  }
  return {found, counts};
}""" % {"size": TARGET}


def languages_of(app, logins) -> dict[str, str]:
    """{login: the language saved on the account}."""
    from portal.auth.models import User
    from portal.db import db

    with app.app_context():
        users = db.session.scalars(select(User).where(or_(User.email.in_(logins), User.username.in_(logins))))
        return {user.email if user.email in logins else user.username: user.preferred_language for user in users}


def set_languages(app, languages: dict[str, str]) -> None:
    """Save a language on each account (the page follows the account's saved choice)."""
    from portal.auth.models import User
    from portal.db import db

    with app.app_context():
        for user in db.session.scalars(select(User).where(or_(User.email.in_(languages), User.username.in_(languages)))):
            user.preferred_language = languages.get(user.email) or languages[user.username]
        db.session.commit()


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"


def check(page, text_size, open_page, path: str, problems: dict, counts: dict, shots: str | None) -> None:
    """(a) and (b) at 320px, then (c) at 360px with the text at 200%, on the page open_page() opens."""
    page.set_viewport_size(SMALLEST)
    open_page()
    assert page.evaluate(STYLED), f"{path}: the stylesheet did not load (was static/dist rebuilt during the run?)"
    for problem in page.evaluate(REFLOW):
        problems[f"320px: {problem}"].append(path)
    page.evaluate(OPEN_EVERYTHING)
    for problem in page.evaluate(REFLOW):
        problems[f"320px, details and menu open: {problem}"].append(path)
    targets = page.evaluate(TARGETS)
    for rule, number in targets["counts"].items():
        counts[rule] += number
    for problem in targets["found"]:
        problems[f"touch target {problem}"].append(path)
    if shots:
        page.screenshot(path=f"{shots}-320.png", full_page=True)

    page.set_viewport_size(PHONE)
    before = page.evaluate(FONT_SIZES)
    text_size.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    try:
        after = page.evaluate(FONT_SIZES)
        assert len(before) == len(after), path
        for (name, size), (_, bigger) in zip(before, after):
            if bigger < 1.9 * size:
                problems[f"text at 200%: {name}: {size:g}px grew only to {bigger:g}px"].append(path)
        for problem in page.evaluate(REFLOW):
            problems[f"text at 200%: {problem}"].append(path)
        if shots:
            page.screenshot(path=f"{shots}-text-200.png", full_page=True)
    finally:
        text_size.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
    counts["pages"] += 1


def sign_in_blank(page, live_server: str) -> None:
    """The sign-in form sent empty: the page comes back with its error summary."""
    page.goto(live_server + "/sign-in", wait_until="load")
    page.click("main form button[type=submit]:not(.govuk-password-input__toggle)")
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def pages(app, demo) -> dict[str, str]:
    return family_pages(app, demo)


@pytest.mark.parametrize("code", ["en", "ar", "ur"])
def test_every_family_page_reflows_has_big_enough_targets_and_zooms_text(browser, live_server, app, pages, code):
    started = time.monotonic()
    logins = sorted(set(pages.values()))
    folder = ARTIFACTS / "small-screens"
    folder.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = defaultdict(list)  # problem -> the pages it is on
    counts: dict[str, int] = defaultdict(int)
    saved = languages_of(app, logins)
    set_languages(app, {login: code for login in logins})
    signed_in = SignedIn(browser, live_server)
    try:
        for login in logins:
            context = signed_in.context(login, viewport=SMALLEST, device_scale_factor=1)
            page = context.new_page()
            text_size = context.new_cdp_session(page)
            for path in (path for path, who in pages.items() if who == login):
                shots = str(folder / f"{code}-{slug(path)}") if path in SCREENSHOTS else None
                check(page, text_size, lambda: page.goto(live_server + path, wait_until="load"), path, problems, counts, shots)
                assert page.get_attribute("html", "lang") == code, path
            context.close()
        # Families also see the sign-in page, and its error summary when they leave it blank.
        context = browser.new_context(viewport=SMALLEST, device_scale_factor=1)
        context.add_cookies([{"name": app.config["LANGUAGE_COOKIE"], "value": code, "url": live_server}])
        page = context.new_page()
        text_size = context.new_cdp_session(page)
        check(page, text_size, lambda: page.goto(live_server + "/sign-in", wait_until="load"), "/sign-in", problems, counts, None)
        check(page, text_size, lambda: sign_in_blank(page, live_server), "/sign-in (errors)", problems, counts,
              str(folder / f"{code}-sign-in-errors"))
        assert page.locator(".govuk-error-summary").count() == 1
        context.close()
    finally:
        set_languages(app, saved)

    print(f"\nsmall screens ({code}): {counts['pages']} pages (every family page, and the sign-in page with and without "
          f"errors) at 320px, and at 360px with the text at 200%, "
          f"in {time.monotonic() - started:.0f}s")
    print(f"touch targets at {TARGET}x{TARGET}px: {counts['control']} controls, {counts['stand-alone link']} stand-alone "
          f"links; {counts['link in a sentence (exempt)']} links in a sentence (exempt, WCAG 2.5.8)")
    print(f"problems: {len(problems)}")
    for problem, paths in sorted(problems.items()):
        print(f"  {problem}  [{len(paths)} pages, e.g. {paths[0]}]")
    assert problems == {}
