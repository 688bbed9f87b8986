"""Routes for feedback after a conference: thin, each declaring who may use it."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit
from portal import drafts
from portal.access import participant_for, signed_in
from portal.cases.access import get_case_for
from portal.cases.conferences import Status, get_conference_for
from portal.db import db
from portal.feedback import bp, services
from portal.feedback.forms import (
    ADULT_QUESTIONS,
    ANSWER_LABELS,
    CHILD_QUESTIONS,
    QUESTION_TITLES,
    RESPONDENT_LABELS,
    RESPONDENT_ONE,
    AdultFeedbackForm,
    ChangeForm,
    ChildFeedbackForm,
)
from portal.feedback.models import ReviewChange
from portal.forms import EmptyForm
from portal.roles import Role
from portal.wishes.services import age_at, is_younger, own_child, rules_day
from portal.support import services as support


def _draft_key(conference) -> str:
    return f"conference:{conference.id}:feedback"


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
    draft_key = _draft_key(conference)
    if drafts.autosaving():  # already sent (in another tab): nothing to keep
        return drafts.autosave(current_user, draft_key, form, (*services.QUESTIONS, "do_better")) if given is None else ("", 204)
    if given is None and form.validate_on_submit():
        services.give(conference, current_user, "young_person", {q: form[q].data for q in services.QUESTIONS},
                      form.do_better.data, child_friendly=True)
        drafts.discard(current_user, draft_key)
        return redirect(url_for("feedback.young_person", reference=case.reference, conference_id=conference.id), code=303)
    if request.method == "GET" and given is None:
        drafts.restore(form, drafts.find(current_user, draft_key))
    younger = is_younger(age_at(child, rules_day(case.id, conference)))
    return render_template("feedback/young_person.html", case=case, conference=conference, form=form, given=given,
                           questions=services.QUESTIONS, labels=CHILD_QUESTIONS, younger=younger, family_page=True), \
        200 if request.method == "GET" or given is not None else 400


# --- the adults' form ------------------------------------------------------------------------

ADULTS = (Role.PARENT, Role.CARER, Role.PROFESSIONAL, Role.SOCIAL_WORKER, Role.ADVOCATE)
REVIEWERS = (Role.CHAIR, Role.SQA_MANAGER)


def _debrief(case, conference) -> dict | None:
    """The debrief conversation, offered from the feedback page to a parent or carer (issue "Support")."""
    participant = participant_for(current_user, case.id)
    if participant is None or participant.role not in support.ASKING_ROLES:
        return None
    asked = support.latest_of_kind(conference, participant, support.Kind.DEBRIEF)
    if asked is not None:
        return {"asked": True, "href": url_for("support.detail", reference=case.reference, request_id=asked.id)}
    if support.Kind.DEBRIEF in support.askable(participant, conference):
        return {"asked": False, "href": url_for("support.ask", reference=case.reference, conference_id=conference.id, kind="debrief")}
    return None


@bp.route("/cases/<reference>/conferences/<int:conference_id>/feedback", methods=["GET", "POST"])
@signed_in(*ADULTS)
def give_feedback(reference: str, conference_id: int):
    """A parent, carer or professional says how the conference went: once. A parent may keep their name from the chair."""
    case = get_case_for(current_user, reference)
    conference = get_conference_for(case, conference_id)
    respondent = services.respondent_for(current_user, conference)
    if respondent is None:
        abort(404)
    given = services.feedback_of(conference, current_user)
    form = AdultFeedbackForm()
    draft_key = _draft_key(conference)
    status = 200
    if drafts.autosaving():  # already sent (in another tab): nothing to keep
        return drafts.autosave(current_user, draft_key, form, (*services.QUESTIONS, "do_better", "anonymous")) if given is None else ("", 204)
    if request.method == "GET" and given is None:
        drafts.restore(form, drafts.find(current_user, draft_key))
    if request.method == "POST" and given is not None:
        status = 409  # one answer per person per conference: the first stands
    elif form.validate_on_submit():
        anonymous = bool(form.anonymous.data) and respondent in services.MAY_BE_ANONYMOUS
        services.give(conference, current_user, respondent, {q: form[q].data for q in services.QUESTIONS},
                      form.do_better.data, anonymous=anonymous)
        drafts.discard(current_user, draft_key)
        return redirect(url_for("feedback.give_feedback", reference=case.reference, conference_id=conference.id), code=303)
    elif request.method == "POST":
        status = 400
    return render_template("feedback/give.html", case=case, conference=conference, form=form, given=given,
                           respondent=respondent, may_be_anonymous=respondent in services.MAY_BE_ANONYMOUS,
                           questions=services.QUESTIONS, labels=ADULT_QUESTIONS, answer_labels=ANSWER_LABELS,
                           debrief=_debrief(case, conference), family_page=current_user.is_family), status


# --- the chair's review ----------------------------------------------------------------------

def _reviewed_conference(reference: str, conference_id: int):
    case = get_case_for(current_user, reference)
    conference = get_conference_for(case, conference_id)
    if not services.may_review(current_user, conference):
        abort(404)
    return case, conference


@bp.get("/cases/<reference>/conferences/<int:conference_id>/feedback/review")
@signed_in(*REVIEWERS)
def conference_review(reference: str, conference_id: int):
    """One conference's answers side by side, and what the chair will change for the review conference."""
    case, conference = _reviewed_conference(reference, conference_id)
    return _review_page(case, conference, ChangeForm(), 200)


