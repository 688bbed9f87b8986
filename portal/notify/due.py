"""What is due to be sent, sent once: run by `flask --app wsgi notify send-due` under cron.

Idempotent: each (event, conference, person) has a unique key, claimed in the database
before the message goes out, so running it twice, or on two servers at once, sends it once.
Source: issue "Cases and conferences" (notifications).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.cases.conferences import Status, conference_day, has_started
from portal.cases.models import Conference, Participant
from portal.db import db, utcnow
from portal.notify.messages import send_news, send_reminder
from portal.notify.models import SentNotification
from portal.roles import FAMILY_ROLES
from portal.timeline import london_date, midway_review_on

REMINDER_DAYS = 2


@dataclass(frozen=True)
class Due:
    """One message that should go out now."""

    event: str
    conference: Conference
    user: User

    @property
    def key(self) -> str:
        return f"{self.event}:{self.conference.id}:{self.user.id}"


def _family(conference: Conference) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Participant, Participant.user_id == User.id)
        .where(Participant.case_id == conference.case_id, User.role.in_([r.value for r in FAMILY_ROLES]),
               User.active.is_(True), User.password_hash.is_not(None))
        .order_by(User.id)
    ))


def due_messages(now: datetime) -> list[Due]:
    """Every message due now: the notice of a conference, the reminder 2 days before, the midway review."""
    today = london_date(now)
    due: list[Due] = []
    scheduled = db.session.scalars(select(Conference).where(Conference.status == Status.SCHEDULED.value))
    for conference in scheduled:
        if has_started(conference, now):
            continue
        due += [Due("notice", conference, user) for user in _family(conference)]
        if today >= conference_day(conference) - timedelta(days=REMINDER_DAYS):
            due += [Due("reminder", conference, user) for user in _family(conference)]
    held = db.session.scalars(select(Conference).where(Conference.status == Status.HELD.value))
    for conference in held:
        if today >= midway_review_on(conference_day(conference)):
            due += [Due("midway_review", conference, user) for user in _family(conference)]
    return due


def _claim(item: Due) -> bool:
    """Record the message as sent before sending it; False if someone already has."""
    db.session.add(SentNotification(key=item.key, user_id=item.user.id, event=item.event))
    try:
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def send_event(event: str, conference: Conference, now: datetime | None = None) -> int:
    """Tell the conference's family members that there is news, once each; return how many were sent."""
    return _send_items([Due(event, conference, user) for user in _family(conference)], now or utcnow())[0]


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """Send every due message not sent before; return (sent, skipped as already sent)."""
    now = now or utcnow()
    return _send_items(due_messages(now), now)


def _send_items(items: list[Due], now: datetime) -> tuple[int, int]:
    sent = skipped = 0
    for item in items:
        if db.session.scalar(select(SentNotification.id).where(SentNotification.key == item.key)) or not _claim(item):
            skipped += 1
            continue
        channel = send_reminder(item.user) if item.event == "reminder" else send_news(item.user)
        record = db.session.scalar(select(SentNotification).where(SentNotification.key == item.key))
        record.channel = channel or "none"
        if item.event == "notice" and item.conference.family_notified_at is None:
            item.conference.family_notified_at = now
        db.session.commit()
        sent += 1
    return sent, skipped
