"""Staff accounts, managed by the admin (who sees no case content)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
