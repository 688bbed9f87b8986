"""Support the family asks for: advocacy, a supporter, an interpreter, access needs, the review venue,
a Family Group Conference, a break, a debrief and an appeal."""

from flask import Blueprint

bp = Blueprint("support", __name__)
