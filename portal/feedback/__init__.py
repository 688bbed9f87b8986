"""Feedback after a conference: the adults' form and the child-friendly one, one answer per person per
conference; the chair's review of it (side by side, and over time as charts with their numbers), and what
the chair changes for the review conference because of it."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)
