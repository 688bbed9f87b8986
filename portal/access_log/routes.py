"""The access log of a child's records: thin, for the SQA manager only."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.access import signed_in
from portal.cases.access import get_case_for, get_child_for
from portal.access_log import bp, services
from portal.db import db
from portal.roles import Role

MAX_PAGE = 10_000


@bp.get("/cases/<reference>/children/<int:child_id>/access-log")
@signed_in(Role.SQA_MANAGER)
def child_access_log(reference: str, child_id: int):
    """Who opened or changed the records of this child's case, newest first (audited)."""
    case = get_case_for(current_user, reference)
    child = get_child_for(case, child_id)
    page = request.args.get("page", 1, type=int) or 1
    page = min(max(page, 1), MAX_PAGE)
    services.record_view(current_user, case, child)
    entries, older = services.entries_for(case, page)
    page_html = render_template("access_log/child.html", case=case, child=child, entries=entries, page=page, older=older)
    db.session.commit()
    return page_html
