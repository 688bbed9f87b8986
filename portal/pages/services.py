"""Rules of the public pages."""

from __future__ import annotations

from flask import Response, current_app

from portal.db import db
from sqlalchemy import text


def remember_language(response: Response, code: str) -> Response:
    """Keep the chosen language in a cookie for a year: strictly necessary, so no banner.

    Source: CONVENTIONS.md, Languages 11 (saved choice, then cookie, then browser).
    """
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        code,
        max_age=365 * 24 * 60 * 60,
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def database_is_up() -> bool:
    """True when the database answers a trivial query (for the load balancer's health check)."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not healthy"; the reason goes to the log, not the response
        current_app.logger.exception("Health check: the database did not answer")
        db.session.rollback()
        return False
