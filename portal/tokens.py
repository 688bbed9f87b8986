"""Single-use secret links: a random token goes to the person, only its hash is stored."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """Return (token for the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """SHA-256 of the token: enough for 256-bit random values, and indexable for look-up."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
