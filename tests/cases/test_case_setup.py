"""A social worker sets up a case, adds children and records the strategy discussion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import csrf_token_from, sign_in


def post_date(client, url, field, day: date | list[str], **extra):
    parts = day if isinstance(day, list) else [str(day.day), str(day.month), str(day.year)]
    return client.post(url, data={"csrf_token": csrf_token_from(client, url), field: parts, **extra})


@pytest.fixture()
def social_worker(app, demo):
    client = app.test_client()
    sign_in(client, "simon.swift@example.org")
    return client


def test_a_social_worker_sets_up_a_case_and_adds_a_child(social_worker):
    response = post_date(social_worker, "/cases/new", "strategy_discussion_on", date.today() - timedelta(days=2))
    assert response.status_code == 303
    case_url = response.headers["Location"]
    page = social_worker.get(case_url).get_data(as_text=True)
    assert "No conference has been scheduled yet." in page and "Add a child" in page
    added = post_date(social_worker, case_url + "/children/new", "date_of_birth", date(2015, 3, 27),
                      first_name="Robin", last_name="Example")
    assert added.status_code == 303
    assert "Robin</bdi>, aged" in social_worker.get(case_url).get_data(as_text=True)


@pytest.mark.parametrize(("day", "message"), [
    (timedelta(days=1), "must be today or in the past"),  # after today, counted when the test runs (not collected)
    (["30", "2", "2016"], "must be a real date"),
    (date(1990, 1, 1), "A child must be under 18"),
])
def test_a_child_date_of_birth_must_make_sense(social_worker, day, message):
    if isinstance(day, timedelta):  # a run that goes past midnight would otherwise send today's date
        day = date.today() + day
    case_url = post_date(social_worker, "/cases/new", "strategy_discussion_on", ["", "", ""]).headers["Location"]
    response = post_date(social_worker, case_url + "/children/new", "date_of_birth", day, first_name="Kim", last_name="Example")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'value="Kim"' in html


def test_a_strategy_discussion_in_the_future_is_refused(social_worker):
    response = post_date(social_worker, "/cases/new", "strategy_discussion_on", date.today() + timedelta(days=3))
    assert response.status_code == 400
    assert "must be today or in the past" in response.get_data(as_text=True)


def test_only_the_allocated_social_worker_adds_children(app, demo, social_worker):
    case_url = post_date(social_worker, "/cases/new", "strategy_discussion_on", ["", "", ""]).headers["Location"]
    for login in ("sally.sparrow@example.org", "colin.crane@example.org", "ben.bramble@example.org", "quinn.quail@example.org"):
        other = app.test_client()
        sign_in(other, login)
        assert other.get(case_url + "/children/new").status_code == 404, login
    assert app.test_client().get(case_url + "/children/new").status_code == 302
    family = app.test_client()
    sign_in(family, "beth.bramble@example.org")
    assert family.get("/cases/new").status_code == 404
