"""Access to a support request, built on the core policy (portal/access.py). Source: DESIGN.md, Access and safety."""

from __future__ import annotations

from flask import abort
from sqlalchemy.orm import joinedload

from portal import audit
from portal.cases.models import Participant
from portal.db import db
from portal.roles import Role
from portal.support.models import SupportRequest
from portal.support.services import can_see


def get_support_request_for(user, case, request_id: int):
    """A support request of this (already authorised) case if the user may see it, else 404.

    The family member it is for; the chair and the social worker (not appeals); the SQA manager.
    Never the other parent, an advocate or another professional. Every read is audited.
    """
    # What the page shows of it (who it is for, the conference, its history) comes in the same statement.
    request_row = db.session.get(SupportRequest, request_id, options=(
        joinedload(SupportRequest.participant).joinedload(Participant.user), joinedload(SupportRequest.conference),
        joinedload(SupportRequest.changes)))
    if request_row is None or request_row.case_id != case.id or not can_see(user, request_row):
        abort(404)
    audit.record_read("support.read", actor=user, object_kind="support_request", object_id=request_row.id,
                      case_id=case.id, outcome="success" if user.role != Role.SQA_MANAGER else "sqa_access")
    return request_row
