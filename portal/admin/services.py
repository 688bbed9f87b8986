"""Rules for staff accounts. Source: issue "Accounts, roles, invitations and the access policy" (admin pages)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from portal import audit
from portal.auth.models import User, new_session_token
from portal.roles import STAFF_ROLES
from portal.db import db
from portal.cases.models import Venue


def staff_accounts() -> list[User]:
    """Every staff account, by name."""
    return list(db.session.scalars(select(User).where(User.role.in_([r.value for r in STAFF_ROLES])).order_by(User.name)))


def get_staff_for(admin: User, user_id: int) -> User:
    """A staff account the admin manages, else 404 (family accounts are not the admin's)."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_staff:
        abort(404)
    return user


def create_staff(admin: User, name: str, email: str, role: str, sign_in_method: str = "password") -> User:
    """A new staff account without a password: they sign in with their council account, or choose a password from
    the invitation."""
    user = User(name=name, email=email, role=role, sign_in_method=sign_in_method)
    db.session.add(user)
    db.session.flush()
    audit.record("account.create", actor=admin, object_kind="user", object_id=user.id)
    return user


def set_active(admin: User, user: User, active: bool) -> None:
    """Deactivate (every session ends at once) or reactivate an account."""
    if user.id == admin.id and not active:
        abort(400)  # the last admin must not lock everyone out by accident
    user.active = active
    user.session_token = new_session_token()
    audit.record("account.deactivate" if not active else "account.reactivate", actor=admin, object_kind="user", object_id=user.id)
    db.session.commit()


def venues() -> list:
    """Every venue, bookable ones first."""
    return list(db.session.scalars(select(Venue).order_by(Venue.active.desc(), Venue.name)))


def get_venue(venue_id: int):
    """A venue by id, else 404."""
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        abort(404)
    return venue


def save_venue(admin: User, venue, *, name: str, address: str, accessibility_notes: str, council_office: bool, active: bool,
               directions: str = ""):
    """Create or change a venue. Retiring one keeps it on past conferences but stops new bookings."""
    venue = venue or Venue()
    venue.name, venue.address = name, address
    venue.accessibility_notes = accessibility_notes or None
    venue.directions = directions or None
    venue.council_office, venue.active = council_office, active
    db.session.add(venue)
    db.session.flush()
    audit.record("venue.save", actor=admin, object_kind="venue", object_id=venue.id)
    db.session.commit()
    return venue
