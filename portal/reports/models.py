"""Reports written for a conference, their versions, who they are shared with, and who has read them."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow

# The sections every report has (practice guide: strengths, worries, impact on the child).
SECTIONS = ("what_happened", "going_well", "worries", "impact", "next_steps")


class Report(Base):
    """A report for one conference, by one author. Its words live in its versions."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    shared_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    talked_through_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

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
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    report = relationship("Report", back_populates="versions")


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
