"""The feedback feature's task on a young person's home page, once their conference has been held."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.cases.conferences import latest_held
from portal.feedback import services
from portal.home import COMPLETED, NOT_STARTED, Task, task_provider
from portal.roles import Role
from portal.wishes.services import own_child_row


@task_provider
def young_person_feedback(user, case, conference) -> list[Task]:
    """'Tell us how the meeting went' after the young person's last conference was held."""
    if user.role != Role.YOUNG_PERSON or own_child_row(user, case.id, conference) is None:
        return []
    held = latest_held(case.id)  # the one feedback is about
    if held is None:
        return []
    done = services.has_answered(held, user)
    return [Task(60, _l("Tell us how the meeting went"), COMPLETED if done else NOT_STARTED,
                 href=url_for("feedback.young_person", reference=case.reference, conference_id=held.id))]


@task_provider
def family_feedback(user, case, conference) -> list[Task]:
    """'Tell us how the conference went' for a parent or carer, after their last conference was held."""
    if user.role not in (Role.PARENT, Role.CARER):
        return []
    held = latest_held(case.id)  # the one feedback is about
    if held is None:
        return []
    done = services.has_answered(held, user)
    return [Task(60, _l("Tell us how the conference went"), COMPLETED if done else NOT_STARTED,
                 href=url_for("feedback.give_feedback", reference=case.reference, conference_id=held.id))]
