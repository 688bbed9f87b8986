"""What is due to be sent, sent once: run by `flask --app wsgi notify send-due` under cron.

Idempotent: each (event, conference, person) has a unique key, claimed in the database
before the message goes out, so running it twice, or on two servers at once, sends it once.
Source: issue "Cases and conferences" (notifications).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.cases.conferences import Status, conference_day, has_started
from portal.cases.models import Conference
from portal.db import db, utcnow
from portal.notify.events import Due, family_of, send_items
from portal.timeline import london_date, midway_review_on

REMINDER_DAYS = 2


def due_messages(now: datetime) -> list[Due]:
    """Every message due now: the notice of a conference, the reminder 2 days before, the midway review."""
    today = london_date(now)
    due: list[Due] = []
    scheduled = db.session.scalars(select(Conference).where(Conference.status == Status.SCHEDULED.value))
    for conference in scheduled:
        if has_started(conference, now):
            continue
        due += [Due("notice", conference, user) for user in family_of(conference)]
        if today >= conference_day(conference) - timedelta(days=REMINDER_DAYS):
            due += [Due("reminder", conference, user) for user in family_of(conference)]
    held = db.session.scalars(select(Conference).where(Conference.status == Status.HELD.value))
    for conference in held:
        if today >= midway_review_on(conference_day(conference)):
            due += [Due("midway_review", conference, user) for user in family_of(conference)]
    return due


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """Send every due message not sent before; return (sent, skipped as already sent)."""
    now = now or utcnow()
    return send_items(due_messages(now), now)


