"""Support the family asks for, and offers made to them (DESIGN.md, Domain: Support request)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow


class SupportRequest(Base):
    """One request (or offer) for one conference: its kind, who it is for, where it stands.

    `details` holds what the person asked for (a supporter's name, a language and dialect, the
    access needs ticked, a proposed venue ...); `reason` is what the decider wrote for the family
    to read (why not agreed, the outcome of an appeal). Every change of status adds a
    SupportStatusChange, so the history is kept.
    """

    __tablename__ = "support_requests"
    __table_args__ = (Index("ix_support_requests_conference_kind_status", "conference_id", "kind", "status"),
                      # The SQA manager's queue of open appeals, across every case.
                      Index("ix_support_requests_kind_status_created_at", "kind", "status", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"))
    # The family member it is for: who asked, or to whom it was offered.
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[Optional[str]] = mapped_column(String(4000))
    submission_key: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    participant = relationship("Participant")
    conference = relationship("Conference")
    changes = relationship("SupportStatusChange", order_by="SupportStatusChange.id", back_populates="request")


class SupportStatusChange(Base):
    """One step in a request's life: the status it moved to, who moved it, when."""

    __tablename__ = "support_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request = relationship("SupportRequest", back_populates="changes")
    changed_by = relationship("User")
