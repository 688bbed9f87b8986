"""Form fuzzing (issue 11, item 2): every form the demo accounts reach, and the public ones, is posted hostile
values with hypothesis on a fixed seed: markup and script, 100,000 characters, NUL and control characters,
CR/LF, right-to-left overrides, emoji, SQL fragments and impossible dates.

For every answer: no 5xx; no hostile markup comes back as markup (an injected <script> or on...= handler);
when the form comes back with errors, the app's error summary is there and each text a person typed (short
enough for the form to keep) is still in its field, escaped.

It runs on a database of its own, so what it saves reaches no other test.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal.db import db
from tests.conftest import make_app, reset_database, sign_in
from tests.helpers import inspect_html
from tests.test_crawl import crawl

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = [
    SCRIPT,
    IMG,
    "'><svg onload=alert(1)>",
    "x" * 100_000,
    "nul\x00byte and \x01\x07\x1b control",
    "line one\r\nline two\rthree\nfour",
    "\u202eevil.exe\u202c txt",
    "Family \U0001F468\u200D\U0001F469\u200D\U0001F467 \U0001F49C",
    "' OR 1=1 --",
    "Robert'); DROP TABLE users;--",
    "{{ 7*7 }} ${7*7} %(name)s %s",
    "   ",
]
# The GOV.UK date widget sends day, month and year under one name.
ODD_DATES = [("31", "02", "2026"), ("0", "0", "0"), ("99999", "99999", "99999"), ("-1", "13", "10000"),
             (SCRIPT, IMG, "' OR 1=1 --")]
# Markers that would be live markup if echoed unescaped.
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror", "<svg onload")

# Forms that end the session or would stop the crawl working; button-only forms (nothing to type in) are
# left out by having no field to fuzz.
SKIP_ENDPOINTS = {"auth.sign_out", "auth.sign_out_everywhere", "pages.exit_this_page"}
PUBLIC_PAGES = ["/", "/sign-in", "/password-reset"]
KEEP_CHECK_MAX = 200  # texts longer than this may rightly be refused without being kept


@dataclass
class Form:
    page: str
    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    texts: list[tuple[str, str | None, int | None]] = field(default_factory=list)  # (name, type, maxlength)
    textareas: list[tuple[str, int | None]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)  # radio, checkbox, select: name -> options
    multiple: set[str] = field(default_factory=set)  # checkboxes
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def fuzzable(self) -> bool:
        return bool(self.texts or self.textareas or self.dates or self.choices)


class FormParser(HTMLParser):
    """The <form method="post"> elements of a page and their fields."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = Form(self.page, urljoin(self.page, a.get("action") or self.page))
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name")
        maxlength = int(a["maxlength"]) if (a.get("maxlength") or "").isdigit() else None
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "hidden":
                self.form.hidden.append((name, a.get("value") or ""))
            elif kind in ("radio", "checkbox"):
                self.form.choices.setdefault(name, []).append(a.get("value") or "on")
                if kind == "checkbox":
                    self.form.multiple.add(name)
            elif kind in ("submit", "button"):
                self.form.buttons.append((name, a.get("value") or ""))
            else:
                self.form.texts.append((name, kind, maxlength))
                self.names.append(name)
        elif tag == "textarea" and name:
            self.form.textareas.append((name, maxlength))
        elif tag == "select" and name:
            self.select = name
            self.form.choices.setdefault(name, [])
        elif tag == "option" and self.select:
            self.form.choices[self.select].append(a.get("value") or "")
        elif tag == "button" and name:
            self.form.buttons.append((name, a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            if self.form is not None:
                # A name that came three times among the text inputs is a GOV.UK date (day, month, year).
                for name in sorted({n for n in self.names if self.names.count(n) == 3}):
                    self.form.dates.append(name)
                texts: dict[str, tuple] = {}
                for text_field in self.form.texts:
                    if text_field[0] not in self.form.dates:
                        texts.setdefault(text_field[0], text_field)
                self.form.texts = list(texts.values())
            self.form, self.names = None, []
        elif tag == "select":
            self.select = None


def forms_on(html: str, page: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return parser.forms


@pytest.fixture(scope="module")
def fuzz_app(database_uri, tmp_path_factory):
    """The portal on a database of its own, with the demo data, for the fuzz data to land in."""
    url = make_url(database_uri)
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_fuzz_forms"
        admin = make_app({"SQLALCHEMY_DATABASE_URI": database_uri})
        with admin.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        uri = url.set(database=name).render_as_string(hide_password=False)
    else:
        uri = f"sqlite:///{tmp_path_factory.mktemp('fuzz-forms') / 'fuzz.sqlite3'}"
    application = make_app({"SQLALCHEMY_DATABASE_URI": uri})
    reset_database(application)
    result = application.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return application


@dataclass
class Target:
    """One form per endpoint: the account that reaches it (None: signed out) and the page it is on."""

    endpoint: str
    login: str | None
    page: str
    index: int


@pytest.fixture(scope="module")
def targets(fuzz_app):
    from portal.demo import all_accounts

    with fuzz_app.app_context():
        logins = [account["login"] for account in all_accounts()]
    adapter = fuzz_app.url_map.bind("localhost")
    found: dict[str, Target] = {}
    clients: dict[str | None, object] = {None: fuzz_app.test_client()}

    def collect(login, client, pages):
        for page in sorted(pages):
            response = client.get(page)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            for index, form in enumerate(forms_on(response.get_data(as_text=True), page)):
                try:
                    endpoint = adapter.match(urlsplit(form.action).path, method="POST")[0]
                except Exception:  # noqa: BLE001 - a form posting somewhere with no POST route is reported below
                    endpoint = f"?{form.action}"
                if endpoint not in found and endpoint not in SKIP_ENDPOINTS and form.fuzzable():
                    found[endpoint] = Target(endpoint, login, page, index)

    collect(None, clients[None], PUBLIC_PAGES)
    for login in logins:
        client = fuzz_app.test_client()
        assert sign_in(client, login).status_code == 303, login
        clients[login] = client
        collect(login, client, crawl(client))
    assert not [e for e in found if e.startswith("?")], "forms posting to no route"
    # Changing the password (with a wrong current one: nothing changes) last, so the crawl is never disturbed.
    ordered = sorted(found.values(), key=lambda t: (t.endpoint == "auth.change_password", t.endpoint))
    print(f"\nfuzzed forms: {len(ordered)}: " + ", ".join(t.endpoint for t in ordered))
    return ordered, clients


STATS = {"posts": 0, "examples": 0, "5xx": [], "kept_checked": 0, "seconds": 0.0}


def typed(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def check_response(target: Target, form: Form, sent: dict[str, list[str]], response) -> None:
    """No 5xx; no hostile markup live in the page; on an error page, the summary and what was typed."""
    STATS["posts"] += 1
    where = f"{target.endpoint} ({target.page} as {target.login})"
    if response.status_code >= 500:
        STATS["5xx"].append(where)
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if "text/html" not in (response.content_type or ""):
        return
    html = response.get_data(as_text=True)
    for marker in RAW_MARKERS:
        assert marker not in html, f"{where}: {marker!r} echoed unescaped"
    problems = [p for p in inspect_html(html).problems if "handler" in p or "<script>" in p]
    assert problems == [], f"{where}: injected markup {problems}"
    if response.status_code not in (200, 400, 422) or "govuk-error-message" not in html:
        return
    assert "govuk-error-summary" in html, f"{where}: errors without the error summary"
    # "Error:" before the title, in the page's language (a mixed example may have changed it).
    assert re.search(r"<title>\s*[^\s<–]+: ", html), f"{where}: the page title does not start with Error:"
    page = typed(html)
    fields = [(name, maxlength) for name, kind, maxlength in form.texts if kind != "password"] + form.textareas
    for name, maxlength in fields:
        value = sent.get(name, [""])[0]
        if not value.strip() or len(value) > min(maxlength or KEEP_CHECK_MAX, KEEP_CHECK_MAX):
            continue
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
            continue  # control characters may be stripped
        STATS["kept_checked"] += 1
        kept = typed(value)
        # Kept as typed, or as the form tidies it (trimmed; a username or email address lower-cased).
        candidates = {str(escape(kept)), str(escape(kept.strip()))}
        assert any(c in page for c in candidates) or any(c.lower() in page.lower() for c in candidates), \
            f"{where}: what was typed in {name!r} ({value[:60]!r}) is lost on the error page"


def fuzz_once(targets, draw_text, draw_date, draw_choice) -> None:
    """Post every form once, with values from the draw functions."""
    ordered, clients = targets
    STATS["examples"] += 1
    started = time.monotonic()
    for target in ordered:
        client = clients[target.login]
        response = client.get(target.page)
        if response.status_code != 200:
            continue  # an earlier post closed it (a cancelled conference): nothing left to fuzz here
        forms = forms_on(response.get_data(as_text=True), target.page)
        if target.index >= len(forms):
            continue
        form = forms[target.index]
        data: dict[str, list[str]] = {}
        for name, value in form.hidden:
            data.setdefault(name, []).append(value)
        for name, _, _ in form.texts:
            data[name] = [draw_text()]
        for name, _ in form.textareas:
            data[name] = [draw_text()]
        for name in form.dates:
            data[name] = list(draw_date())
        for name, options in form.choices.items():
            chosen = draw_choice(options)
            if chosen is not None:
                data[name] = [chosen]
        if form.buttons:
            name, value = form.buttons[0]
            data.setdefault(name, [value])
        response = client.post(form.action, data=data)
        check_response(target, form, data, response)
    STATS["seconds"] += time.monotonic() - started


hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=80),
                         st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40))
date_parts = st.one_of(st.sampled_from(ODD_DATES), st.tuples(*[st.text(max_size=6)] * 3))


def choice_of(data):
    def choose(options: list[str]):
        return data.draw(st.one_of(st.none(), st.sampled_from(options or [""]), hostile_text))
    return choose


# No shrinking: each example posts every form, and the failure message already names the form and the value.
@settings(derandomize=True, max_examples=2, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(value=hostile_text, day=st.sampled_from(ODD_DATES))
def _every_form_with_one_value(targets, value, day):
    fuzz_once(targets, lambda: value, lambda: day, lambda options: value)


for hostile in HOSTILE:  # each seeded value goes into every field of every form at least once
    _every_form_with_one_value = example(value=hostile, day=ODD_DATES[HOSTILE.index(hostile) % len(ODD_DATES)])(
        _every_form_with_one_value)


def test_every_form_survives_each_hostile_value(targets):
    _every_form_with_one_value(targets)


@settings(derandomize=True, max_examples=4, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(data=st.data())
def _every_form_with_mixed_values(targets, data):
    fuzz_once(targets, lambda: data.draw(hostile_text), lambda: data.draw(date_parts), choice_of(data))


def test_every_form_survives_mixed_hostile_values(targets):
    _every_form_with_mixed_values(targets)
    ordered, _ = targets
    print(f"\nform fuzzing: {len(ordered)} forms, {STATS['examples']} examples, {STATS['posts']} posts, "
          f"{STATS['kept_checked']} typed values checked on error pages, 5xx: {len(STATS['5xx'])}, "
          f"{STATS['seconds']:.0f} s")
