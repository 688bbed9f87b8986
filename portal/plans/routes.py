"""Routes of the plan and the services directory: thin, each declaring who may use it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import drafts
from portal.access import signed_in
from portal.cases.access import get_case_for
from portal.plans.access import get_plan_action_for, get_plan_for
from portal.cases.conferences import conference_day
from portal.db import db
from portal.forms import EmptyForm
from portal.plans import bp, services
from portal.plans.forms import AGREEMENT_LABELS, PROGRESS_LABELS, ActionForm, ServiceForm, YourSayForm, midway_review_form
from portal.plans.models import Service
from portal.roles import Role

PLAN = "/cases/<reference>/conferences/<int:conference_id>/plan"
ACTION = "/cases/<reference>/plan/actions/<int:action_id>"
READERS = (Role.PARENT, Role.CARER, Role.ADVOCATE, Role.SOCIAL_WORKER, Role.PROFESSIONAL, Role.CHAIR, Role.SQA_MANAGER)
WRITERS = (Role.CHAIR, Role.SOCIAL_WORKER)
FAMILY = (Role.PARENT, Role.CARER)


def _labels() -> dict:
    return {"agreement_labels": AGREEMENT_LABELS, "progress_labels": PROGRESS_LABELS}


def _to_plan(case, conference):
    return redirect(url_for("plans.plan", reference=case.reference, conference_id=conference.id), code=303)


@bp.get(PLAN)
@signed_in(*READERS)
def plan(reference: str, conference_id: int):
    """The plan: for the family, each action in plain words and their say on it; for staff, everyone's say."""
    case = get_case_for(current_user, reference)
    conference = get_plan_for(current_user, case, conference_id)
    actions = services.actions_of(conference)
    me = services.may_have_say(current_user, conference)
    staff = current_user.role in (Role.CHAIR, Role.SOCIAL_WORKER, Role.PROFESSIONAL, Role.SQA_MANAGER)
    # The chair, the social worker and the SQA manager see every family member's say; a parent or carer only
    # their own (parents may live apart); other professionals and advocates, none.
    reads_say = services.may_read_say(current_user, conference)
    responses = services.responses_by_action(conference) if reads_say else \
        services.responses_by_action(conference, me) if me is not None else {}
    return render_template(
        "plans/plan.html", case=case, conference=conference, actions=actions, responses=responses, me=me, staff=staff,
        reads_say=reads_say, answered=services.say_status(actions, responses)[0] if me is not None else 0,
        is_plan=services.is_plan(conference), may_write=services.may_write(current_user, conference),
        may_record_midway=services.may_record_midway(current_user, conference),
        family_plans=services.family_plans(conference), midway=services.midway_review_of(conference),
        midway_due_on=services.midway_due_on(conference), review=services.review_conference(conference) if staff else None,
        out_of_date=services.is_out_of_date, family_page=current_user.is_family, **_labels())


@bp.route(PLAN + "/actions/new", methods=["GET", "POST"])
@signed_in(*WRITERS)
def add_action(reference: str, conference_id: int):
    """The chair or the social worker adds an action, during or after the conference."""
    case = get_case_for(current_user, reference)
    conference = get_plan_for(current_user, case, conference_id)
    if not services.may_write(current_user, conference):
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        services.add_action(conference, current_user, impact=form.impact.data, action=form.action.data,
                            by_whom=form.by_whom.data, due_on=form.due_on.data)
        flash(_("Action added to the plan."), "success")
        return _to_plan(case, conference)
    return render_template("plans/action_form.html", case=case, conference=conference, form=form, row=None), \
        200 if request.method == "GET" else 400


@bp.route(ACTION, methods=["GET", "POST"])
@signed_in(*WRITERS)
def edit_action(reference: str, action_id: int):
    """Change an action's words. What the family said about the old words is kept and marked as such."""
    case = get_case_for(current_user, reference)
    row, conference = get_plan_action_for(current_user, case, action_id)
    if not services.may_write(current_user, conference):
        abort(404)
    # The saved words fill the form only to show it: a POST is judged on what was sent.
    form = ActionForm(obj=row) if request.method == "GET" else ActionForm()
    if form.validate_on_submit():
        services.change_action(row, current_user, impact=form.impact.data, action=form.action.data,
                               by_whom=form.by_whom.data, due_on=form.due_on.data)
        flash(_("Action saved."), "success")
        return _to_plan(case, conference)
    return render_template("plans/action_form.html", case=case, conference=conference, form=form, row=row,
                           remove_form=EmptyForm(), can_remove=not services.has_answers(row)), \
        200 if request.method == "GET" else 400


@bp.post(ACTION + "/remove")
@signed_in(*WRITERS)
def remove_action(reference: str, action_id: int):
    """Take an action off the plan while no one in the family has had their say on it."""
    case = get_case_for(current_user, reference)
    row, conference = get_plan_action_for(current_user, case, action_id)
    if not services.may_write(current_user, conference):
        abort(404)
    if EmptyForm().validate_on_submit():
        if services.remove_action(row, current_user):
            flash(_("Action taken off the plan."), "success")
        else:
            flash(_("The family has had their say on this action, so it stays on the plan. You can change its words."), "info")
    return _to_plan(case, conference)


