"""Reports: professional reports and the family's own views."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
