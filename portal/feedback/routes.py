"""Routes for feedback after a conference: thin, each declaring who may use it."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import get_case_for, signed_in
from portal.cases.conferences import Status, get_conference_for
from portal.feedback import bp, services
from portal.feedback.forms import CHILD_QUESTIONS, ChildFeedbackForm
from portal.roles import Role
from portal.wishes.services import age_at, is_younger, own_child, rules_day


@bp.route("/cases/<reference>/conferences/<int:conference_id>/feedback/young-person", methods=["GET", "POST"])
@signed_in(Role.YOUNG_PERSON)
def young_person(reference: str, conference_id: int):
    """A young person says how the meeting went: four questions with faces, and one thing to do better."""
    case = get_case_for(current_user, reference)
    conference = get_conference_for(case, conference_id)
    child = own_child(current_user, case.id)
    if child is None or conference.status != Status.HELD:
        abort(404)
    given = services.feedback_of(conference, current_user)
    form = ChildFeedbackForm()
    if given is None and form.validate_on_submit():
        services.give(conference, current_user, "young_person", {q: form[q].data for q in services.QUESTIONS},
                      form.do_better.data, child_friendly=True)
        return redirect(url_for("feedback.young_person", reference=case.reference, conference_id=conference.id), code=303)
    younger = is_younger(age_at(child, rules_day(case.id, conference)))
    return render_template("feedback/young_person.html", case=case, conference=conference, form=form, given=given,
                           questions=services.QUESTIONS, labels=CHILD_QUESTIONS, younger=younger, family_page=True), \
        200 if request.method == "GET" or given is not None else 400
