"""A young person's wishes and feelings, who they let see each part, and child advocacy (DESIGN.md, Domain)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow


class Wishes(Base):
    """One child's "three houses" for one conference, and (from 14) whether they feel they need a plan.

    Started by the young person, or by the advocate allocated to the child (who then writes for them,
    or speaks for them). `revision` goes up on every save, so a second writer never overwrites unseen.
    """

    __tablename__ = "wishes"
    __table_args__ = (UniqueConstraint("conference_id", "child_id", name="uq_wishes_conference_child"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # child: the young person wrote it; advocate_wrote / advocate_speaking: their advocate did, for them.
    written_by: Mapped[str] = mapped_column(String(20), default="child")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    worries: Mapped[Optional[str]] = mapped_column(Text)
    good_things: Mapped[Optional[str]] = mapped_column(Text)
    dreams: Mapped[Optional[str]] = mapped_column(Text)
    meeting_should_know: Mapped[Optional[str]] = mapped_column(Text)
    who_there: Mapped[Optional[str]] = mapped_column(Text)
    need_plan: Mapped[Optional[str]] = mapped_column(String(10))
    need_plan_why: Mapped[Optional[str]] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    child = relationship("Child")
    conference = relationship("Conference")
    author = relationship("User", foreign_keys=[author_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])


class WishesShare(Base):
    """One part of the wishes that the young person lets one more person see (a parent, a carer, their advocate)."""

    __tablename__ = "wishes_shares"
    __table_args__ = (UniqueConstraint("wishes_id", "part", "participant_id", name="uq_wishes_share"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wishes_id: Mapped[int] = mapped_column(ForeignKey("wishes.id"), index=True)
    part: Mapped[str] = mapped_column(String(30))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)


class ChildAdvocacy(Base):
    """The advocacy offer to one child, the consent it needs, and the advocate allocated.

    Source: practice guide ("All children over the age of 5 should be offered a referral for advocacy,
    they will need parental consent unless they are over the age of 16"). Every change is audited.
    """

    __tablename__ = "child_advocacy"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), unique=True)
    offered_on: Mapped[Optional[date]] = mapped_column(Date)
    offered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    # accepted, declined, or not_yet (the child has not decided).
    response: Mapped[Optional[str]] = mapped_column(String(20))
    asked_by_young_person_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # given or refused; by the young person (16 and over), a parent, or another person with parental responsibility.
    consent: Mapped[Optional[str]] = mapped_column(String(20))
    consent_by_kind: Mapped[Optional[str]] = mapped_column(String(20))
    consent_by_participant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("participants.id"))
    consent_by_name: Mapped[Optional[str]] = mapped_column(String(120))
    consent_on: Mapped[Optional[date]] = mapped_column(Date)
    consent_recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    advocate_participant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("participants.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    child = relationship("Child")
    consent_by = relationship("Participant", foreign_keys=[consent_by_participant_id])
    advocate = relationship("Participant", foreign_keys=[advocate_participant_id])
