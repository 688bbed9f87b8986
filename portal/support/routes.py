"""Routes for support: thin, each declaring who may use it; the rules live in services.py."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import audit
from portal.access import participant_for, signed_in
from portal.cases.access import get_case_for
from portal.support.access import get_support_request_for
from portal.cases import conferences
from portal.cases.conference_forms import KIND_LABELS as CONFERENCE_KIND_LABELS
from portal.db import db
from portal.idempotency import OnceForm
from portal.navigation import safe_next_url
from portal.roles import Role
from portal.support import bp, services
from portal.support.forms import (
    ACCESS_NEED_LABELS,
    APPEAL_DECISION_LABELS,
    DEBRIEF_WITH_LABELS,
    INTERPRETER_PURPOSE_LABELS,
    OTHER_PLACE,
    AccessNeedsForm,
    AnswerForm,
    AppealForm,
    DebriefForm,
    DecideForm,
    InterpreterForm,
    OfferForm,
    SupporterForm,
    VenueForm,
)
from portal.support.labels import KIND_HINTS, KIND_LABELS, status_tag
from portal.support.models import SupportRequest
from portal.support.services import Kind, Status
from portal.cases.models import Conference

BASE = "/cases/<reference>/conferences/<int:conference_id>/support"
FAMILY = (Role.PARENT, Role.CARER)
DECIDERS = (Role.SOCIAL_WORKER, Role.CHAIR, Role.SQA_MANAGER)


def _labels() -> dict:
    """What every support template needs to name things."""
    return {"kind_labels": KIND_LABELS, "kind_hints": KIND_HINTS, "status_tag": status_tag,
            "purpose_labels": INTERPRETER_PURPOSE_LABELS, "access_labels": ACCESS_NEED_LABELS,
            "debrief_labels": DEBRIEF_WITH_LABELS, "appeal_labels": APPEAL_DECISION_LABELS,
            "conference_kind_labels": CONFERENCE_KIND_LABELS, "appeal_reference": services.appeal_reference}


def _conference(reference: str, conference_id: int):
    case = get_case_for(current_user, reference)
    return case, conferences.get_conference_for(case, conference_id)


def _back_to_support(case, conference):
    return redirect(url_for("support.index", reference=case.reference, conference_id=conference.id), code=303)


@bp.get(BASE)
@signed_in(*FAMILY, *DECIDERS)
def index(reference: str, conference_id: int):
    """The family's support page (what they can ask for, and their requests); for staff, the family's requests."""
    case, conference = _conference(reference, conference_id)
    participant = participant_for(current_user, case.id)
    staff = services.sees_case_requests(current_user, conference)
    if not staff and (participant is None or participant.role not in services.ASKING_ROLES):
        abort(404)
    askable = services.askable(participant, conference)
    return render_template(
        "support/index.html", case=case, conference=conference, staff=staff,
        requests=services.requests_for_conference(conference, current_user),
        askable=[kind for kind in askable if kind != Kind.BREAK],
        can_ask_break=Kind.BREAK in askable, break_form=OnceForm(),
        can_offer=services.is_social_worker(current_user, case.id) and conference.status == conferences.Status.SCHEDULED,
        can_review_advocacy=services.is_chair(current_user, conference) and conference.status == conferences.Status.SCHEDULED,
        flags=services.flags_for([conference])[conference.id] if staff else None,
        family_page=current_user.is_family, **_labels(),
    )


ASK_FORMS = {
    Kind.SUPPORTER: SupporterForm, Kind.INTERPRETER: InterpreterForm, Kind.ACCESS_NEEDS: AccessNeedsForm,
    Kind.VENUE: VenueForm, Kind.DEBRIEF: DebriefForm, Kind.APPEAL: AppealForm, Kind.ADVOCACY: OnceForm,
}
# Only after the conference has taken place: the form shows, with the reason it cannot be sent yet.
AFTER_THE_CONFERENCE = (Kind.DEBRIEF, Kind.APPEAL)


def _details_from(kind: str, form) -> dict:
    """What the person asked for, from the form, trimmed."""
    def text(field) -> str:
        return (field.data or "").strip()

    if kind == Kind.SUPPORTER:
        return {"name": text(form.name), "relationship": text(form.relationship)}
    if kind == Kind.INTERPRETER:
        return {"language": text(form.language), "dialect": text(form.dialect), "preferred": text(form.preferred),
                "purposes": [p for p in form.purposes.data if p in INTERPRETER_PURPOSE_LABELS]}
    if kind == Kind.ACCESS_NEEDS:
        return {"needs": [n for n in form.needs.data or [] if n in ACCESS_NEED_LABELS], "other": text(form.other)}
    if kind == Kind.VENUE:
        if form.venue.data == OTHER_PLACE:
            return {"other_place": text(form.other_place), "why": text(form.why)}
        return {"venue_id": int(form.venue.data)}
    if kind == Kind.DEBRIEF:
        return {"with": form.with_whom.data, "about": text(form.about)}
    if kind == Kind.APPEAL:
        return {"decision": form.decision.data, "why": text(form.why), "wish": text(form.wish)}
    return {}


def _fill_from(kind: str, form, details: dict) -> None:
    """Show what the person asked for before, so they can change it."""
    simple = {"name": "name", "relationship": "relationship", "language": "language", "dialect": "dialect",
              "preferred": "preferred", "purposes": "purposes", "needs": "needs", "other": "other",
              "other_place": "other_place", "why": "why", "with": "with_whom", "about": "about", "decision": "decision", "wish": "wish"}
    for key, value in details.items():
        if key in simple and hasattr(form, simple[key]):
            getattr(form, simple[key]).data = value
    if kind == Kind.VENUE:
        form.venue.data = str(details["venue_id"]) if details.get("venue_id") else (OTHER_PLACE if details.get("other_place") else None)


@bp.route(BASE + "/ask/<kind>", methods=["GET", "POST"])
@signed_in(*FAMILY)
def ask(reference: str, conference_id: int, kind: str):
    """Ask for one kind of support. Bad input keeps what was typed; nothing is saved until it is right."""
    case, conference = _conference(reference, conference_id)
    participant = participant_for(current_user, case.id)
    if kind not in ASK_FORMS or participant is None or participant.role not in services.ASKING_ROLES:
        abort(404)
    allowed = kind in services.askable(participant, conference)
    not_yet = kind in AFTER_THE_CONFERENCE and not allowed and conference.status == conferences.Status.SCHEDULED
    # The moment passed while they typed (the conference started, or was held): keep their words, say why.
    too_late = not allowed and not not_yet and request.method == "POST"
    if not allowed and not not_yet and not too_late:
        abort(404)
    form = ASK_FORMS[kind]()
    if kind == Kind.VENUE:
        form.set_choices(services.venue_choices())
    existing = services.open_request(conference, participant, kind) if kind in services.ONE_OPEN_REQUEST else None
    if existing is not None and (existing.status != Status.ASKED or kind == Kind.APPEAL):
        # An offer to answer, or something already being worked on: show it rather than ask twice.
        return redirect(url_for("support.detail", reference=case.reference, request_id=existing.id), code=303)
    if request.method == "GET" and existing is not None:
        _fill_from(kind, form, existing.details)
    if request.method == "POST":
        valid = form.validate_on_submit()
        if not_yet or too_late:
            first = next((f for f in form if f.type not in ("CSRFTokenField", "HiddenField", "SubmitField")), None)
            message = _("You can send this once the conference has taken place. What you typed is still below.") if not_yet \
                else _("You can no longer ask for this for this conference. What you typed is still below.")
            if first is None:
                flash(message, "info")
                return _back_to_support(case, conference)
            first.errors = list(first.errors) + [message]
        elif valid:
            services.ask(conference, participant, current_user, kind, _details_from(kind, form), form.key)
            flash(_("Sent. You can see what happens next on this page."), "success")
            return _back_to_support(case, conference)
    return render_template("support/ask.html", case=case, conference=conference, form=form, kind=kind, not_yet=not_yet,
                           existing=existing, family_page=True, **_labels()), 200 if request.method == "GET" else 400


@bp.post(BASE + "/break")
@signed_in(*FAMILY)
def ask_for_break(reference: str, conference_id: int):
    """'I need a break': the chair's conference page shows it within seconds. Logged with the time."""
    case, conference = _conference(reference, conference_id)
    participant = participant_for(current_user, case.id)
    if participant is None or participant.role not in services.ASKING_ROLES:
        abort(404)
    form = OnceForm()
    if not form.validate_on_submit():
        abort(400)
    if Kind.BREAK not in services.askable(participant, conference):
        flash(_("You can ask for a break while the conference is happening."), "info")
    else:
        services.ask(conference, participant, current_user, Kind.BREAK, {}, form.key)
        flash(_("The chair has been told you need a break."), "success")
    return redirect(url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id), code=303)


