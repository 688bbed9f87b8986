"""The cases feature's tasks on the family's home page."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.cases import conferences
from portal.home import CANNOT_START, COMPLETED, NOT_STARTED, Task, task_provider
from portal.roles import Role


@task_provider
def conference_tasks(user, case, conference) -> list[Task]:
    """Read when and where the conference is, and what it is for (a young person's pages call it "the meeting")."""
    young = user.role == Role.YOUNG_PERSON
    title = _l("Read about your meeting") if young else _l("Read about your conference")
    if conference is None or conference.status == conferences.Status.CANCELLED:
        hint = _l("There is no meeting planned yet") if young else _l("There is no conference planned yet")
        return [Task(10, title, CANNOT_START, hint=hint)]
    href = url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id)
    status = COMPLETED if conferences.has_read(user, conference) else NOT_STARTED
    return [Task(10, title, status, href=href, hint=_l("When and where it is, and what happens"))]
