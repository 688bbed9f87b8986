"""Feedback after a conference (DESIGN.md, Domain: Feedback)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow


class Feedback(Base):
    """One person's answers about one conference: one per person per conference.

    Every form, the adults' and the child-friendly one, answers the same questions on the same
    scale (3 yes, 2 partly, 1 no), so a young person's answers are counted with everyone else's.
    """

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("conference_id", "user_id", name="uq_feedback_conference_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # parent, young_person or professional: whose view it is, counted separately and together.
    respondent: Mapped[str] = mapped_column(String(20))
    child_friendly: Mapped[bool] = mapped_column(Boolean, default=False)
    welcomed: Mapped[Optional[int]] = mapped_column(Integer)
    about_child: Mapped[Optional[int]] = mapped_column(Integer)
    understood_reports: Mapped[Optional[int]] = mapped_column(Integer)
    had_say: Mapped[Optional[int]] = mapped_column(Integer)
    do_better: Mapped[Optional[str]] = mapped_column(Text)
    # A parent may keep their name from the chair; the SQA manager's figures still count the answers.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user = relationship("User")


class ReviewChange(Base):
    """One thing the chair will change for the review conference because of the feedback on this one
    ("meet at a family hub", "a Sylheti interpreter", "shorter reports"). The family reads it."""

    __tablename__ = "review_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