@bp.get(BASE + "/breaks")
@signed_in(Role.CHAIR)
def breaks(reference: str, conference_id: int):
    """The chair's live list of breaks asked for (htmx polls this; without JavaScript, the page is refreshed)."""
    case, conference = _conference(reference, conference_id)
    if not services.is_chair(current_user, conference):
        abort(404)
    return render_template("support/_breaks.html", case=case, conference=conference,
                           breaks=services.breaks_asked(conference), give_form=DecideForm(), **_labels())


@bp.route(BASE + "/offer/<kind>", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER, Role.CHAIR)
def offer(reference: str, conference_id: int, kind: str):
    """The social worker records offering advocacy or an FGC (and the answer); the chair records reviewing
    advocacy with a parent who had not taken it up."""
    case, conference = _conference(reference, conference_id)
    social_worker = services.is_social_worker(current_user, case.id)
    chair_review = services.is_chair(current_user, conference) and kind == Kind.ADVOCACY
    if kind not in (Kind.ADVOCACY, Kind.FGC) or not (social_worker or chair_review) \
            or conference.status != conferences.Status.SCHEDULED:
        abort(404)
    form = OfferForm()
    answers = services.offer_answers(conference, kind, chair_review=chair_review and not social_worker)
    people = services.family_of(conference)
    form.set_choices(people, answers)
    if chair_review and not social_worker:
        form.answer.validators = []
    if form.validate_on_submit():
        if chair_review and not social_worker and not form.answer.data:
            form.answer.errors = [_("Select their answer")]
        else:
            participant = next(p for p in people if str(p.id) == form.participant.data)
            if chair_review and not social_worker:
                services.chair_review_advocacy(conference, participant, current_user, form.offered_on.data,
                                               form.answer.data == Status.ACCEPTED)
            else:
                services.offer(conference, participant, current_user, kind, form.offered_on.data, form.answer.data or None)
            flash(_("Saved."), "success")
            return _back_to_support(case, conference)
    return render_template("support/offer.html", case=case, conference=conference, form=form, kind=kind,
                           chair_review=chair_review and not social_worker, **_labels()), \
        200 if request.method == "GET" else 400


