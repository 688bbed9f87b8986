"""The child protection plan (DESIGN.md, Domain: Plan action) and the local services directory."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow


class Service(Base):
    """A local service a family can choose for an action of their plan. The SQA manager keeps the list."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    offers: Mapped[str] = mapped_column(String(2000))
    languages: Mapped[Optional[str]] = mapped_column(String(500))
    where: Mapped[Optional[str]] = mapped_column(String(500))
    contact: Mapped[str] = mapped_column(String(500))
    # A service that closed is taken off the list; actions that chose it still show it.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlanAction(Base):
    """One action of the plan made at a conference: the impact on the child it addresses, what will be
    done, by whom and by when; at the midway review, how it is going."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), index=True)
    impact: Mapped[str] = mapped_column(String(2000))
    action: Mapped[str] = mapped_column(String(2000))
    by_whom: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    # The midway review: done, on_track or stuck, and one sentence on why.
    progress: Mapped[Optional[str]] = mapped_column(String(20))
    progress_note: Mapped[Optional[str]] = mapped_column(String(1000))
    progress_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the words of the action last changed: a family answer given before it is shown as out of date.
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActionResponse(Base):
    """One parent's or carer's say on one action: agree, agree with a change, or disagree and why; and the
    service they feel would help most, or that none fits and why. Each person's own: parents may live apart."""

    __tablename__ = "action_responses"
    __table_args__ = (UniqueConstraint("action_id", "participant_id", name="uq_action_responses_action_participant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    agreement: Mapped[Optional[str]] = mapped_column(String(20))
    comment: Mapped[Optional[str]] = mapped_column(String(2000))
    service_id: Mapped[Optional[int]] = mapped_column(ForeignKey("services.id"))
    no_service_why: Mapped[Optional[str]] = mapped_column(String(2000))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    service = relationship("Service")
    participant = relationship("Participant")


class MidwayReview(Base):
    """The midway review of a conference's plan: the day it took place and who recorded it."""

    __tablename__ = "midway_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), unique=True)
    held_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
