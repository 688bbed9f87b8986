"""Safe places to send someone next: never off the site, never through a crafted URL."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(value: str | None, default: str) -> str:
    """The value when it is a path on this site, else the default.

    Refuses absolute and scheme-relative URLs (//x.example, /\\x.example, https:x.example),
    anything with a scheme or host after browser-style normalisation, and control characters.
    Source: DESIGN.md, Access and safety (no open redirects).
    """
    if not value or len(value) > 2000:
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    # Browsers treat a backslash as a slash in URLs.
    normalised = value.replace("\\", "/")
    if not normalised.startswith("/") or normalised.startswith("//"):
        return default
    parts = urlsplit(normalised)
    if parts.scheme or parts.netloc:
        return default
    return value