YOUR_SAY_FIELDS = ("agreement", "comment", "service", "no_service_why")


@bp.route(ACTION + "/your-say", methods=["GET", "POST"])
@signed_in(*FAMILY)
def your_say(reference: str, action_id: int):
    """A parent or carer agrees, agrees with a change, or disagrees and says why; and chooses a service."""
    case = get_case_for(current_user, reference)
    row, conference = get_plan_action_for(current_user, case, action_id)
    me = services.may_have_say(current_user, conference)
    if me is None:
        abort(404)
    given = services.response_of(row, me)
    form = YourSayForm()
    draft_key = f"plan-action:{row.id}:your-say"
    if drafts.autosaving():
        return drafts.autosave(current_user, draft_key, form, YOUR_SAY_FIELDS, extra=("seen",))
    if request.method == "GET" and given is not None:
        form.agreement.data, form.comment.data = given.agreement, given.comment
        form.service.data = str(given.service_id) if given.service_id else (services.NO_SERVICE_FITS if given.no_service_why else None)
        form.no_service_why.data = given.no_service_why
    seen = row.changed_at.isoformat()
    if request.method == "GET":
        drafts.restore(form, drafts.find(current_user, draft_key))  # what they typed since, not yet saved
        if form.draft is not None:
            # Typed against the words of the action as they were then: if they changed, the person is
            # told, and sending it is refused until they have read the action again.
            seen = form.draft.fields.get("seen", seen)
    choices = services.active_services()
    if given is not None and given.service is not None and given.service not in choices:
        choices.append(given.service)  # a service that closed since stays their answer
    form.set_services(choices)
    # The words the person answered are the ones on their screen: if the action changed while they typed,
    # they read it again (their words are kept).
    stale = False
    if form.validate_on_submit() and request.form.get("seen") != row.changed_at.isoformat():
        stale = True
        flash(_("The action changed after you answered. Check your answer."), "info")
    elif form.validate_on_submit():
        services.have_say(row, me, current_user, agreement=form.agreement.data, comment=form.comment.data or "",
                          service=form.service.data, no_service_why=form.no_service_why.data or "")
        drafts.discard(current_user, draft_key)
        flash(_("Your answer is saved. The chair and your social worker will see it."), "success")
        return _to_plan(case, conference)
    return render_template("plans/your_say.html", case=case, conference=conference, row=row, form=form, given=given,
                           choices=choices, out_of_date=(given is not None and services.is_out_of_date(row, given))
                           or seen != row.changed_at.isoformat(),
                           seen=seen if request.method == "GET" else row.changed_at.isoformat(), family_page=True, **_labels()), \
        200 if request.method == "GET" else 409 if stale else 400


@bp.route(PLAN + "/midway-review", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER)
def midway_review(reference: str, conference_id: int):
    """The social worker records the midway review: progress on each action; the family sees it on the plan."""
    case = get_case_for(current_user, reference)
    conference = get_plan_for(current_user, case, conference_id)
    if not services.may_record_midway(current_user, conference):
        abort(404)
    actions = services.actions_of(conference)
    form = midway_review_form(actions, conference_day(conference), request.form if request.method == "POST" else None)
    review = services.midway_review_of(conference)
    if request.method == "GET":
        form.held_on.data = review.held_on if review else None
        for row in actions:
            form[f"progress_{row.id}"].data, form[f"note_{row.id}"].data = row.progress, row.progress_note
    if form.validate_on_submit():
        services.record_midway(conference, current_user, form.held_on.data,
                               {row.id: (form[f"progress_{row.id}"].data, form[f"note_{row.id}"].data) for row in actions})
        flash(_("Midway review saved. The family can see how each action is going."), "success")
        return _to_plan(case, conference)
    return render_template("plans/midway_review.html", case=case, conference=conference, actions=actions, form=form,
                           due_on=services.midway_due_on(conference), review=services.review_conference(conference),
                           **_labels()), 200 if request.method == "GET" else 400


# --- the services directory --------------------------------------------------------------------

@bp.get("/services")
@signed_in(Role.SQA_MANAGER, Role.CHAIR, Role.SOCIAL_WORKER)
def service_list():
    """The local services families choose from. The SQA manager keeps it; chairs and social workers read it."""
    manager = current_user.role == Role.SQA_MANAGER
    return render_template("plans/services.html", services=services.all_services() if manager else services.active_services(),
                           manager=manager)


@bp.route("/services/new", methods=["GET", "POST"])
@signed_in(Role.SQA_MANAGER)
def new_service():
    """Add a service to the directory."""
    return _service_form(None)


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@signed_in(Role.SQA_MANAGER)
def edit_service(service_id: int):
    """Change a service, or take it off the list families choose from."""
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    return _service_form(service)


def _service_form(service: Service | None):
    form = ServiceForm(obj=service) if request.method == "GET" else ServiceForm()
    if form.validate_on_submit():
        services.save_service(service, current_user, name=form.name.data, offers=form.offers.data,
                              languages=form.languages.data or None, where=form.where.data or None,
                              contact=form.contact.data, active=form.active.data)
        flash(_("Service saved."), "success")
        return redirect(url_for("plans.service_list"), code=303)
    return render_template("plans/service_form.html", form=form, service=service), 200 if request.method == "GET" else 400

