"""The plan's task on a parent's or carer's home page, once a conference decided on a plan."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.home import COMPLETED, IN_PROGRESS, NOT_STARTED, Task, task_provider
from portal.plans import services


@task_provider
def plan_task(user, case, conference) -> list[Task]:
    """'Read your plan and have your say': done when they have answered every action (on its current words)."""
    plan_conference = services.current_plan_conference(case.id)
    if plan_conference is None:
        return []
    me = services.may_have_say(user, plan_conference)
    if me is None:
        return []
    answered, total = services.say_progress(plan_conference, me)
    status = NOT_STARTED if answered == 0 else COMPLETED if answered == total else IN_PROGRESS
    return [Task(5, _l("Read your plan and have your say"), status,
                 href=url_for("plans.plan", reference=case.reference, conference_id=plan_conference.id))]
