"""Young people: wishes and feelings they control (the "three houses"), whether they feel they need a
plan (from 14), child advocacy with the right consent, and child-friendly feedback."""

from flask import Blueprint

bp = Blueprint("wishes", __name__)
