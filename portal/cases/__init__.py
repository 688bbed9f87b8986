"""Cases: the family network, its children and the people taking part."""

from flask import Blueprint

bp = Blueprint("cases", __name__)
