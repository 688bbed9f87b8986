"""Accounts: sign in and out, invitations, password resets, staff MFA."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
