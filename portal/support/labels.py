"""Names shown for support kinds and statuses: one place, so the family's pages and the staff's say the same."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.support.services import Kind, Status

KIND_LABELS = {
    # i18n: names of things a parent can ask for, shown as links and as task names on the home page
    Kind.ADVOCACY: _l("An advocate"),
    Kind.SUPPORTER: _l("Someone to come with you"),
    Kind.INTERPRETER: _l("An interpreter"),
    Kind.ACCESS_NEEDS: _l("Help to take part (access needs)"),
    Kind.VENUE: _l("Where the review conference is held"),
    Kind.FGC: _l("A family group conference"),
    Kind.BREAK: _l("A break during the conference"),
    Kind.DEBRIEF: _l("A talk after the conference"),
    Kind.APPEAL: _l("An appeal against a decision"),
}

# Shown to the family beside each thing they can ask for.
KIND_HINTS = {
    Kind.ADVOCACY: _l("Someone independent who helps you say what you think and write your views."),
    Kind.SUPPORTER: _l("A friend or relative who comes to the conference with you. The chair decides."),
    Kind.INTERPRETER: _l("In your language and dialect, free of charge."),
    Kind.ACCESS_NEEDS: _l("For example step-free access, a hearing loop, a quiet room, childcare or travel costs."),
    Kind.VENUE: _l("Choose where the review conference is held, or suggest somewhere else."),
    Kind.DEBRIEF: _l("Talk about how the conference went and what was decided, with the chair or your social worker."),
    Kind.APPEAL: _l("If you disagree with a decision, the Safeguarding and Quality Assurance team will look at it again."),
}

# (label, tag colour class). The family reads these as the status of what they asked for.
# i18n: statuses below are short tags beside a request ("Asked", "Agreed" ...): keep them to one or two words.
STATUS_TAGS = {
    # i18n: status of a family's request: sent, not decided yet
    Status.ASKED: (_l("Asked"), "govuk-tag--blue"),
    Status.OFFERED: (_l("Offered"), "govuk-tag--blue"),
    # i18n: the family member said yes to an offer (of an advocate or a family group conference)
    Status.ACCEPTED: (_l("Said yes"), "govuk-tag--light-blue"),
    # i18n: the family member said no to an offer
    Status.DECLINED: (_l("Said no"), "govuk-tag--grey"),
    Status.INSTEAD: (_l("Chose a family group conference instead"), "govuk-tag--light-blue"),
    # i18n: status of a family's request (an interpreter, a supporter...): staff said yes to it
    Status.AGREED: (_l("Agreed"), "govuk-tag--green"),
    # i18n: status of a request: the council has organised it (an interpreter booked, a talk set up)
    Status.ARRANGED: (_l("Arranged"), "govuk-tag--green"),
    Status.NOT_AGREED: (_l("Not agreed"), "govuk-tag--red"),
    Status.IN_REVIEW: (_l("Being looked at"), "govuk-tag--light-blue"),
    # i18n: status of an appeal: the team has decided and written its answer
    Status.ANSWERED: (_l("Answered"), "govuk-tag--green"),
}
STATUS_OVERRIDES = {
    (Kind.BREAK, Status.ARRANGED): _l("Break given"),
    # i18n: status of a family group conference: the meeting has happened
    (Kind.FGC, Status.ARRANGED): _l("Took place"),
}


def status_tag(request=None, *, kind: str | None = None, status: str | None = None) -> dict:
    """The GOV.UK tag parameters for a request's status (or for one step of its history)."""
    kind = kind or request.kind
    status = status or request.status
    text, colour = STATUS_TAGS[status]
    return {"text": STATUS_OVERRIDES.get((kind, status), text), "classes": colour}
