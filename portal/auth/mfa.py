"""Staff multi-factor authentication: a time-based code from an authenticator app (TOTP, RFC 6238).

Source: issue "Accounts, roles, invitations and the access policy" (staff MFA; recovery by an admin reset).
"""

from __future__ import annotations

import pyotp
import segno
from flask import current_app, session
from markupsafe import Markup

from portal import audit
from portal.auth.models import User, new_session_token
from portal.db import db, utcnow

ISSUER = "Family Conference Portal"


def mfa_required(user: User) -> bool:
    """Staff must use a second factor when STAFF_MFA_REQUIRED is on (always on in production)."""
    return user.is_staff and current_app.config["STAFF_MFA_REQUIRED"]


def mfa_pending(user: User) -> bool:
    """True while a staff member who needs MFA has not yet given a code in this session."""
    return mfa_required(user) and not session.get("mfa_ok")


def enrolment_secret() -> str:
    """The secret being enrolled in this session (made once, kept until enrolment succeeds)."""
    secret = session.get("mfa_enrolment_secret")
    if not secret:
        secret = pyotp.random_base32()
        session["mfa_enrolment_secret"] = secret
    return secret


def qr_code_svg(user: User, secret: str) -> Markup:
    """An inline SVG QR code of the provisioning URI (no image request, nothing sent elsewhere)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email or user.username or str(user.id), issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff", omitsize=False)
    return Markup(svg)


def code_is_valid(secret: str, code: str) -> bool:
    """True when the 6-digit code matches now or the 30 seconds either side."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    return len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def complete_enrolment(user: User, code: str) -> bool:
    """Save the enrolled secret when the first code is right."""
    secret = session.get("mfa_enrolment_secret")
    if not secret or not code_is_valid(secret, code):
        return False
    user.mfa_secret = secret
    user.mfa_enrolled_at = utcnow()
    session.pop("mfa_enrolment_secret", None)
    session["mfa_ok"] = True
    audit.record("mfa.enrol", actor=user, object_kind="user", object_id=user.id)
    db.session.commit()
    return True


def check_code(user: User, code: str) -> bool:
    """Accept a code for this session, auditing each attempt."""
    ok = bool(user.mfa_secret) and code_is_valid(user.mfa_secret, code)
    audit.record("mfa.check", actor=user, object_kind="user", object_id=user.id, outcome="success" if ok else "failure")
    if ok:
        session["mfa_ok"] = True
    db.session.commit()
    return ok


def reset_mfa(user: User, by: User) -> None:
    """An admin clears a staff member's second factor; they enrol again at next sign-in."""
    user.mfa_secret = None
    user.mfa_enrolled_at = None
    user.session_token = new_session_token()  # signs them out everywhere
    audit.record("mfa.reset", actor=by, object_kind="user", object_id=user.id)
    db.session.commit()
