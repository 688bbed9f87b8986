"""The child protection plan the family helped make: actions that each name the impact on the child
they address, the services the family chooses, the family's say on each action, the FGC family plan,
and the midway review 6 weeks after the conference."""

from flask import Blueprint

bp = Blueprint("plans", __name__)