@bp.route("/cases/<reference>/support/<int:request_id>", methods=["GET", "POST"])
@signed_in(*FAMILY, *DECIDERS)
def detail(reference: str, request_id: int):
    """One request: what was asked, where it stands, its history; its owner decides here."""
    case = get_case_for(current_user, reference)
    support_request = get_support_request_for(current_user, case, request_id)
    can_decide = services.can_decide(current_user, support_request)
    form = DecideForm()
    form.set_choices(support_request, services.advocates_free_for(support_request.conference, support_request.participant_id)
                     if support_request.kind == Kind.ADVOCACY else [])
    if request.method == "POST":
        if not can_decide:
            abort(404)
        if form.validate_on_submit():
            details = {}
            if form.status.data == Status.ARRANGED and support_request.kind == Kind.INTERPRETER:
                details = {"interpreter_name": form.interpreter_name.data.strip(), "confirmed_on": form.confirmed_on.data.isoformat()}
            if form.status.data == Status.ARRANGED and support_request.kind == Kind.ADVOCACY:
                details = {"advocate_participant_id": int(form.advocate.data)}
            if form.status.data == Status.ARRANGED and support_request.kind == Kind.FGC:
                details = {"family_plan": form.family_plan.data.strip(), "for_plan": True}
            try:
                services.decide(support_request, current_user, form.status.data, (form.reason.data or "").strip(), details)
            except services.AlreadyDecided:
                flash(_("This was changed by someone else at the same time. Check it below."), "info")
                return redirect(url_for("support.detail", reference=case.reference, request_id=support_request.id), code=303)
            flash(_("Decision saved. The family can see it."), "success")
            back = url_for("support.detail", reference=case.reference, request_id=support_request.id)
            return redirect(safe_next_url(request.form.get("next"), back), code=303)
    answer_form = AnswerForm()
    answers = services.answers_for(support_request) if support_request.participant.user_id == current_user.id else ()
    answer_form.set_choices(answers)
    return render_template("support/detail.html", case=case, conference=support_request.conference, item=support_request,
                           form=form, can_decide=can_decide, answer_form=answer_form, answers=answers,
                           chosen_venue=services.chosen_venue(support_request),
                           family_page=current_user.is_family, **_labels()), 200 if request.method == "GET" else 400


@bp.post("/cases/<reference>/support/<int:request_id>/answer")
@signed_in(*FAMILY)
def answer(reference: str, request_id: int):
    """The family member answers an offer of advocacy or an FGC, or changes their mind, until the conference."""
    case = get_case_for(current_user, reference)
    support_request = get_support_request_for(current_user, case, request_id)
    answers = services.answers_for(support_request) if support_request.participant.user_id == current_user.id else ()
    if not answers:
        abort(404)
    answer_form = AnswerForm()
    answer_form.set_choices(answers)
    if answer_form.validate_on_submit():
        services.answer(support_request, current_user, answer_form.answer.data)
        flash(_("Thank you. Your answer has been sent."), "success")
        return redirect(url_for("support.detail", reference=case.reference, request_id=support_request.id), code=303)
    # The answer form is the page's form here, so the layout shows its error summary and "Error:" in the title.
    return render_template("support/detail.html", case=case, conference=support_request.conference, item=support_request,
                           form=answer_form, can_decide=False, answer_form=answer_form, answers=answers,
                           chosen_venue=services.chosen_venue(support_request), family_page=True, **_labels()), 400


@bp.get("/appeals")
@signed_in(Role.SQA_MANAGER)
def appeals():
    """The SQA manager's queue: every appeal, those still open first."""
    from sqlalchemy.orm import joinedload

    rows = list(db.session.scalars(
        select(SupportRequest).options(joinedload(SupportRequest.conference).joinedload(Conference.case))
        .where(SupportRequest.kind == Kind.APPEAL.value).order_by(SupportRequest.created_at.desc()).limit(500)))
    rows.sort(key=lambda row: row.status == Status.ANSWERED)
    audit.record("support.appeals.list", actor=current_user, object_kind="support_request", outcome="sqa_access")
    db.session.commit()
    return render_template("support/appeals.html", appeals=rows, **_labels())
