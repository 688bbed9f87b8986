"""Passwords: argon2id hashes and the GOV.UK password guidance (length, not complexity rules).

Source: GOV.UK Service Manual, "Passwords" (at least 10 characters here; block common ones).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context

MINIMUM_LENGTH = 10
MAXIMUM_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile: every real deployment uses it
# (config.PASSWORD_HASH_PROFILE; production refuses another). The test suite alone uses argon2-cffi's CHEAPEST
# profile, still argon2id, so that its thousands of sign-ins do not spend a tenth of a second each.
STRONG_PROFILE = "RFC_9106_LOW_MEMORY"


@lru_cache(maxsize=None)
def _hasher_for(profile: str) -> tuple[PasswordHasher, str]:
    """The hasher of an argon2-cffi profile, and a hash of a password nobody has, checked when no account matches,
    so a failed sign-in takes the same time whether or not the account exists."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
    return hasher, hasher.hash("no account has this password: timing equaliser")


def _hasher() -> tuple[PasswordHasher, str]:
    profile = current_app.config.get("PASSWORD_HASH_PROFILE", STRONG_PROFILE) if has_app_context() else STRONG_PROFILE
    return _hasher_for(profile)


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends the same work, even without a hash."""
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher()[0].check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """True when the password is in the shipped list of common passwords."""
    return password.strip().lower() in _common_passwords()
