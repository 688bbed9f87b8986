"""Accounts: sign in, sessions that can be revoked on the server, invitations, password resets.

Sources: issue "Accounts, roles, invitations and the access policy"; DESIGN.md, Access and safety;
GOV.UK Service Manual (passwords); OWASP ASVS 5.0 V6-V7 (authentication, sessions).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from portal import audit
from portal.auth.council import must_use_council_account
from portal.auth.models import Invitation, PasswordReset, User, new_session_token
from portal.auth.passwords import MAXIMUM_LENGTH, MINIMUM_LENGTH, hash_password, is_common, needs_rehash, verify_password
from portal.db import db, utcnow
from portal.i18n import ascii_digits
from portal.notify.messages import send_invitation, send_password_reset
from portal.tokens import hash_token, new_token

INVITATION_LIFETIME = timedelta(days=7)
PASSWORD_RESET_LIFETIME = timedelta(hours=1)


# --- logins -----------------------------------------------------------------------------

def normalise_mobile(value: str) -> str | None:
    """A UK mobile number as +447..., or None when it does not look like one."""
    digits = re.sub(r"[\s()\-.]", "", ascii_digits(value))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("07"):
        digits = "+44" + digits[1:]
    if re.fullmatch(r"\+447\d{9}", digits):
        return digits
    return None


def normalise_login(value: str) -> tuple[str, str]:
    """Classify what someone typed to sign in: ('email'|'mobile'|'username', normalised value)."""
    value = (value or "").strip()
    if "@" in value:
        return "email", value.lower()
    mobile = normalise_mobile(value)
    if mobile:
        return "mobile", mobile
    return "username", value.lower()


def find_user_by_login(value: str) -> User | None:
    """The account an email address, mobile number or username belongs to."""
    kind, normalised = normalise_login(value)
    column = {"email": User.email, "mobile": User.mobile, "username": User.username}[kind]
    return db.session.scalar(select(User).where(column == normalised))


def rate_limit_key_for_login(value: str) -> str:
    """The per-account rate-limit key: the normalised login, so 'A@x' and 'a@x ' count together."""
    return "login:" + ":".join(normalise_login(value))


# --- passwords --------------------------------------------------------------------------

def password_problem(password: str):
    """Why a new password is not acceptable (a translatable message), or None."""
    if len(password) < MINIMUM_LENGTH:
        return _l("Your password must be at least 10 characters long")
    if len(password) > MAXIMUM_LENGTH:
        return _l("Your password must be 256 characters or fewer")
    if is_common(password):
        return _l("This password is used by many people, so it is easy to guess. Choose a different one")
    return None


def set_password(user: User, password: str) -> None:
    """Store a new password and end every session the user has (they sign in again)."""
    user.password_hash = hash_password(password)
    rotate_session_token(user)


# --- sessions ---------------------------------------------------------------------------

def rotate_session_token(user: User) -> None:
    """End every session of this user, on every device: each carries the old token."""
    user.session_token = new_session_token()


def load_user_from_session(session_id: str) -> User | None:
    """Flask-Login's user loader: the user, only while their session token still matches."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


@dataclass
class SignInResult:
    user: User | None
    needs_mfa: bool = False


def authenticate(login: str, password: str) -> User | None:
    """The active user with this login and password, else None (one answer for every failure)."""
    user = find_user_by_login(login)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        audit.record("sign_in", object_kind="user", object_id=user.id if user else None, outcome="failure")
        db.session.commit()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def refuse_password_for_council_account(user: User) -> None:
    """The right password of someone who signs in with their council account: refused, and audited."""
    db.session.rollback()
    audit.record("sign_in", object_kind="user", object_id=user.id, outcome="council_only")
    db.session.commit()


def start_session(user: User, method: str = "password", mfa_ok: bool = False) -> None:
    """Sign the user in on this device (a fresh session, so no fixation). `method` is how: "password", or
    "council" (the council's identity provider, whose second factor counts when `mfa_ok`)."""
    session.clear()
    login_user(user)
    now = utcnow()
    session["signed_in_at"] = now.timestamp()
    session["last_seen_at"] = now.timestamp()
    session["mfa_ok"] = mfa_ok
    session["signed_in_with"] = method
    user.last_signed_in_at = now
    audit.record("sign_in" if method == "password" else f"sign_in.{method}", actor=user, object_kind="user", object_id=user.id)
    db.session.commit()


