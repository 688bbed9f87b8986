"""Security headers and cookie flags on every GET route (issue 11, item 3), signed out and signed in as each
demo account: tests/test_security.py checks the public pages without URL arguments; this walks the rest.

Every response: a Content-Security-Policy with a nonce of its own in script-src and no 'unsafe-inline' or
'unsafe-eval'; frame-ancestors 'none' and X-Frame-Options; nosniff; no referrer; Cache-Control no-store on
everything but the content-hashed static files. With the production settings: HSTS on every route, and the
session and language cookies HttpOnly, SameSite, Secure, with the __Host- prefix (Path=/, no Domain).
"""

from __future__ import annotations

import importlib
import re
from urllib.parse import urlsplit

import pytest

import config
from tests.conftest import make_app, reset_database, sign_in
from tests.helpers import inspect_html, simple_get_urls
from tests.test_crawl import crawl

NONCE = re.compile(r"'nonce-([A-Za-z0-9_+/=-]{16,})'")
HASHED_ASSET = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(css|js|svg|png|woff2?|ico)$")
ALICE = "alice.appleby@example.org"


def csp_of(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


class Checker:
    """Wraps a test client: every GET it sends has its headers checked."""

    def __init__(self, client, who: str, production: bool = False, base_url: str | None = None) -> None:
        self.client, self.who, self.production, self.base_url = client, who, production, base_url
        self.nonces: list[str] = []
        self.responses = 0
        self.problems: list[str] = []

    def get(self, path: str, **kwargs):
        if self.base_url:
            kwargs.setdefault("base_url", self.base_url)
        response = self.client.get(path, **kwargs)
        response.get_data()
        response.close()
        self.check(path, response)
        return response

    def fail(self, path: str, what: str) -> None:
        self.problems.append(f"{path} as {self.who}: {what}")

    def check(self, path: str, response) -> None:
        self.responses += 1
        headers = response.headers
        csp = csp_of(response)
        if not csp:
            return self.fail(path, "no Content-Security-Policy")
        for directive in ("script-src", "style-src", "default-src"):
            if "'unsafe-inline'" in csp.get(directive, "") or "'unsafe-eval'" in csp.get(directive, ""):
                self.fail(path, f"unsafe source in {directive}")
        if "'unsafe-inline'" in headers["Content-Security-Policy"] or "'unsafe-eval'" in headers["Content-Security-Policy"]:
            self.fail(path, "unsafe source in the policy")
        nonce = NONCE.search(csp.get("script-src", ""))
        if nonce is None:
            self.fail(path, "no nonce in script-src")
        else:
            self.nonces.append(nonce.group(1))
        if csp.get("style-src") != "'self'" and "nonce" not in csp.get("style-src", ""):
            self.fail(path, f"style-src is {csp.get('style-src')!r}")
        if csp.get("frame-ancestors") != "'none'":
            self.fail(path, "frame-ancestors is not 'none'")
        if headers.get("X-Frame-Options") != "DENY":
            self.fail(path, "no X-Frame-Options: DENY")
        if headers.get("X-Content-Type-Options") != "nosniff":
            self.fail(path, "no X-Content-Type-Options: nosniff")
        if headers.get("Referrer-Policy") != "no-referrer":
            self.fail(path, f"Referrer-Policy is {headers.get('Referrer-Policy')!r}")
        static = urlsplit(path).path.startswith("/static/") and response.status_code == 200
        if static:
            if not HASHED_ASSET.match(urlsplit(path).path):
                self.fail(path, "a static file without a content hash in its name")
            if headers.get("Cache-Control") != "public, max-age=31536000, immutable":
                self.fail(path, f"static Cache-Control is {headers.get('Cache-Control')!r}")
        elif headers.get("Cache-Control") != "no-store":
            self.fail(path, f"Cache-Control is {headers.get('Cache-Control')!r} ({response.status_code})")
        if self.production:
            hsts = headers.get("Strict-Transport-Security", "")
            if "max-age=31536000" not in hsts or "includeSubDomains" not in hsts:
                self.fail(path, f"HSTS is {hsts!r}")


def route_urls(app, found: set[str], reference: str) -> list[str]:
    """A URL for each GET route the crawl did not reach, its variables filled from the demo data (an id that is
    not the account's gets a 404 page, which must carry the headers too)."""
    adapter = app.url_map.bind("localhost")
    reached = set()
    for path in found:
        try:
            reached.add(adapter.match(path, method="GET")[0])
        except Exception:  # noqa: BLE001 - a redirect or an unknown path reaches no endpoint
            pass
    fill = {"reference": reference, "language": "en", "kind": "interpreter", "token": "not-a-real-token",
            "filename": "no-such-file.css", "section": "worries"}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in reached:
            continue
        values = {name: fill.get(name, 1) for name in rule.arguments}
        urls.append(adapter.build(rule.endpoint, values))
    # "Exit this page" ends the session: last.
    return sorted(urls, key=lambda url: url == "/exit")


def get_routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}


