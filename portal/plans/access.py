"""Access to a child protection plan and its actions, built on the core policy (portal/access.py). Who may read
a plan is the feature's rule (plans.services.may_read). Source: DESIGN.md, Access and safety."""

from __future__ import annotations

from flask import abort

from portal.cases.conferences import get_conference_for
from portal.db import db
from portal.plans.models import PlanAction
from portal.plans.services import may_read, record_read


def get_plan_for(user, case, conference_id: int):
    """A conference of this (already authorised) case whose plan the user may read, else 404.

    The case's chair, social worker and professionals, and the SQA manager; the parents, carers and a
    parent's advocate once the conference decided on a plan (plans.services.may_read). Every read is audited.
    """
    conference = get_conference_for(case, conference_id)
    if not may_read(user, conference):
        abort(404)
    record_read(user, conference)
    return conference


def get_plan_action_for(user, case, action_id: int):
    """An action of a plan of this case that the user may read, with its conference; else 404."""
    action = db.session.get(PlanAction, action_id)
    if action is None or action.case_id != case.id:
        abort(404)
    conference = get_conference_for(case, action.conference_id)
    if not may_read(user, conference):
        abort(404)
    record_read(user, conference)
    return action, conference
