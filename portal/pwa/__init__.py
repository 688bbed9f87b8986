"""The installable web app: its manifest, the service worker and the page it shows offline."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from portal.pwa import routes  # noqa: E402,F401  (routes attach themselves to bp)
