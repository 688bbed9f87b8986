"""`notify send-due`: what is due goes out once, even run twice or on two servers at once."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import delete, select

from portal.auth.models import User
from portal.cases.models import Case, Conference, Venue
from portal.db import db, utcnow
from portal.notify.due import due_messages, send_due
from portal.notify.models import SentNotification
from tests.conftest import make_app
from tests.notify.test_notify import API_KEY, NotifyStub, notify_stub  # noqa: F401  (the stub fixture)


def notify_app(database_uri, stub_url):
    return make_app({
        "SQLALCHEMY_DATABASE_URI": database_uri, "NOTIFY_BACKEND": "govuk", "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_BASE_URL": stub_url, "NOTIFY_EMAIL_TEMPLATE_ID": "email-template", "NOTIFY_SMS_TEMPLATE_ID": "sms-template",
    })


def add_conference(app, *, starts_in: timedelta, status="scheduled") -> int:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == "FC-4HNP-T6WB"))
        chair = db.session.scalar(select(User).where(User.email == "colin.crane@example.org"))
        venue = db.session.scalar(select(Venue).where(Venue.council_office.is_(True)))
        conference = Conference(case_id=case.id, kind="review", starts_at=utcnow() + starts_in, format="hybrid",
                                venue_id=venue.id, chair_id=chair.id, status=status)
        db.session.add(conference)
        db.session.commit()
        return conference.id


def events_for(app, conference_id) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(SentNotification.event).where(SentNotification.key.like(f"%:{conference_id}:%"))))


def run(app):
    with app.app_context(), app.test_request_context():
        return send_due()


def test_notice_and_reminder_go_out_once_through_notify(database_uri, demo, notify_stub):  # noqa: F811
    app = notify_app(database_uri, notify_stub)
    run(app)  # settle whatever other tests left due
    conference_id = add_conference(app, starts_in=timedelta(days=1, hours=2))
    NotifyStub.received.clear()
    first = run(app)
    second = run(app)
    assert first[0] == 8 and second[0] == 0
    assert events_for(app, conference_id) == ["notice"] * 4 + ["reminder"] * 4
    # Max (the young person) signs in with a username and has no email or mobile: 3 of 4 get each message.
    paths = [r["path"] for r in NotifyStub.received]
    assert paths.count("/v2/notifications/email") == 6
    for request in NotifyStub.received:
        words = request["body"]["personalisation"]["body"].lower()
        assert "bramble" not in words and "conference" not in words and "child" not in words


def test_two_servers_at_once_send_each_message_once(database_uri, demo, notify_stub):  # noqa: F811
    first_app, second_app = notify_app(database_uri, notify_stub), notify_app(database_uri, notify_stub)
    conference_id = add_conference(first_app, starts_in=timedelta(days=20))
    run(first_app)  # settle anything else that is due
    with first_app.app_context():
        db.session.execute(delete(SentNotification).where(SentNotification.key.like(f"%:{conference_id}:%")))
        db.session.commit()
    NotifyStub.received.clear()
    barrier = threading.Barrier(2)
    results = []

    def worker(app):
        barrier.wait()
        results.append(run(app))

    threads = [threading.Thread(target=worker, args=(app,)) for app in (first_app, second_app)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(sent for sent, _ in results) == 4
    assert len(NotifyStub.received) == 3  # the young person has no email or mobile
    assert events_for(first_app, conference_id) == ["notice"] * 4


def test_midway_review_is_due_six_weeks_after_a_held_conference(app, demo):
    conference_id = add_conference(app, starts_in=-timedelta(days=43), status="held")
    with app.app_context():
        due = [d for d in due_messages(utcnow()) if d.conference.id == conference_id]
        assert {d.event for d in due} == {"midway_review"}
        early = [d for d in due_messages(utcnow() - timedelta(days=2)) if d.conference.id == conference_id]
        assert early == []


def test_the_command_runs(runner, demo):
    result = runner.invoke(args=["notify", "send-due"])
    assert result.exit_code == 0 and "already sent" in result.output
