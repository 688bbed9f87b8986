"""Form fuzzing (issue 11, item 2): every form with something to type in is posted hostile values with
hypothesis on a fixed seed: markup and script, 100,000 characters, NUL and control characters, CR/LF,
right-to-left overrides, emoji, SQL fragments and impossible dates.

The forms are those the demo accounts reach by crawling, the public ones, the autosave post of each form
that has one (sent as the autosave script sends it), and those the demo data does not show: the test builds
their state the way the feature tests do (a report Priya starts from a conference page, a parent's views with
readers chosen, a young person's and an advocate's wishes, a conference past its start, advocacy offers
waiting for consent or an advocate, a young person after a held conference, staff on a portal requiring a
second factor, an invitation made by the portal's own service, a reset link the portal sent) and builds it
again whenever a post completes it, so each is posted in every example. The two that are only a button and
whose press is the point (submitting a report, sending views) get a stray field and tampered hidden fields.
Forms left out are printed with the reason (ending the session, only a button); a form with fields on no
page the fuzzing reaches fails the test.

For every answer: no 5xx; no hostile markup comes back as markup (an injected <script> or on...= handler);
when the form comes back with errors, the app's error summary is there and each text a person typed (short
enough for the form to keep) is still in its field, escaped.

It runs on a database of its own, so what it saves reaches no other test.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from portal.db import db
from tests.conftest import DEMO_PASSWORD, app_on_own_database, csrf_token_from, make_app, sign_in
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
# Button-only forms no page of the fuzz data shows: nothing to type in them either.
BUTTONS_UNREACHED = {"admin.reactivate": "only a button, on a deactivated account's row",
                     "admin.reset_second_factor": "only a button, on the row of staff with a second factor",
                     "support.ask_for_break": "only a button, while a conference is happening",
                     "admin.unlink_council_account": "only a button, on the row of staff with a linked council account",
                     # Not a form: the identity provider posts it; its hostile values are in tests/auth/test_council_sign_in.py.
                     "auth.council_back_channel_logout": "no page: the council's identity provider posts a signed token"}
# Forms the crawl reaches that a success closes, or closes the page of other fuzzed forms: fuzzed on a state of
# their own, built again when a post completes them.
OWN_STATE = {"cases.cancel_conference", "reports.ask_for_help"}
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
    autosave: bool = False  # the htmx autosave post of a form (hx-post), answered with a status line

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
        self.hx: tuple[str | None, str | None] = (None, None)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = Form(self.page, urljoin(self.page, a.get("action") or self.page))
                self.forms.append(self.form)
                self.hx = (a.get("hx-post"), a.get("hx-vals"))
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
                hx_post, hx_vals = self.hx
                if hx_post and urljoin(self.page, hx_post) != self.form.action:
                    # The same fields, posted as the autosave script does after a pause in typing.
                    saved = Form(**{**self.form.__dict__, "action": urljoin(self.page, hx_post), "autosave": True,
                                    "hidden": self.form.hidden + sorted(json.loads(hx_vals or "{}").items())})
                    self.forms.append(saved)
            self.form, self.names, self.hx = None, [], (None, None)
        elif tag == "select":
            self.select = None


def forms_on(html: str, page: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return parser.forms


@pytest.fixture(scope="module")
def fuzz_app(database_uri, tmp_path_factory):
    """The portal on a database of its own, with the demo data, for the fuzz data to land in."""
    return app_on_own_database(database_uri, tmp_path_factory, "fuzz_forms")


def endpoint_of(adapter, form: Form) -> str:
    """The endpoint a form posts to ("?" and its action when no POST route matches)."""
    try:
        return adapter.match(urlsplit(form.action).path, method="POST")[0]
    except Exception:  # noqa: BLE001 - a form posting somewhere with no POST route is reported by the caller
        return f"?{form.action}"


@dataclass
class Target:
    """One form per endpoint: the account that reaches it (None: signed out) and the page it is on."""

    endpoint: str
    login: str | None
    page: str
    index: int
    # Set for a form the demo data does not reach: builds the state that shows it (again, once a post has
    # completed it) and returns the client that sees it and the page it is on.
    renew: Callable[[], tuple[object, str]] | None = None
    client: object = None



CASE_A = "FC-7KQ3-M9XD"


def unreached_forms(app) -> dict[str, Callable[[], tuple[object, str]]]:
    """The forms the demo data does not show, each with a function that builds the state that shows it
    (the way the feature tests do) and returns the signed-in client and the page."""
    from portal.auth.models import User
    from portal.auth.passwords import hash_password
    from portal.auth.services import invite
    from portal.cases.models import Case, Conference, Venue
    from portal.db import utcnow
    from tests.reports.test_family_views import form_data
    from tests.reports.test_family_views import start as start_views
    from tests.wishes.test_wishes import SALLY, advocacy_url, client_for, date_fields, family_with_ages, offer, post, \
        with_advocate
    from tests.wishes.test_wishes import text as words_of

    def conference(hours: float) -> str:
        """A new conference of case A starting in `hours` (in the past when negative), chaired by Charlotte."""
        with app.app_context():
            case = db.session.scalar(select(Case).where(Case.reference == CASE_A))
            chair, sally = (db.session.scalar(select(User).where(User.email == email))
                            for email in ("charlotte.chaffinch@example.org", SALLY))
            made = Conference(case_id=case.id, kind="review", starts_at=utcnow() + timedelta(hours=hours),
                              format="in_person", venue_id=db.session.scalar(select(Venue.id).limit(1)),
                              chair_id=chair.id, created_by_id=sally.id,
                              family_notified_at=utcnow() - timedelta(days=14) if hours < 0 else None)
            db.session.add(made)
            db.session.commit()
            return made.id

    def report() -> tuple[object, str]:
        """Priya's new draft report, started from her conference page: its edit page."""
        priya = client_for(app, "priya.plover@example.org")
        url = f"/cases/{CASE_A}/conferences/{conference(24 * 40)}"
        started = priya.post(url + "/reports", data={"csrf_token": csrf_token_from(priya, url)})
        assert started.status_code == 303, started.status_code
        return priya, started.headers["Location"]

    def submitted_report() -> tuple[object, str]:
        priya, edit_url = report()
        post(priya, edit_url, {"based_on": re.search(r'name="based_on" type="hidden" value="(\d+)"',
                                                     priya.get(edit_url).get_data(as_text=True)).group(1),
                               "worries": "Words to share."})
        report_url = edit_url.removesuffix("/edit")
        assert post(priya, report_url + "/submit", {}, from_url=edit_url).status_code == 303
        return priya, report_url + "/share"

    def shared_report() -> tuple[object, str]:
        """Priya's report shared with Alice: Alice reads it and can ask for help with it."""
        priya, share_url = submitted_report()
        page = priya.get(share_url).get_data(as_text=True)
        alice = re.search(r'value="(\d+)"[^>]*>\s*<label[^>]*>\s*(?:<bdi>)?Alice Appleby', page).group(1)
        assert post(priya, share_url, {"recipients": [alice]}).status_code == 303
        return client_for(app, "alice.appleby@example.org"), share_url.removesuffix("/share")

    def views(choose_readers: bool) -> tuple[object, str]:
        """Alice's views for a new conference, with words saved (and readers chosen: the check page)."""
        alice = client_for(app, "alice.appleby@example.org")
        views_url = start_views(alice, conference(24 * 40)).headers["Location"]
        assert alice.post(views_url, data=form_data(alice, views_url, would_like="Words.")).status_code == 303
        if not choose_readers:
            return alice, views_url + "/who-can-read"
        page = alice.get(views_url + "/who-can-read").get_data(as_text=True)
        grace = re.search(r'value="(\d+)"[^>]*>\s*<label[^>]*>\s*(?:<bdi>)?Grace Appleby', page).group(1)
        assert post(alice, views_url + "/who-can-read", {"readers": [grace]}).status_code == 303
        return alice, views_url + "/check"

    def young_persons_wishes() -> tuple[object, str]:
        """A 15-year-old's own wishes, saved once: the 'do you need a plan' question."""
        family = family_with_ages(app, {"Rae": (15, 0)})
        rae = client_for(app, family.logins["Rae"])
        start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Rae']}/wishes"
        wishes_url = post(rae, start, {}).headers["Location"]
        post(rae, wishes_url, {"worries": "", "good_things": "Football", "dreams": "", "meeting_should_know": "",
                               "who_there": "", "revision": "0"})
        return rae, wishes_url + "/need-a-plan"

    def advocates_wishes() -> tuple[object, str]:
        """An advocate's words for a 7-year-old without an account: the check page asks how they were written."""
        family = family_with_ages(app, {"Ivy": (7, 0)}, advocate=True, accounts_for=())
        assert with_advocate(client_for(app, SALLY), family, "Ivy").status_code == 303
        avery = client_for(app, family.logins["advocate"])
        start = f"/cases/{family.reference}/conferences/{family.conference_id}/children/{family.children['Ivy']}/wishes"
        wishes_url = post(avery, start, {}).headers["Location"]
        post(avery, wishes_url, {"worries": "", "good_things": "Ivy loves her cat", "dreams": "",
                                 "meeting_should_know": "", "who_there": "", "revision": "0"})
        return avery, wishes_url + "/check"

    def outcome() -> tuple[object, str]:
        """A conference of case A that started an hour ago: the chair's outcome form."""
        chair = client_for(app, "charlotte.chaffinch@example.org")
        return chair, f"/cases/{CASE_A}/conferences/{conference(-1)}/outcome"

    def advocacy(age: tuple[int, int], login: str, rest: str, allocated_next: bool = False):
        def build() -> tuple[object, str]:
            family = family_with_ages(app, {"Jo": age}, advocate=True)
            sally = client_for(app, SALLY)
            offer(sally, family, "Jo")
            if allocated_next:  # consent recorded: the advocate can be allocated
                post(sally, advocacy_url(family, "Jo", "/record-consent"),
                     {"who": str(family.participants["mother"]), "answer": "given", "consent_on": date_fields(date.today())})
                assert "Ready to refer" in words_of(sally.get(advocacy_url(family, "Jo")).get_data(as_text=True))
            return (sally if login == "sally" else client_for(app, family.logins[login])), advocacy_url(family, "Jo", rest)
        return build

    def young_persons_feedback() -> tuple[object, str]:
        """An 8-year-old after a held conference: the faces feedback form."""
        family = family_with_ages(app, {"Bo": (8, 0)})
        with app.app_context():
            held = db.session.get(Conference, family.conference_id)
            held.status, held.starts_at = "held", utcnow() - timedelta(days=1)
            db.session.commit()
        return (client_for(app, family.logins["Bo"]),
                f"/cases/{family.reference}/conferences/{family.conference_id}/feedback/young-person")

    counter = iter(range(1, 10_000))
    mfa_app = make_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "STAFF_MFA_REQUIRED": True})

    def staff(enrolled: bool) -> tuple[object, str]:
        """A social worker on a portal that requires MFA: signed in, asked to set it up or for a code."""
        email = f"mfa.fuzz{next(counter)}@example.org"
        with mfa_app.app_context():
            user = User(role="social_worker", name="Mfa Fuzz", email=email, password_hash=hash_password(DEMO_PASSWORD),
                        preferred_language="en", mfa_secret=pyotp.random_base32() if enrolled else None,
                        mfa_enrolled_at=utcnow() if enrolled else None)
            db.session.add(user)
            db.session.commit()
        client = mfa_app.test_client()
        signed_in = sign_in(client, email)
        assert signed_in.status_code == 303, signed_in.status_code
        return client, signed_in.headers["Location"]

    def invitation() -> tuple[object, str]:
        """A new account invited through the portal's own service: the set-up page of its link."""
        with app.test_request_context():
            sally = db.session.scalar(select(User).where(User.email == SALLY))
            newcomer = User(role="carer", name="Nina Newperson", email=f"nina{next(counter)}@example.org",
                            preferred_language="en")
            db.session.add(newcomer)
            db.session.flush()
            link = invite(newcomer, sally)
            db.session.commit()
        return app.test_client(), urlsplit(link).path

    def password_reset() -> tuple[object, str]:
        """A reset asked for through the portal's form: the page of the link it sent."""
        email = f"reset.fuzz{next(counter)}@example.org"
        with app.app_context():
            db.session.add(User(role="parent", name="Reset Fuzz", email=email, password_hash=hash_password(DEMO_PASSWORD),
                                preferred_language="en"))
            db.session.commit()
        client = app.test_client()
        outbox = app.extensions["notifier"].outbox
        client.post("/password-reset", data={"csrf_token": csrf_token_from(client, "/password-reset"), "login": email})
        assert email in outbox[-1].to, outbox[-1].to
        return client, re.search(r"(/password-reset/[A-Za-z0-9_-]+)", outbox[-1].body).group(1)

    def cancellable() -> tuple[object, str]:
        """A new conference of case A for Sally to cancel (the crawl's would close the forms on its page)."""
        return client_for(app, SALLY), f"/cases/{CASE_A}/conferences/{conference(24 * 40)}/cancel"

    return {
        "cases.cancel_conference": cancellable,
        "reports.ask_for_help": shared_report,
        "reports.edit": report,
        "reports.submit": report,
        "reports.share": submitted_report,
        "reports.views_audience": lambda: views(choose_readers=False),
        "reports.views_check": lambda: views(choose_readers=True),
        "wishes.need_plan": young_persons_wishes,
        "wishes.check": advocates_wishes,
        "cases.record_outcome": outcome,
        "wishes.advocacy_record_consent": advocacy((9, 0), "sally", "/record-consent"),
        "wishes.advocacy_consent": advocacy((16, 1), "mother", "/consent"),
        "wishes.advocacy_allocate": advocacy((9, 0), "sally", "/advocate", allocated_next=True),
        "feedback.young_person": young_persons_feedback,
        "auth.mfa_set_up": lambda: staff(enrolled=False),
        "auth.mfa_check": lambda: staff(enrolled=True),
        "auth.set_up_account": invitation,
        "auth.choose_new_password": password_reset,
    }


