"""Feedback after a conference: the child-friendly form (issue "Young people"); the adults' form and
the chair's feedback review build on it."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)

from portal.feedback import models, routes, tasks  # noqa: E402,F401
