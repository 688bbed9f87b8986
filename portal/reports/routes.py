"""Routes for reports: thin, each declaring who may use it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from portal.access import get_case_for, get_report_for, participant_for, signed_in
from portal.cases.conferences import get_conference_for
from portal.forms import EmptyForm
from portal.reports import bp, services
from portal.reports.forms import SECTION_LABELS, ReportForm, ShareForm
from portal.reports.models import SECTIONS
from portal.reports.plain_language import check
from portal.roles import CASE_STAFF_ROLES, FAMILY_ROLES, Role

WRITERS = (Role.PROFESSIONAL, Role.SOCIAL_WORKER, Role.CHAIR)
READERS = (*FAMILY_ROLES, *CASE_STAFF_ROLES, Role.SQA_MANAGER)


def _own_draft(reference: str, report_id: int):
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    if report.author_id != current_user.id:
        abort(404)
    return case, report


@bp.post("/cases/<reference>/conferences/<int:conference_id>/reports")
@signed_in(*WRITERS)
def start(reference: str, conference_id: int):
    """Start writing a report for this conference (a POST, so a GET never creates one)."""
    case = get_case_for(current_user, reference)
    conference = get_conference_for(case, conference_id)
    if participant_for(current_user, case.id) is None or not EmptyForm().validate_on_submit():
        abort(404)
    report = services.start_report(conference, current_user)
    return redirect(url_for("reports.edit", reference=case.reference, report_id=report.id), code=303)


@bp.route("/cases/<reference>/reports/<int:report_id>/edit", methods=["GET", "POST"])
@signed_in(*WRITERS)
def edit(reference: str, report_id: int):
    """Write the report's sections. Each save is a version; a second writer's save is never lost."""
    case, report = _own_draft(reference, report_id)
    if report.status != "draft":
        abort(404)
    latest = services.latest_version(report)
    form = ReportForm(obj=latest if request.method == "GET" else None)
    if request.method == "GET":
        form.based_on.data = str(latest.number)
    conflict = None
    if form.validate_on_submit():
        sections = {name: getattr(form, name).data or "" for name in SECTIONS}
        based_on = int(form.based_on.data) if (form.based_on.data or "").isdigit() else 0
        try:
            services.save_version(report, current_user, sections, based_on)
            flash(_("Draft saved."), "success")
            return redirect(url_for("reports.edit", reference=case.reference, report_id=report.id), code=303)
        except services.VersionConflict as error:
            conflict = error.latest
            form.based_on.data = str(conflict.number)
    text = "\n\n".join(getattr(form, name).data or "" for name in SECTIONS)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render_template("reports/edit.html", case=case, report=report, form=form, conflict=conflict,
                           labels=SECTION_LABELS, sections=SECTIONS, plain=check(text), submit_form=EmptyForm()), status


@bp.post("/cases/<reference>/reports/<int:report_id>/submit")
@signed_in(*WRITERS)
def submit(reference: str, report_id: int):
    """Submit the draft: then choose who in the family receives it."""
    case, report = _own_draft(reference, report_id)
    if report.status != "draft" or not EmptyForm().validate_on_submit():
        abort(404)
    services.submit(report, current_user)
    return redirect(url_for("reports.share", reference=case.reference, report_id=report.id), code=303)


@bp.route("/cases/<reference>/reports/<int:report_id>/share", methods=["GET", "POST"])
@signed_in(*WRITERS)
def share(reference: str, report_id: int):
    """Choose who in the family receives the report (parents and carers, minus restrictions, are ticked)."""
    case, report = _own_draft(reference, report_id)
    if report.status != "submitted":
        abort(404)
    family = services.family_participants(report)
    form = ShareForm()
    form.recipients.choices = [SelectChoice(p.id, p.user.name) for p in family]
    if request.method == "GET":
        already = services.shared_participant_ids(report)
        form.recipients.data = sorted(already or {p.id for p in services.default_recipients(report)})
    if form.validate_on_submit():
        services.share(report, current_user, form.recipients.data or [])
        flash(_("Report shared."), "success")
        return redirect(url_for("reports.read", reference=case.reference, report_id=report.id), code=303)
    return render_template("reports/share.html", case=case, report=report, form=form), 200 if request.method == "GET" else 400


@bp.get("/cases/<reference>/reports/<int:report_id>")
@signed_in(*READERS)
def read(reference: str, report_id: int):
    """Read a report on a phone: each section a heading. Opening it is recorded and audited."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    services.record_opened(report, current_user)
    return render_template("reports/read.html", case=case, report=report, version=services.latest_version(report),
                           labels=SECTION_LABELS, sections=SECTIONS, late=services.shared_late(report),
                           receipts=services.receipts(report) if current_user.is_staff else [],
                           finished=services.has_finished(report, current_user), form=EmptyForm(),
                           family_page=current_user.is_family)


@bp.post("/cases/<reference>/reports/<int:report_id>/read-to-the-end")
@signed_in(*FAMILY_ROLES)
def finished(reference: str, report_id: int):
    """The reader says they have read the whole report."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    if EmptyForm().validate_on_submit():
        services.record_finished(report, current_user)
        flash(_("Thank you. We have noted that you have read this report."), "success")
    return redirect(url_for("reports.read", reference=case.reference, report_id=report.id), code=303)