@pytest.fixture(scope="module")
def targets(fuzz_app):
    from portal.demo import all_accounts

    with fuzz_app.app_context():
        logins = [account["login"] for account in all_accounts()]
    adapter = fuzz_app.url_map.bind("localhost")
    found: dict[str, Target] = {}
    clients: dict[str | None, object] = {None: fuzz_app.test_client()}
    seen: set[str] = set()

    def collect(login, client, pages):
        for page in sorted(pages):
            response = client.get(page)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            for index, form in enumerate(forms_on(response.get_data(as_text=True), page)):
                endpoint = endpoint_of(adapter, form)
                if endpoint not in found and endpoint not in SKIP_ENDPOINTS and form.fuzzable():
                    found[endpoint] = Target(endpoint, login, page, index)
                seen.add(endpoint)

    collect(None, clients[None], PUBLIC_PAGES)
    for login in logins:
        client = fuzz_app.test_client()
        assert sign_in(client, login).status_code == 303, login
        clients[login] = client
        collect(login, client, crawl(client))
    assert not [e for e in found if e.startswith("?")], "forms posting to no route"
    for endpoint, renew in unreached_forms(fuzz_app).items():
        assert (endpoint in OWN_STATE) == (endpoint in found), f"{endpoint}: the crawl reaches it {endpoint in found}"
        client, page = renew()
        forms = forms_on(client.get(page).get_data(as_text=True), page)
        matching = [i for i, form in enumerate(forms) if endpoint_of(adapter, form) == endpoint]
        index = next((i for i in matching if forms[i].fuzzable()), matching[0] if matching else None)
        assert index is not None, f"{endpoint}: no such form on {page}"
        found[endpoint] = Target(endpoint, None, page, index, renew, client)
    posts = {rule.endpoint for rule in fuzz_app.url_map.iter_rules() if "POST" in rule.methods}
    STATS["left_out"] = {endpoint: "it ends the session" if endpoint in SKIP_ENDPOINTS else
                         "only a button, nothing to type" if endpoint in seen else
                         BUTTONS_UNREACHED.get(endpoint, "on no page reached")
                         for endpoint in sorted(posts - set(found))}
    unreached = [endpoint for endpoint, why in STATS["left_out"].items() if why == "on no page reached"]
    assert unreached == [], f"forms on no page the fuzzing reaches: {unreached}"
    # Changing the password (with a wrong current one: nothing changes) last, so the crawl is never disturbed.
    ordered = sorted(found.values(), key=lambda t: (t.endpoint == "auth.change_password", t.endpoint))
    print(f"\nfuzzed forms: {len(ordered)}: " + ", ".join(t.endpoint for t in ordered))
    return ordered, clients


