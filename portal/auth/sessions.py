"""Per-request session rules: load the user by session token, enforce idle and absolute timeouts.

Source: issue "Accounts, roles, invitations and the access policy" (30-minute idle and
12-hour absolute timeouts; sessions revocable on the server).
"""

from __future__ import annotations

from flask import Flask, flash, g, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal.auth import services
from portal.extensions import login_manager


def init_sessions(app: Flask) -> None:
    """Tell Flask-Login how to load users and where to send people who are not signed in."""
    login_manager.user_loader(services.load_user_from_session)

    @app.before_request
    def enforce_timeouts():
        if request.endpoint in ("static", "pages.healthz"):
            return None
        if current_user.is_authenticated:
            if services.session_expired():
                logout_user()
                session.clear()
                flash(_("You were signed out because you had not done anything for a while. Sign in again to carry on."), "info")
                return None
            services.touch_session()
            g.saved_language = current_user.preferred_language
        return None
