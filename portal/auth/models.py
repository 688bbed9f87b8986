"""People and their one-time links: User, Invitation, PasswordReset; a staff member's council account: CouncilIdentity."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.roles import FAMILY_ROLES, STAFF_ROLES, Role
from portal.db import Base, utcnow


def new_session_token() -> str:
    """A fresh random token; changing it ends every session of that user."""
    return secrets.token_urlsafe(32)


class User(UserMixin, Base):
    """Anyone who signs in. Contact details are never shown to other family members."""

    __tablename__ = "users"
    # The lists of chairs (and other staff by role) without reading every account.
    __table_args__ = (Index("ix_users_role", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[Optional[str]] = mapped_column(String(254), unique=True)
    mobile: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    username: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    address: Mapped[Optional[str]] = mapped_column(String(300))
    password_hash: Mapped[Optional[str]] = mapped_column(String(255))
    preferred_language: Mapped[Optional[str]] = mapped_column(String(5))
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    mfa_secret: Mapped[Optional[str]] = mapped_column(String(64))
    mfa_enrolled_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_signed_in_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # How a staff member signs in: "password" (a portal password and an authenticator app) or "council" (the
    # council's own identity provider, portal/auth/council.py). Family members always use "password".
    sign_in_method: Mapped[str] = mapped_column(String(20), default="password", server_default="password")

    participations = relationship("Participant", back_populates="user", lazy="select")

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the user and their current session token."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_family(self) -> bool:
        return self.role in FAMILY_ROLES

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def role_is(self, *roles: Role) -> bool:
        return self.role in roles


class Invitation(Base):
    """A single-use link to set up an account. Only the token's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invited_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    user = relationship("User", foreign_keys=[user_id])


class PasswordReset(Base):
    """A single-use link to choose a new password. Only the token's hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    user = relationship("User")


class CouncilIdentity(Base):
    """The council account (at the council's identity provider) a staff member signs in with: one per person.

    Matched by the provider's stable identifier for the person (`subject`: Entra's `oid`, else `sub`) once linked,
    never by e-mail again. Holds no token."""

    __tablename__ = "council_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_council_identities_issuer_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    # The provider's `sub` and its session id (`sid`) at the last sign-in: what a back-channel logout names.
    provider_sub: Mapped[Optional[str]] = mapped_column(String(255))
    provider_session_id: Mapped[Optional[str]] = mapped_column(String(255), index=True)
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_signed_in_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    user = relationship("User")