STATS = {"posts": 0, "examples": 0, "5xx": [], "kept_checked": 0, "seconds": 0.0, "left_out": {}, "by_form": {}}


def typed(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def check_response(target: Target, form: Form, sent: dict[str, list[str]], response) -> None:
    """No 5xx; no hostile markup live in the page; on an error page, the summary and what was typed."""
    STATS["posts"] += 1
    STATS["by_form"][target.endpoint] = STATS["by_form"].get(target.endpoint, 0) + 1
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
    if form.autosave or response.status_code not in (200, 400, 422) or "govuk-error-message" not in html:
        return  # an autosave answers with a status line only
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


def form_of(target: Target, clients) -> Form | None:
    """The target's form as its page shows it now, or None when the page or the form is gone."""
    response = (target.client or clients[target.login]).get(target.page)
    if response.status_code != 200:
        return None
    forms = forms_on(response.get_data(as_text=True), target.page)
    if target.index >= len(forms):
        return None
    form = forms[target.index]
    if target.renew and endpoint_of(target.client.application.url_map.bind("localhost"), form) != target.endpoint:
        return None  # the page now shows another form (the report is submitted, the views are sent)
    return form


def fuzz_once(targets, draw_text, draw_date, draw_choice) -> None:
    """Post every form once, with values from the draw functions."""
    ordered, clients = targets
    STATS["examples"] += 1
    started = time.monotonic()
    for target in ordered:
        form = form_of(target, clients)
        if form is None and target.renew:
            target.client, target.page = target.renew()  # an earlier post completed it: build it again
            form = form_of(target, clients)
            assert form is not None, f"{target.endpoint}: not on {target.page} though just built"
        if form is None:
            continue  # an earlier post closed it (a cancelled conference): nothing left to fuzz here
        client = target.client or clients[target.login]
        data: dict[str, list[str]] = {}
        for name, value in form.hidden:
            data.setdefault(name, []).append(value)
        if not form.fuzzable():
            # Only a button (send, submit): what is tampered with is a stray field and the hidden ones but the token.
            data = {name: values if name == "csrf_token" else [draw_text()] for name, values in data.items()}
            data["stray"] = [draw_text()]
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
        headers = {"HX-Request": "true", "X-Autosave": "1"} if form.autosave else {}
        response = client.post(form.action, data=data, headers=headers)
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
@settings(derandomize=True, max_examples=1, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(value=hostile_text, day=st.sampled_from(ODD_DATES))
def _every_form_with_one_value(targets, value, day):
    fuzz_once(targets, lambda: value, lambda: day, lambda options: value)


for hostile in HOSTILE:  # each seeded value goes into every field of every form at least once
    _every_form_with_one_value = example(value=hostile, day=ODD_DATES[HOSTILE.index(hostile) % len(ODD_DATES)])(
        _every_form_with_one_value)


def test_every_form_survives_each_hostile_value(targets):
    _every_form_with_one_value(targets)


@settings(derandomize=True, max_examples=3, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
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
    print("not fuzzed: " + ("; ".join(f"{e} ({why})" for e, why in STATS["left_out"].items()) or "none"))
    print("posts per form: " + ", ".join(f"{e} {n}" for e, n in sorted(STATS["by_form"].items())))
