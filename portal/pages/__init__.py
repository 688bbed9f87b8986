"""Public pages: the start page, language choice, exit, the footer's pages and the health check."""

from flask import Blueprint

bp = Blueprint("pages", __name__)
