"""Accounts: sign in and out, invitations, password resets, staff MFA."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import routes  # noqa: E402,F401
