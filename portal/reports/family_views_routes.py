"""Routes for a parent's own views: thin, each declaring who may use it.

Only the parent (or carer) who writes them starts, shares and sends them; an advocate the
parent invited may edit the draft. Everyone else gets 404 (portal/access.py).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from portal import drafts
from portal.access import signed_in
from portal.cases.access import get_case_for
from portal.reports.access import get_report_for, get_views_draft_for
from portal.cases.conferences import Status, get_conference_for
from portal.forms import EmptyForm
from portal.i18n import LANGUAGES, isolate
from portal.idempotency import OnceForm
from portal.reports import bp, family_views, services
from portal.reports.forms import VIEWS_HINTS, VIEWS_LABELS, AudienceForm, HelperForm, ViewsForm
from portal.reports.models import VIEWS_SECTIONS
from portal.roles import Role

WRITERS = (Role.PARENT, Role.CARER)
EDITORS = (Role.PARENT, Role.CARER, Role.ADVOCATE)


def _parents_draft(reference: str, report_id: int):
    """The signed-in parent's own views draft (an invited advocate gets 404 here)."""
    case = get_case_for(current_user, reference)
    report = get_views_draft_for(current_user, case, report_id)
    if report.author_id != current_user.id:
        abort(404)
    return case, report


@bp.post("/cases/<reference>/conferences/<int:conference_id>/views")
@signed_in(*WRITERS)
def start_views(reference: str, conference_id: int):
    """Start (or go back to) my views for this conference. A POST, so a GET never creates anything."""
    case = get_case_for(current_user, reference)
    conference = get_conference_for(case, conference_id)
    form = OnceForm()
    if conference.status != Status.SCHEDULED or not form.validate_on_submit():
        abort(404)
    language = str(get_locale() or "en")[:2]
    report = family_views.start_views(conference, current_user, form.key, language if language in LANGUAGES else "en")
    if report.status != "draft":
        return redirect(url_for("reports.views_sent", reference=case.reference, report_id=report.id), code=303)
    return redirect(url_for("reports.edit_views", reference=case.reference, report_id=report.id), code=303)


def _save(form: ViewsForm, report):
    """Save the form as a new version; return (version, conflict): one of them is None."""
    sections = {name: getattr(form, name).data or "" for name in VIEWS_SECTIONS}
    based_on = int(form.based_on.data) if (form.based_on.data or "").isdigit() else 0
    return family_views.save_views(report, current_user, sections, based_on, form.language.data)


@bp.route("/cases/<reference>/views/<int:report_id>", methods=["GET", "POST"])
@signed_in(*EDITORS)
def edit_views(reference: str, report_id: int):
    """Write my views with guided prompts. Saving keeps a version; a second writer's words are never lost."""
    case = get_case_for(current_user, reference)
    report = get_views_draft_for(current_user, case, report_id)
    latest = services.latest_version(report)
    form = ViewsForm(obj=latest if request.method == "GET" else None)
    if request.method == "GET":
        form.based_on.data = str(latest.number)
        form.language.data = report.language or "en"
    conflict = None
    if form.validate_on_submit():
        version, conflict = _save(form, report)
        if version is not None:
            if report.author_id == current_user.id:
                return redirect(url_for("reports.views_audience", reference=case.reference, report_id=report.id), code=303)
            flash(_("Saved. The parent can now read what you wrote and send it when they are ready."), "success")
            return redirect(url_for("reports.edit_views", reference=case.reference, report_id=report.id), code=303)
        form.based_on.data = str(conflict.number)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render_template("reports/views_edit.html", case=case, report=report, form=form, conflict=conflict, latest=latest,
                           sections=VIEWS_SECTIONS, labels=VIEWS_LABELS, hints=VIEWS_HINTS,
                           is_parent=report.author_id == current_user.id, family_page=current_user.is_family), status


@bp.post("/cases/<reference>/views/<int:report_id>/autosave")
@signed_in(*EDITORS)
def autosave_views(reference: str, report_id: int):
    """Save the draft as the person types (htmx). Without htmx, the normal save is used instead."""
    case = get_case_for(current_user, reference)
    report = get_views_draft_for(current_user, case, report_id)
    if not request.headers.get("HX-Request"):
        return redirect(url_for("reports.edit_views", reference=case.reference, report_id=report.id), code=303)
    form = ViewsForm()
    if not form.validate_on_submit():
        response = render_template("reports/_autosave_status.html", problem="invalid", version=None)
        return response, 200, {"Vary": "HX-Request"}
    version, conflict = _save(form, report)
    headers = {"Vary": "HX-Request"} | ({} if conflict else {drafts.SAVED_HEADER: "1"})
    return render_template("reports/_autosave_status.html", version=version, conflict=conflict,
                           problem="conflict" if conflict else None), 200, headers


