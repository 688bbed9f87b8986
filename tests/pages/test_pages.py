"""The public pages: start page, language choice, exit, footer pages and health check."""

from __future__ import annotations

import json

import pytest

from tests.helpers import html_urls


def test_start_page_explains_the_service(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en" dir="ltr"' in html
    assert "Family Conference Portal" in html
    assert "What you can do here" in html
    assert 'class="govuk-skip-link"' in html
    assert 'href="#main-content"' in html


def test_start_page_offers_exit_this_page_and_the_footer_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert 'data-module="govuk-exit-this-page"' in html
    assert 'href="/exit"' in html
    for url in ("/accessibility", "/privacy", "/cookies"):
        assert f'href="{url}"' in html


def test_no_crown_no_crown_copyright_no_govuk_icons(client, app):
    for url in html_urls(app):
        html = client.get(url).get_data(as_text=True)
        assert "Crown copyright" not in html
        assert "govuk-crest" not in html
        assert "govuk-logo" not in html
        assert "/assets/images/" not in html
        assert "GOV.UK" not in html


@pytest.mark.parametrize("url", ["/accessibility", "/privacy", "/cookies"])
def test_footer_pages_are_real_pages(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<h2") >= 1


def test_cookies_page_names_the_cookies_the_portal_really_sets(client, app):
    html = client.get("/cookies").get_data(as_text=True)
    assert app.config["SESSION_COOKIE_NAME"] in html
    assert app.config["LANGUAGE_COOKIE"] in html


def test_exit_clears_the_browser_and_leaves_for_a_neutral_site(client, app):
    client.get("/")  # a session with a CSRF token now exists
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["EXIT_URL"]
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith(f"{app.config['SESSION_COOKIE_NAME']}=;") for c in cookies)
    assert any(c.startswith(f"{app.config['LANGUAGE_COOKIE']}=;") for c in cookies)


def test_healthz_reports_the_database_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.data) == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_says_unavailable_when_the_database_is_down(tmp_path):
    from tests.conftest import make_app

    broken = make_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.data) == {"status": "unavailable"}
