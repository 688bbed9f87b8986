"""The family's home: their conference, and a task list whose tasks come from the features."""

from __future__ import annotations

from portal.home import Task, _providers, task_provider, tasks_for
from tests.conftest import sign_in


def test_home_shows_the_conference_and_the_task_turns_done_once_read(app, demo, make_user):
    client = app.test_client()
    sign_in(client, "george.bramble@example.org")
    html = client.get("/home").get_data(as_text=True)
    assert "Your conference" in html and "Council offices (demo), Room 2" in html
    task = html[html.index("Read about your conference"):]
    assert "To do" in task[:task.index("</li>")]
    task_link = html.split('class="govuk-link govuk-task-list__link" href="', 1)[1].split('"', 1)[0]
    assert client.get(task_link).status_code == 200
    html = client.get("/home").get_data(as_text=True)
    task = html[html.index("Read about your conference"):]
    task = task[:task.index("</li>")]
    assert "To do" not in task and "Done" in task


def test_a_feature_adds_a_task_without_editing_the_home_page(app, demo):
    @task_provider
    def extra(user, case, conference):
        return [Task(5, "An extra task from another feature", "not_started", href="/account")]

    try:
        client = app.test_client()
        sign_in(client, "ben.bramble@example.org")
        html = client.get("/home").get_data(as_text=True)
        assert html.index("An extra task from another feature") < html.index("Read about your conference")
    finally:
        _providers.remove(extra)


def test_staff_are_sent_to_their_dashboard(app, demo):
    client = app.test_client()
    sign_in(client, "simon.swift@example.org")
    assert client.get("/home").headers["Location"] == "/cases"