@bp.route("/cases/<reference>/views/<int:report_id>/helpers", methods=["GET", "POST"])
@signed_in(*WRITERS)
def views_helpers(reference: str, report_id: int):
    """Invite my advocate to help with my views (they can read and change the draft, not send it)."""
    case, report = _parents_draft(reference, report_id)
    advocates = family_views.advocates_of_case(report)
    form = HelperForm()
    form.advocate.choices = [SelectChoice(p.id, isolate(p.user.name)) for p in advocates]
    if form.validate_on_submit():
        if family_views.invite_helper(report, current_user, form.advocate.data):
            flash(_("Invitation sent. They can now help you with your views."), "success")
            return redirect(url_for("reports.edit_views", reference=case.reference, report_id=report.id), code=303)
        form.advocate.errors.append(_("Select who you would like to help you"))
    return render_template("reports/views_helpers.html", case=case, report=report, form=form, advocates=advocates,
                           helpers=family_views.helpers(report), remove_form=EmptyForm(), family_page=True), \
        200 if request.method == "GET" else 400


@bp.post("/cases/<reference>/views/<int:report_id>/helpers/<int:user_id>/remove")
@signed_in(*WRITERS)
def remove_views_helper(reference: str, report_id: int, user_id: int):
    """Stop an advocate's access to my draft."""
    case, report = _parents_draft(reference, report_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    family_views.remove_helper(report, current_user, user_id)
    flash(_("They can no longer see your views."), "success")
    return redirect(url_for("reports.views_helpers", reference=case.reference, report_id=report.id), code=303)


@bp.route("/cases/<reference>/views/<int:report_id>/who-can-read", methods=["GET", "POST"])
@signed_in(*WRITERS)
def views_audience(reference: str, report_id: int):
    """Choose who, beyond the chair and the social worker, may read my views."""
    case, report = _parents_draft(reference, report_id)
    choices = family_views.audience_choices(report)
    form = AudienceForm()
    form.readers.choices = [SelectChoice(p.id, isolate(p.user.name)) for p in choices]
    if request.method == "GET":
        form.readers.data = [p.id for p in family_views.audience(report)]
    if form.validate_on_submit():
        family_views.choose_audience(report, current_user, form.readers.data or [])
        return redirect(url_for("reports.views_check", reference=case.reference, report_id=report.id), code=303)
    return render_template("reports/views_audience.html", case=case, report=report, form=form, choices=choices,
                           family_page=True), 200 if request.method == "GET" else 400


@bp.route("/cases/<reference>/views/<int:report_id>/check", methods=["GET", "POST"])
@signed_in(*WRITERS)
def views_check(reference: str, report_id: int):
    """Check your answers, then send. Only the parent can send; sending twice sends once."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    if report.kind != "family_views" or report.author_id != current_user.id:
        abort(404)
    if report.status != "draft":  # already sent (another tab, a retry): show the receipt
        return redirect(url_for("reports.views_sent", reference=case.reference, report_id=report.id), code=303)
    form = EmptyForm()
    if form.validate_on_submit():
        family_views.submit_views(report, current_user)
        return redirect(url_for("reports.views_sent", reference=case.reference, report_id=report.id), code=303)
    return render_template("reports/views_check.html", case=case, report=report, version=services.latest_version(report),
                           sections=VIEWS_SECTIONS, labels=VIEWS_LABELS, audience=family_views.audience(report),
                           helpers=family_views.helpers(report), form=form, language_name=LANGUAGES.get(report.language or "en"),
                           family_page=True)


@bp.get("/cases/<reference>/views/<int:report_id>/sent")
@signed_in(*WRITERS)
def views_sent(reference: str, report_id: int):
    """The receipt: your views were sent, when, and who can read them."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    if report.kind != "family_views" or report.author_id != current_user.id or report.status != "submitted":
        abort(404)
    return render_template("reports/views_sent.html", case=case, report=report, audience=family_views.audience(report),
                           family_page=True)
