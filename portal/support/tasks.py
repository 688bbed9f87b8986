"""The support feature's lines on the family's home page: 'Ask for support', then each request with its status."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.access import participant_for
from portal.home import NOT_STARTED, Task, task_provider
from portal.support import services
from portal.support.labels import KIND_LABELS, status_tag


@task_provider
def support_tasks(user, case, conference) -> list[Task]:
    """Source: issue "Support" (requests appear on the family's home with their status)."""
    if conference is None:
        return []
    participant = participant_for(user, case.id)
    if participant is None or participant.role not in services.ASKING_ROLES:
        return []
    tasks = [Task(40, _l("Ask for support"), NOT_STARTED,
                  href=url_for("support.index", reference=case.reference, conference_id=conference.id),
                  hint=_l("An advocate, an interpreter, someone to come with you, and more"),
                  own_status={"text": _l("If you need it")})]
    for number, request in enumerate(services.requests_for_conference(conference, user)):
        waiting = bool(services.answers_for(request)) and request.status == services.Status.OFFERED
        tasks.append(Task(40 + (number + 1) / 1000, KIND_LABELS[request.kind], NOT_STARTED,
                          href=url_for("support.detail", reference=case.reference, request_id=request.id),
                          hint=_l("Tell us your answer") if waiting else None,
                          own_status={"tag": status_tag(request)}))
    return tasks
