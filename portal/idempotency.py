"""One submission, one result: a double tap, a retry after a dropped connection or two tabs
never create two reports or two comments (issue "Reports", idempotent submits).

Each form that creates something carries a random key made when the form was shown. The
created row stores it in a unique column, so a second POST with the same key finds the
first row instead of making another, even when both arrive at the same moment.
"""

from __future__ import annotations

import re
import secrets

from portal.forms import FlaskForm
from wtforms import HiddenField

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_key() -> str:
    """A fresh, unguessable key for one form."""
    return secrets.token_urlsafe(24)


def clean_key(value: str | None) -> str | None:
    """The key if it looks like one we made, else None (then the POST is simply not de-duplicated)."""
    return value if value and _KEY.match(value) else None


class OnceForm(FlaskForm):
    """A form whose submit must happen once: it carries a submission key."""

    submission_key = HiddenField(default=new_key)

    @property
    def key(self) -> str | None:
        return clean_key(self.submission_key.data)