def endpoint_of(app, path: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(urlsplit(path).path, method="GET")[0]
    except Exception:  # noqa: BLE001
        return None


def asset_urls(checker: Checker) -> list[str]:
    html = checker.client.get("/", base_url=checker.base_url or "http://localhost").get_data(as_text=True)
    return [url for url in inspect_html(html).asset_urls if url.startswith("/")]


def walk(app, checker: Checker, signed_in: bool, reference: str) -> set[str]:
    """Every page the checker's client reaches, then every GET route it did not, then the static files."""
    found = crawl(checker) if signed_in else set(simple_get_urls(app))
    for path in sorted(found):
        checker.get(path)
    for url in route_urls(app, found, reference):
        checker.get(url)
    for url in asset_urls(checker):
        checker.get(url)
    return {endpoint for endpoint in (endpoint_of(app, path) for path in found) if endpoint}


def test_every_route_signed_out_and_as_each_demo_account_sends_the_security_headers(app, demo):
    checkers = [Checker(app.test_client(), "nobody")]
    reference = next(case for account in demo.values() for case in account["cases"])
    walk(app, checkers[0], False, reference)
    for login in demo:
        client = app.test_client()
        assert sign_in(client, login).status_code == 303, login
        checker = Checker(client, login)
        walk(app, checker, True, reference)
        checkers.append(checker)
    problems = [problem for checker in checkers for problem in checker.problems]
    nonces = [nonce for checker in checkers for nonce in checker.nonces]
    responses = sum(checker.responses for checker in checkers)
    print(f"\nsecurity headers: {len(get_routes(app))} GET routes, {responses} responses as {len(checkers)} "
          f"(signed out and {len(checkers) - 1} demo accounts), {len(set(nonces))} distinct nonces")
    assert problems == [], "\n".join(problems[:40])
    assert len(set(nonces)) == len(nonces), "a CSP nonce was sent twice"
    assert responses > 500


def test_the_same_page_gets_a_new_nonce_each_time(app, demo):
    client = app.test_client()
    assert sign_in(client, ALICE).status_code == 303
    for path in ("/home", "/account", "/no-such-page"):
        first, second = (NONCE.search(csp_of(client.get(path))["script-src"]).group(1) for _ in range(2))
        assert first != second, path


def set_cookies(response) -> dict[str, dict[str, str]]:
    """Each Set-Cookie of a response: name -> its attributes (lower-cased names; flags map to "")."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        attributes = {}
        for part in rest.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            attributes[key.lower()] = value
        cookies[name.strip()] = attributes
    return cookies


def test_the_session_and_language_cookies_are_http_only_and_same_site(app, demo):
    client = app.test_client()
    response = sign_in(client, ALICE)
    session = set_cookies(response)[app.config["SESSION_COOKIE_NAME"]]
    assert "httponly" in session and session.get("samesite", "").lower() in ("lax", "strict")
    assert session.get("path") == "/" and "domain" not in session
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/home").get_data(as_text=True)).group(1)
    response = client.post("/language", data={"csrf_token": token, "language": "en", "next": "/home"})
    language = set_cookies(response)[app.config["LANGUAGE_COOKIE"]]
    assert "httponly" in language and language.get("samesite", "").lower() in ("lax", "strict")
    assert language.get("path") == "/" and "domain" not in language


@pytest.fixture()
def production_app(monkeypatch, tmp_path):
    """The portal with the production settings, on a SQLite file holding the demo data (loaded with the test
    settings: production refuses demo data)."""
    uri = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    loader = make_app({"SQLALCHEMY_DATABASE_URI": uri})
    reset_database(loader)
    assert loader.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    for name in ("PORTAL_ENV", "DATABASE_URL", "SECRET_KEY", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 48)
    monkeypatch.setenv("DATABASE_URL", uri)
    cfg = importlib.reload(config)
    try:
        yield make_app(None, cfg.ProductionConfig)
    finally:
        monkeypatch.undo()
        importlib.reload(config)


HTTPS = "https://localhost"


def test_production_sends_hsts_on_every_route_and_secure_host_cookies(production_app):
    app = production_app
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-") and app.config["LANGUAGE_COOKIE"].startswith("__Host-")
    signed_out = Checker(app.test_client(), "nobody (production)", production=True, base_url=HTTPS)
    walk(app, signed_out, False, "FC-0000-0000")

    # A parent (staff need their second factor in production) signs in over HTTPS.
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/sign-in", base_url=HTTPS).get_data(as_text=True)).group(1)
    response = client.post("/sign-in", base_url=HTTPS, headers={"Referer": f"{HTTPS}/sign-in"},
                           data={"csrf_token": token, "login": ALICE, "password": "demo-portal-2026", "next": ""})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    cookies = set_cookies(response)
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/home", base_url=HTTPS).get_data(as_text=True)).group(1)
    response = client.post("/language", base_url=HTTPS, headers={"Referer": f"{HTTPS}/home"},
                           data={"csrf_token": token, "language": "en", "next": "/home"})
    assert response.status_code == 303
    cookies.update(set_cookies(response))
    parent = Checker(client, f"{ALICE} (production)", production=True, base_url=HTTPS)
    reference = re.search(r"/cases/(FC-[A-Z0-9-]+)", client.get("/home", base_url=HTTPS).get_data(as_text=True)).group(1)
    walk(app, parent, True, reference)  # "Exit this page" comes last in the walk: it ends the session
    for name in (app.config["SESSION_COOKIE_NAME"], app.config["LANGUAGE_COOKIE"]):
        attributes = cookies[name]
        assert name.startswith("__Host-"), name
        assert "secure" in attributes and "httponly" in attributes, (name, attributes)
        assert attributes.get("samesite", "").lower() in ("lax", "strict"), (name, attributes)
        assert attributes.get("path") == "/" and "domain" not in attributes, (name, attributes)
    # Plain http goes to https.
    assert app.test_client().get("/accessibility", base_url="http://localhost").status_code in (301, 302)

    problems = signed_out.problems + parent.problems
    print(f"\nproduction headers: {signed_out.responses + parent.responses} responses (signed out and as a parent), "
          f"HSTS and __Host- cookies {sorted(cookies)}")
    assert problems == [], "\n".join(problems[:40])
    nonces = signed_out.nonces + parent.nonces
    assert len(set(nonces)) == len(nonces)
