"""Reports: professional reports and the family's own views."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from portal.reports import demo, family_views_routes, models, routes, tasks  # noqa: E402,F401