def _review_page(case, conference, form, status):
    audit.record_read("feedback.read", actor=current_user, object_kind="conference", object_id=conference.id,
                      case_id=case.id)
    return render_template("feedback/review.html", case=case, conference=conference, rows=services.for_conference(conference), questions=services.QUESTIONS, titles=QUESTION_TITLES,
                           answer_labels=ANSWER_LABELS, respondent_one=RESPONDENT_ONE,
                           changes=services.changes_for(conference), form=form, remove_form=EmptyForm(),
                           is_chair=conference.chair_id == current_user.id), status


@bp.post("/cases/<reference>/conferences/<int:conference_id>/feedback/changes")
@signed_in(Role.CHAIR)
def add_change(reference: str, conference_id: int):
    """The chair records one thing to change for the review conference; the family sees it."""
    case, conference = _reviewed_conference(reference, conference_id)
    if conference.chair_id != current_user.id:
        abort(404)
    form = ChangeForm()
    if form.validate_on_submit():
        services.add_change(conference, current_user, form.text.data)
        flash(_("Saved. The family will see this on the page about their review conference."), "success")
        return redirect(url_for("feedback.conference_review", reference=case.reference, conference_id=conference.id), code=303)
    return _review_page(case, conference, form, 400)


@bp.post("/cases/<reference>/feedback/changes/<int:change_id>/remove")
@signed_in(Role.CHAIR)
def remove_change(reference: str, change_id: int):
    """The chair takes back a change they recorded."""
    case = get_case_for(current_user, reference)
    change = db.session.get(ReviewChange, change_id)
    if change is None or change.case_id != case.id:
        abort(404)
    conference = get_conference_for(case, change.conference_id)
    if conference.chair_id != current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.remove_change(change, current_user)
    return redirect(url_for("feedback.conference_review", reference=case.reference, conference_id=conference.id), code=303)


def _respondent_filter() -> str | None:
    value = request.args.get("who", "")
    return value if value in services.RESPONDENTS else None


@bp.get("/feedback")
@signed_in(*REVIEWERS)
def overview():
    """Each question over time, as a chart with its numbers in a table beside it: the chair's conferences;
    for the SQA manager, all of them."""
    who = _respondent_filter()
    audit.record("feedback.overview", actor=current_user, object_kind="feedback", object_id=who or "all")
    db.session.commit()
    return render_template("feedback/overview.html", charts=services.over_time(current_user, who), who=who,
                           titles=QUESTION_TITLES, respondent_labels=RESPONDENT_LABELS,
                           conferences=services.reviewable_conferences(current_user))


@bp.get("/feedback/feedback.csv")
@signed_in(*REVIEWERS)
def export():
    """The answers as a spreadsheet (CSV), with the same filter; anonymous answers carry no name."""
    who = _respondent_filter()
    out = io.StringIO()
    csv.writer(out).writerows(services.export_rows(current_user, who))
    audit.record("feedback.export", actor=current_user, object_kind="feedback", object_id=who or "all")
    db.session.commit()
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="feedback.csv"'})
