"""A record of every message sent for an event, so each goes out once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class SentNotification(Base):
    """One message for one event to one person. The unique key makes a second send impossible."""

    __tablename__ = "sent_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int] = mapped_column()
    event: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
