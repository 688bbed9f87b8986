"""Sending one message per person and event, once: the notice of a conference, news of a change, a reminder.

Idempotent: each (event, conference, person) has a unique key, claimed in the database before the message goes
out, so sending twice, or on two servers at once, sends it once. What is due when is portal/notify/due.py's.
Source: issue "Cases and conferences" (notifications).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.cases.models import Conference, Participant
from portal.db import db, utcnow
from portal.notify.messages import send_news, send_reminder
from portal.notify.models import SentNotification
from portal.roles import FAMILY_ROLES


@dataclass(frozen=True)
class Due:
    """One message that should go out now."""

    event: str
    conference: Conference
    user: User

    @property
    def key(self) -> str:
        return f"{self.event}:{self.conference.id}:{self.user.id}"


def family_of(conference: Conference) -> list[User]:
    """The family members of the conference's case who have an account they have set up."""
    return list(db.session.scalars(
        select(User).join(Participant, Participant.user_id == User.id)
        .where(Participant.case_id == conference.case_id, User.role.in_([r.value for r in FAMILY_ROLES]),
               User.active.is_(True), User.password_hash.is_not(None))
        .order_by(User.id)
    ))


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
    return send_items([Due(event, conference, user) for user in family_of(conference)], now or utcnow())[0]


def send_items(items: list[Due], now: datetime) -> tuple[int, int]:
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
