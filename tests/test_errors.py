"""Error pages: translated, in the portal's layout, never a stack trace."""

from __future__ import annotations

import pytest
from flask import abort

from portal.access import public
from tests.conftest import make_app


@pytest.fixture(scope="module")
def failing_app(database_uri):
    """The app plus routes that fail on purpose (never registered in the real app)."""
    app = make_app({"SQLALCHEMY_DATABASE_URI": database_uri})

    @public
    def boom():
        raise RuntimeError("secret detail that must never reach the page")

    @public
    def status(code: int):
        abort(code)

    app.add_url_rule("/test-boom", "boom", boom)
    app.add_url_rule("/test-status/<int:code>", "status", status)
    return app


@pytest.mark.parametrize(("code", "title"), [
    (400, "Sorry, there is a problem with what was sent"),
    (403, "You cannot see this page"),
    (404, "Page not found"),
    (429, "Too many tries"),
    (500, "Sorry, there is a problem with the service"),
])
def test_error_pages_have_their_own_words(failing_app, code, title):
    response = failing_app.test_client().get(f"/test-status/{code}")
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert f"<h1 class=\"govuk-heading-l\">{title}</h1>" in html
    assert "Go to the start page" in html


def test_wrong_method_gets_a_405_page(client):
    response = client.post("/accessibility")
    assert response.status_code in (400, 405)  # CSRF is checked before routing on POST
    response = client.put("/healthz")
    assert response.status_code in (400, 405)


def test_405_page_for_a_method_with_no_csrf_check(client):
    response = client.options("/language")
    assert response.status_code == 200  # OPTIONS is answered by Flask itself
    response = client.get("/language")
    assert response.status_code == 405
    assert "GET" not in response.headers["Allow"] and "POST" in response.headers["Allow"]
    assert "this page cannot be used that way" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_no_stack_trace(failing_app):
    response = failing_app.test_client().get("/test-boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    assert "secret detail" not in html
    assert "Sorry, there is a problem with the service" in html


@pytest.mark.parametrize("code", ["bn", "ar"])
def test_error_pages_are_translated(failing_app, code):
    client = failing_app.test_client()
    client.set_cookie(failing_app.config["LANGUAGE_COOKIE"], code)
    for status in (400, 403, 404, 405, 429, 500):
        html = client.get(f"/test-status/{status}").get_data(as_text=True)
        assert f'lang="{code}"' in html
        assert "Page not found" not in html and "Go to the start page" not in html
