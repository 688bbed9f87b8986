"""Cases, children, participants and contact restrictions (DESIGN.md, Domain)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow

# No 0/O or 1/I/L: a reference is read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_case_reference() -> str:
    """A non-guessable public reference such as FC-7KQ3-M9XD (40 bits of randomness)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"FC-{chars[:4]}-{chars[4:]}"


class Case(Base):
    """One family network."""

    __tablename__ = "cases"
    # The SQA manager's newest cases first, without sorting every case.
    __table_args__ = (Index("ix_cases_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True, default=new_case_reference)
    # The strategy discussion starts the 15-working-day clock for the initial conference.
    strategy_discussion_on: Mapped[Optional[date]] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    children = relationship("Child", back_populates="case", order_by="Child.date_of_birth")
    participants = relationship("Participant", back_populates="case", foreign_keys="Participant.case_id")


class Child(Base):
    """A child of the case; the date of birth drives every age rule."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date] = mapped_column(Date)

    case = relationship("Case", back_populates="children")


class Participant(Base):
    """A user's part in one case: the only way a family member or case worker reaches it."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_participant_case_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    relationship_to_child: Mapped[Optional[str]] = mapped_column(String(60))
    lives_with_child: Mapped[bool] = mapped_column(Boolean, default=False)
    # An advocate speaks for one person of the case: a parent or carer, or a child (who may have no account).
    advocate_for_id: Mapped[Optional[int]] = mapped_column(ForeignKey("participants.id"))
    advocate_for_child_id: Mapped[Optional[int]] = mapped_column(ForeignKey("children.id"))
    # A young person's own child record: their date of birth drives every age rule.
    child_id: Mapped[Optional[int]] = mapped_column(ForeignKey("children.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case = relationship("Case", back_populates="participants", foreign_keys=[case_id])
    user = relationship("User", back_populates="participations")
    child = relationship("Child", foreign_keys=[child_id])
    # The parent or carer an advocate speaks for (read only: advocate_for_id is what is written).
    advocate_for = relationship("Participant", remote_side=[id], foreign_keys=[advocate_for_id], viewonly=True)


class ContactRestriction(Base):
    """Participant `hidden_from` must never see anything that reveals how to reach `protected`."""

    __tablename__ = "contact_restrictions"
    __table_args__ = (UniqueConstraint("protected_id", "hidden_from_id", name="uq_contact_restriction_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    protected_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    hidden_from_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Venue(Base):
    """A place a conference can be held: a managed list, with accessibility notes."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300))
    accessibility_notes: Mapped[Optional[str]] = mapped_column(String(500))
    # How to get there, in plain words (no third-party maps: they track the family).
    directions: Mapped[Optional[str]] = mapped_column(String(1000))
    # Initial conferences are always held at council offices (practice guide).
    council_office: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Conference(Base):
    """An initial, review or extra-familial-risk conference for a case."""

    __tablename__ = "conferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    format: Mapped[str] = mapped_column(String(20))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    short_notice_reason: Mapped[Optional[str]] = mapped_column(String(500))
    cancelled_reason: Mapped[Optional[str]] = mapped_column(String(500))
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    family_notified_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # The outcome, recorded by the chair once the conference has been held.
    decision: Mapped[Optional[str]] = mapped_column(String(20))
    category: Mapped[Optional[str]] = mapped_column(String(30))
    decision_reasons: Mapped[Optional[str]] = mapped_column(String(4000))
    outcome_recorded_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case = relationship("Case")
    venue = relationship("Venue")
    chair = relationship("User", foreign_keys=[chair_id])


class PreConferenceContact(Base):
    """The chair's contact with the family before the conference, and what was agreed."""

    __tablename__ = "pre_conference_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), unique=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    contacted_whom: Mapped[str] = mapped_column(String(300))
    family_views: Mapped[Optional[str]] = mapped_column(String(4000))
    comfortable_professional: Mapped[Optional[str]] = mapped_column(String(200))
    extra_support: Mapped[Optional[str]] = mapped_column(String(2000))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Attendee(Base):
    """Someone agreed to attend a conference: a participant of the case, or a professional named by the chair."""

    __tablename__ = "attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), index=True)
    participant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("participants.id"))
    name: Mapped[Optional[str]] = mapped_column(String(120))
    role: Mapped[Optional[str]] = mapped_column(String(120))
    agency: Mapped[Optional[str]] = mapped_column(String(120))
    # A friend or relative the chair agreed a parent may bring (issue "Support").
    support_request_id: Mapped[Optional[int]] = mapped_column(ForeignKey("support_requests.id"))
    # Someone from an agency the chair invites, name not known yet (e.g. "police" for an extra-familial risk conference).
    agency_kind: Mapped[Optional[str]] = mapped_column(String(30))

    participant = relationship("Participant")
