"""The audit trail for people: the SQA manager sees who opened or changed a child's records, when and from where."""

from flask import Blueprint

bp = Blueprint("access_log", __name__)
