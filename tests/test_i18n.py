"""Language choice: saved choice, cookie, browser, English; always one of the shipped languages."""

from __future__ import annotations

import re

import pytest

SHIPPED = ["en", "bn", "so", "ar", "ur", "pl", "ro"]


def html_lang_dir(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.get_data(as_text=True))
    assert match
    return match.group(1), match.group(2)


@pytest.mark.parametrize(("header", "expected"), [
    ("bn-BD,bn;q=0.9,en;q=0.5", ("bn", "ltr")),
    ("ar", ("ar", "rtl")),
    ("ur-PK", ("ur", "rtl")),
    ("so", ("so", "ltr")),
    ("de-DE,fr;q=0.8", ("en", "ltr")),
    ("", ("en", "ltr")),
])
def test_browser_language_is_used_when_nothing_was_chosen(client, header, expected):
    assert html_lang_dir(client.get("/", headers={"Accept-Language": header})) == expected


def test_a_chosen_language_beats_the_browser(client, app):
    client.set_cookie(app.config["LANGUAGE_COOKIE"], "ar")
    assert html_lang_dir(client.get("/", headers={"Accept-Language": "pl"})) == ("ar", "rtl")


@pytest.mark.parametrize("value", ["xx", "../../etc", "en<script>", ""])
def test_an_unsupported_cookie_value_is_ignored(client, app, value):
    client.set_cookie(app.config["LANGUAGE_COOKIE"], value)
    assert html_lang_dir(client.get("/", headers={"Accept-Language": "so"})) == ("so", "ltr")


def test_choosing_a_language_remembers_it_and_returns_to_the_page(client, post_form, app):
    response = post_form("/language", {"language": "bn", "next": "/privacy"}, from_url="/privacy")
    assert response.status_code == 303
    assert response.headers["Location"] == "/privacy"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(app.config["LANGUAGE_COOKIE"]))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert html_lang_dir(client.get("/privacy")) == ("bn", "ltr")


def test_choosing_without_a_language_shows_the_error_and_keeps_the_page(client, post_form):
    response = post_form("/language", {"next": "/"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert "There is a problem" in html
    assert "Select the language you want to use" in html
    assert 'href="#language"' in html


def test_a_language_the_portal_does_not_ship_is_refused(client, post_form, app):
    response = post_form("/language", {"language": "de", "next": "/"})
    assert response.status_code == 400
    assert app.config["LANGUAGE_COOKIE"] not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("target", [
    "//x.example", "/\\x.example", "https:x.example", "https://x.example/", "%2F%2Fx.example",
    "/ok\r\nSet-Cookie: a=b", "javascript:alert(1)", "\\\\x.example",
])
def test_language_choice_never_redirects_off_the_site(post_form, target):
    response = post_form("/language", {"language": "pl", "next": target})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert "\n" not in location and "x.example" not in location


def test_every_page_sets_language_and_direction_for_each_language(client, app):
    from tests.helpers import html_urls

    checked = 0
    for code in SHIPPED:
        client.set_cookie(app.config["LANGUAGE_COOKIE"], code)
        for url in html_urls(app) + ["/no-such-page"]:
            response = client.get(url)
            assert response.status_code in (200, 404), (code, url)
            assert html_lang_dir(response) == (code, "rtl" if code in ("ar", "ur") else "ltr")
            checked += 1
    print(f"\npages rendered in every language: {checked}")


def test_pages_are_translated_not_left_in_english(client, app):
    """In each shipped language the start page's heading and footer differ from the English ones."""
    english = client.get("/").get_data(as_text=True)
    assert "What you can do here" in english
    for code in SHIPPED[1:]:
        client.set_cookie(app.config["LANGUAGE_COOKIE"], code)
        html = client.get("/").get_data(as_text=True)
        for phrase in ("What you can do here", "Accessibility statement", "Skip to main content", "Exit this page"):
            assert phrase not in html, (code, phrase)
