"""Reports written for a conference, their versions, who they are shared with, and who has read them."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow

# The sections every professional report has (practice guide: strengths, worries, impact on the child).
SECTIONS = ("what_happened", "going_well", "worries", "impact", "next_steps")
# The guided prompts of a parent's own views (issue "Reports", the family's own views).
VIEWS_SECTIONS = ("going_well", "worries", "would_like", "help_wanted")

PROFESSIONAL = "professional"
FAMILY_VIEWS = "family_views"


def sections_of(kind: str) -> tuple[str, ...]:
    """The sections a report of this kind has."""
    return VIEWS_SECTIONS if kind == FAMILY_VIEWS else SECTIONS


class Report(Base):
    """A report for one conference, by one author. Its words live in its versions."""

    __tablename__ = "reports"
    __table_args__ = (
        # One set of views per parent per conference (two tabs starting at once get the same draft).
        Index("uq_reports_one_views_per_parent", "conference_id", "author_id", unique=True,
              sqlite_where=text("kind = 'family_views'"), postgresql_where=text("kind = 'family_views'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    shared_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    talked_through_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # "professional", or "family_views" (a parent's own views, written with their advocate's help).
    kind: Mapped[str] = mapped_column(String(20), default=PROFESSIONAL, server_default=PROFESSIONAL)
    # The language a parent chose to write their views in (stored as written, never translated).
    language: Mapped[Optional[str]] = mapped_column(String(16))
    # The key of the form that created it: a double tap or a retry finds this report, not a new one.
    submission_key: Mapped[Optional[str]] = mapped_column(String(64), unique=True)

    author = relationship("User")
    conference = relationship("Conference")
    versions = relationship("ReportVersion", back_populates="report", order_by="ReportVersion.number")


class ReportVersion(Base):
    """One save of a report: every save is kept, and staff can read earlier ones."""

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number", name="uq_report_versions_report_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    number: Mapped[int] = mapped_column()
    what_happened: Mapped[str] = mapped_column(Text, default="")
    going_well: Mapped[str] = mapped_column(Text, default="")
    worries: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    would_like: Mapped[str] = mapped_column(Text, default="", server_default="")
    help_wanted: Mapped[str] = mapped_column(Text, default="", server_default="")
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    report = relationship("Report", back_populates="versions")
    saved_by = relationship("User")


class ReportShare(Base):
    """A report shared with one family participant."""

    __tablename__ = "report_shares"
    __table_args__ = (UniqueConstraint("report_id", "participant_id", name="uq_report_shares_report_participant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReportRead(Base):
    """A read receipt: when a person first opened a report, and when they said they had read it all."""

    __tablename__ = "report_reads"
    __table_args__ = (UniqueConstraint("report_id", "user_id", name="uq_report_reads_report_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    user = relationship("User")


class ReportHelper(Base):
    """An advocate a parent invited to help with their views: they may read and edit the draft."""

    __tablename__ = "report_helpers"
    __table_args__ = (UniqueConstraint("report_id", "user_id", name="uq_report_helpers_report_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user = relationship("User")


class ReportRequest(Base):
    """A family member asks for help with a report: someone to talk them through it, or an interpreter."""

    __tablename__ = "report_requests"
    __table_args__ = (UniqueConstraint("report_id", "user_id", "kind", name="uq_report_requests_report_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # "talk_through" or "interpreter"
    language: Mapped[Optional[str]] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user = relationship("User")


class Comment(Base):
    """A question, a disagreement or a comment on one section of a report, or a reply in its thread.

    A thread belongs to the family member who started it: only they, the report's author,
    the chair and the social worker see it (never the other parent).
    """

    __tablename__ = "comments"
    # A report's questions and their replies (the chair's count of unanswered questions) without reading them all.
    __table_args__ = (Index("ix_comments_report_id_parent_id", "report_id", "parent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    section: Mapped[str] = mapped_column(String(30))
    thread_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("comments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # question, disagree, comment, reply
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submission_key: Mapped[Optional[str]] = mapped_column(String(64), unique=True)

    author = relationship("User", foreign_keys=[author_id])
