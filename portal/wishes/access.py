"""Access to a young person's wishes and feelings, built on the core policy (portal/access.py). Which parts a
person may see is the feature's rule (wishes.services.visible_parts). Source: DESIGN.md, Access and safety."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.cases.models import Child
from portal.db import db
from portal.wishes.models import Wishes
from portal.wishes.services import record_read, visible_parts


def get_child_and_wishes_for(case, conference, child_id: int):
    """get_child_for, with the child's wishes for this conference (None before they start) read in the same
    statement. Whether the person may see them is the feature's rule (wishes.services.visible_parts)."""
    row = db.session.execute(
        select(Child, Wishes)
        .outerjoin(Wishes, (Wishes.child_id == Child.id) & (Wishes.conference_id == conference.id))
        .where(Child.id == child_id, Child.case_id == case.id)).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def get_wishes_for(user, case, wishes_id: int):
    """A child's wishes and feelings of this (already authorised) case, with the parts this person may see;
    404 when they may see none. A young person's hidden part is never loaded into a page for anyone
    else (wishes.services.visible_parts). Every read is audited."""
    wishes = db.session.get(Wishes, wishes_id, options=(joinedload(Wishes.child), joinedload(Wishes.conference)))
    parts = visible_parts(user, wishes) if wishes is not None and wishes.case_id == case.id else frozenset()
    if not parts:
        abort(404)
    record_read(user, wishes)
    return wishes, parts
