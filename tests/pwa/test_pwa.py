"""The installable app: a manifest per language, a service worker that keeps only public files, and an
offline page with nothing of anyone's account in it."""

from __future__ import annotations

import json
import re

import pytest

from tests.reports.test_report_pages import signed_in

LANGUAGES = ["en", "bn", "so", "ar", "ur", "pl", "ro"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_manifest_names_the_app_in_each_language_with_installable_icons(client, code):
    response = client.get(f"/manifest/{code}.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["lang"] == code and manifest["dir"] == ("rtl" if code in ("ar", "ur") else "ltr")
    assert manifest["id"] == "/" and manifest["scope"] == "/" and manifest["start_url"] == "/home"
    assert manifest["display"] == "standalone" and manifest["theme_color"] and manifest["background_color"]
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    if code != "en":
        english = json.loads(client.get("/manifest/en.webmanifest").data)
        assert manifest["name"] != english["name"] and manifest["short_name"] != english["short_name"]


def test_an_unknown_language_is_not_found(client):
    assert client.get("/manifest/xx.webmanifest").status_code == 404
    assert client.get("/offline/xx").status_code == 404


def test_the_service_worker_keeps_only_public_files_and_the_offline_page(app, client):
    response = client.get("/service-worker.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-store"  # a new build reaches phones at once
    script = response.get_data(as_text=True)
    kept = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", script).group(1))
    assert kept and all(url.startswith("/static/") for url in kept), kept
    # The only page it may keep: the offline page of a shipped language, the one the page asks for.
    offline = json.loads(re.search(r"const OFFLINE_PAGES = (\[.*?\]);", script).group(1))
    assert sorted(offline) == sorted(f"/offline/{code}" for code in LANGUAGES)
    assert "OFFLINE_PAGES.includes(wanted)" in script and 'credentials: "omit"' in script
    # Navigations go to the network (the offline page only when it fails); nothing else is ever put in the cache.
    assert "cache.put" not in script and script.count("cache.addAll") == 1 and script.count("cache.add(") == 1
    assert 'request.method !== "GET"' in script
    # One worker for every language: the same script whatever the person's language.
    alice = signed_in(app, "alice.appleby@example.org")
    assert alice.get("/service-worker.js").get_data(as_text=True) == script


def test_the_offline_page_has_nothing_of_the_account_it_was_fetched_with(app, client):
    alice = signed_in(app, "alice.appleby@example.org")
    response = alice.get("/offline/ar")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'lang="ar" dir="rtl"' in page
    assert "Alice" not in page and "Sign out" not in page and "csrf-token" not in page
    assert 'name="service-worker"' not in page  # it never registers the worker again
    # The worker fetches it without cookies: then it starts no session either.
    assert "Set-Cookie" not in client.get("/offline/ar").headers
    english = alice.get("/offline/en").get_data(as_text=True)
    assert "You are offline" in english and "You are offline" not in page


def test_pages_link_the_manifest_and_the_worker_but_the_signed_out_page_does_not_bring_it_back(client):
    start = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest/en.webmanifest">' in start
    assert '<meta name="service-worker" content="/service-worker.js" data-offline-page="/offline/en">' in start
    signed_out = client.get("/signed-out").get_data(as_text=True)
    assert 'name="service-worker"' not in signed_out
