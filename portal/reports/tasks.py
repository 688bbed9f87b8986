"""The reports feature's task on the family's home page: read the reports shared with you."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _, lazy_gettext as _l

from portal.home import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, Task, task_provider
from portal.reports.family_views import views_of
from portal.reports.services import family_reading_progress
from portal.roles import Role


@task_provider
def report_tasks(user, case, conference) -> list[Task]:
    """'Read the reports — 2 of 4 read'."""
    if conference is None:
        return []
    done, total = family_reading_progress(user, conference)
    if total == 0:
        return [Task(20, _l("Read the reports"), CANNOT_START, hint=_l("No report has been shared with you yet"))]
    href = url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id) + "#reports"
    return [Task(20, _l("Read the reports"), COMPLETED if done == total else NOT_STARTED, href=href,
                 hint=_("%(done)s of %(total)s read", done=done, total=total))]


@task_provider
def views_task(user, case, conference) -> list[Task]:
    """'Write your views': optional, for parents and carers, from the conference page."""
    if conference is None or user.role not in (Role.PARENT, Role.CARER):
        return []
    views = views_of(conference, user)
    status = NOT_STARTED if views is None else (COMPLETED if views.status == "submitted" else IN_PROGRESS)
    href = url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id) + "#views"
    return [Task(30, _l("Write your views"), status, href=href, hint=_l("If you want to: what you think, in your own words"))]
