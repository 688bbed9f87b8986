"""The young people feature's tasks on the home page: a young person's own wishes and feelings and
advocate; a parent's consent to an advocate for their child, and what a child chose to share with them."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup
from flask_babel import gettext as _, lazy_gettext as _l

from portal import audit
from portal.cases.conferences import Status, has_started
from portal.i18n import isolate
from portal.home import CANNOT_START, COMPLETED, IN_PROGRESS, NOT_STARTED, Task, task_provider
from portal.roles import Role
from portal.wishes import services


@task_provider
def young_person_tasks(user, case, conference) -> list[Task]:
    """'Share your wishes and feelings' and 'An advocate for you' (simpler words for 5 to 10)."""
    if user.role != Role.YOUNG_PERSON:
        return []
    own = services.own_child_row(user, case.id, conference)  # the child, their advocacy and wishes: one statement
    if own is None:
        return []
    child, advocacy, wishes = own
    younger = services.is_younger(services.age_at(child, services.rules_day(case.id, conference)))
    title = _l("Tell us what you think and feel") if younger else _l("Share your wishes and feelings")
    tasks = []
    if conference is None or conference.status != Status.SCHEDULED:
        tasks.append(Task(15, title, CANNOT_START, hint=_l("You can do this when a meeting is planned")))
    else:
        if has_started(conference):
            status, href = (COMPLETED if wishes and wishes.status == "shared" else CANNOT_START), None
            if wishes is not None:
                href = url_for("wishes.read", reference=case.reference, wishes_id=wishes.id)
        else:
            status = NOT_STARTED if wishes is None else (COMPLETED if wishes.status == "shared" else IN_PROGRESS)
            href = url_for("wishes.start", reference=case.reference, conference_id=conference.id, child_id=child.id)
        tasks.append(Task(15, title, status, href=href,
                          hint=_l("You choose who sees each part") if not younger else None))
    allocated = advocacy is not None and advocacy.advocate_participant_id is not None
    tasks.append(Task(40, _l("An advocate for you"), COMPLETED if allocated else NOT_STARTED,
                      href=url_for("wishes.my_advocate", reference=case.reference),
                      hint=_l("Someone on your side, to help you say what you think")))
    return tasks


def _has_read(user, wishes) -> bool:
    return audit.has_done(user, "wishes.read", wishes.id, object_kind="wishes")


@task_provider
def parent_tasks(user, case, conference) -> list[Task]:
    """A parent's consent to an advocate for a child under 16; the parts of a child's wishes shared with them."""
    if user.role not in (Role.PARENT, Role.CARER):
        return []
    tasks = []
    if user.role == Role.PARENT:
        for row in services.children_advocacy(case.id, conference):
            if row.advocacy is not None and row.advocacy.consent is None and services.may_consent(user, row.child):
                tasks.append(Task(35, _("An advocate for %(name)s: do you agree?", name=row.child.first_name), NOT_STARTED,
                                  href=url_for("wishes.advocacy_consent", reference=case.reference, child_id=row.child.id)))
    if conference is not None:
        for readable in services.readable_for(user, conference):
            title = Markup(_("Read what %(name)s wants you to know", name=isolate(readable.wishes.child.first_name)))
            tasks.append(Task(25, title,
                              COMPLETED if _has_read(user, readable.wishes) else NOT_STARTED,
                              href=url_for("wishes.read", reference=case.reference, wishes_id=readable.wishes.id)))
    return tasks