def end_session(action: str = "sign_out") -> None:
    """Sign out: rotate the user's session token (ending every copy of it) and clear this session."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is not None:
        rotate_session_token(user)
        audit.record(action, actor=user, object_kind="user", object_id=user.id)
        db.session.commit()
    logout_user()
    session.clear()


def session_expired(now: datetime | None = None) -> bool:
    """True when this session has been idle for 30 minutes or is older than 12 hours."""
    now = now or utcnow()
    config = current_app.config
    signed_in_at = session.get("signed_in_at")
    last_seen_at = session.get("last_seen_at")
    if signed_in_at is None or last_seen_at is None:
        return True
    if now.timestamp() - last_seen_at > config["IDLE_TIMEOUT_MINUTES"] * 60:
        return True
    return now.timestamp() - signed_in_at > config["ABSOLUTE_TIMEOUT_HOURS"] * 3600


def touch_session() -> None:
    """Note activity, for the idle timeout."""
    session["last_seen_at"] = utcnow().timestamp()


# --- invitations ------------------------------------------------------------------------

def invite(user: User, invited_by: User | None, case_id: int | None = None) -> str:
    """Create a single-use invitation for an account and send its link; return the link."""
    token, token_hash = new_token()
    invitation = Invitation(
        token_hash=token_hash,
        user=user,
        invited_by_id=invited_by.id if invited_by else None,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.flush()
    link = url_for("auth.set_up_account", token=token, _external=True)
    channel = send_invitation(user, link)
    audit.record("invitation.create", actor=invited_by, object_kind="user", object_id=user.id, case_id=case_id,
                 outcome="sent" if channel else "not_sent")
    return link


def find_invitation(token: str) -> tuple[Invitation | None, str]:
    """The invitation for a link and its state: 'ok', 'expired', 'used' or 'invalid'."""
    if not token or len(token) > 200:
        return None, "invalid"
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None:
        return None, "invalid"
    if invitation.used_at is not None:
        return invitation, "used"
    if _as_utc(invitation.expires_at) <= utcnow():
        return invitation, "expired"
    if not invitation.user.active:
        return invitation, "invalid"
    return invitation, "ok"


def accept_invitation(invitation: Invitation, password: str, language: str) -> User:
    """Set up the account: the password and language chosen; the link can never be used again."""
    user = invitation.user
    set_password(user, password)
    user.preferred_language = language
    invitation.used_at = utcnow()
    audit.record("invitation.accept", actor=user, object_kind="user", object_id=user.id)
    db.session.commit()
    return user


# --- password resets --------------------------------------------------------------------

def request_password_reset(login: str) -> None:
    """Send a reset link when the login belongs to an active, set-up account; silent otherwise."""
    user = find_user_by_login(login)
    if user is None or not user.active or not user.has_password or must_use_council_account(user):
        audit.record("password_reset.request", object_kind="user", object_id=user.id if user else None, outcome="ignored")
        db.session.commit()
        return
    token, token_hash = new_token()
    db.session.add(PasswordReset(token_hash=token_hash, user_id=user.id, expires_at=utcnow() + PASSWORD_RESET_LIFETIME))
    link = url_for("auth.choose_new_password", token=token, _external=True)
    send_password_reset(user, link)
    audit.record("password_reset.request", object_kind="user", object_id=user.id)
    db.session.commit()


def find_password_reset(token: str) -> PasswordReset | None:
    """The unused, unexpired reset for a link, else None."""
    if not token or len(token) > 200:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    if reset is None or reset.used_at is not None or _as_utc(reset.expires_at) <= utcnow() or not reset.user.active:
        return None
    return reset


def complete_password_reset(reset: PasswordReset, password: str) -> None:
    """Choose the new password; every other reset link of the user stops working too."""
    set_password(reset.user, password)
    now = utcnow()
    for other in db.session.scalars(select(PasswordReset).where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))):
        other.used_at = now
    audit.record("password_reset.complete", actor=reset.user, object_kind="user", object_id=reset.user_id)
    db.session.commit()


def change_password(user: User, new_password: str) -> None:
    """A signed-in user's new password: every session ends, this one included."""
    set_password(user, new_password)
    audit.record("password.change", actor=user, object_kind="user", object_id=user.id)
    db.session.commit()


def save_language(user: User, code: str) -> None:
    """Remember a signed-in user's language on their account (it follows them to other devices)."""
    user.preferred_language = code
    db.session.commit()


def _as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes: they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
