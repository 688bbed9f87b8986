"""Security headers, caching rules, CSRF and compression on every route."""

from __future__ import annotations

import re

import pytest

from tests.helpers import fetch, html_urls, inspect_html, simple_get_urls


def csp_of(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def test_every_route_sends_a_strict_content_security_policy(client, app):
    checked = 0
    for url in simple_get_urls(app):
        response = client.get(url)
        csp = csp_of(response)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], url
        assert csp["default-src"] == "'self'"
        assert csp["object-src"] == "'none'"
        assert csp["frame-ancestors"] == "'none'"
        assert csp["base-uri"] == "'self'"
        assert csp["form-action"] == "'self'"
        assert re.search(r"'nonce-[A-Za-z0-9_-]{16,}'", csp["script-src"]), url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        checked += 1
    assert checked >= 6
    print(f"\nroutes checked for security headers: {checked}")


def test_each_request_gets_a_new_nonce(client):
    first = csp_of(client.get("/"))["script-src"]
    second = csp_of(client.get("/"))["script-src"]
    assert first != second


def test_pages_have_no_inline_code_without_a_nonce(client, app):
    for url in html_urls(app) + ["/no-such-page"]:
        html = client.get(url).get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", client.get(url).headers["Content-Security-Policy"])
        assert nonce
        assert inspect_html(html).problems == [], url


def test_the_nonce_in_the_page_matches_the_header(client):
    response = client.get("/")
    header_nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.get_data(as_text=True)
    nonces = set(re.findall(r'nonce="([^"]+)"', html))
    assert nonces == {header_nonce}


def test_html_is_never_stored_and_assets_are_immutable(client, app):
    for url in simple_get_urls(app):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    html = client.get("/").get_data(as_text=True)
    for asset in inspect_html(html).asset_urls:
        response = fetch(client, asset)
        assert response.status_code == 200, asset
        if asset.startswith("/static/"):
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", asset
        else:  # the web app manifest: in the page's language, so it follows a change of language at once
            assert asset.endswith(".webmanifest") and response.headers["Cache-Control"] == "no-store", asset


def test_asset_names_carry_a_content_hash(client):
    html = client.get("/").get_data(as_text=True)
    for asset in inspect_html(html).asset_urls:
        if asset.startswith("/static/"):
            assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg|png)$", asset), asset


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_responses_are_compressed(client, encoding):
    page = client.get("/", headers={"Accept-Encoding": encoding})
    assert page.headers["Content-Encoding"] == encoding
    html = client.get("/").get_data(as_text=True)
    for asset in inspect_html(html).asset_urls:
        if asset.endswith((".css", ".js")):
            response = fetch(client, asset, headers={"Accept-Encoding": encoding})
            assert response.headers["Content-Encoding"] == encoding, asset
            assert "Accept-Encoding" in response.headers["Vary"]


def test_a_form_posted_without_its_csrf_token_is_refused_with_a_clear_page(client):
    response = client.post("/language", data={"language": "bn", "next": "/"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "this page has expired" in html
    assert "Traceback" not in html
    assert "portal_lang" not in response.headers.get("Set-Cookie", "")


def test_a_form_posted_with_a_forged_token_is_refused(client):
    response = client.post("/language", data={"csrf_token": "forged", "language": "bn", "next": "/"})
    assert response.status_code == 400


def test_htmx_is_configured_for_a_strict_csp(client):
    html = client.get("/").get_data(as_text=True)
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1)
    import json

    settings = json.loads(config)
    assert settings["includeIndicatorStyles"] is False
    assert settings["allowEval"] is False
    assert settings["allowScriptTags"] is False
    assert settings["historyCacheSize"] == 0
    assert settings["selfRequestsOnly"] is True


def test_nul_characters_are_taken_out_of_what_is_sent(client):
    """Nobody types a NUL, and PostgreSQL refuses one in text (a 500 there): the request drops it, keeps the rest."""
    from tests.conftest import csrf_token_from

    token = csrf_token_from(client, "/password-reset")
    response = client.post("/password-reset", data={"csrf_token": token, "login": "nul\x00byte@example.org"})
    assert response.status_code == 200
    with client.application.test_request_context("/?q=a%00b", method="POST", data={"name\x00": "x\x00y"}):
        from flask import request

        assert request.args["q"] == "ab" and request.form["name"] == "xy"
