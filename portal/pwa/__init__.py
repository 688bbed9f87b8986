"""The installable web app: its manifest, the service worker and the page it shows offline."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)
