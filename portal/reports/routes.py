"""Routes for reports: thin, each declaring who may use it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from portal import drafts
from portal.access import is_staff_reader, participant_for, signed_in
from portal.reports.access import can_see_versions, get_report_for, get_thread_for
from portal.cases.access import get_case_for
from portal.cases.conferences import get_conference_for
from portal.forms import EmptyForm
from portal.idempotency import OnceForm
from portal.reports import bp, changes, discussion, services
from portal.reports.forms import (SECTION_LABELS, VIEWS_LABELS, CommentForm, InterpreterForm, ReplyForm, ReportForm,
                                  ShareForm, TalkedThroughForm)
from portal.reports.models import FAMILY_VIEWS, SECTIONS, sections_of
from portal.reports.plain_language import check
from portal.roles import CASE_STAFF_ROLES, FAMILY_ROLES, Role
from portal.i18n import isolate

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
    form = OnceForm()
    if participant_for(current_user, case.id) is None or not form.validate_on_submit():
        abort(404)
    report = services.start_report(conference, current_user, key=form.key)
    if report.status != "draft":
        return redirect(url_for("reports.read", reference=case.reference, report_id=report.id), code=303)
    return redirect(url_for("reports.edit", reference=case.reference, report_id=report.id), code=303)


@bp.route("/cases/<reference>/reports/<int:report_id>/edit", methods=["GET", "POST"])
@signed_in(*WRITERS)
def edit(reference: str, report_id: int):
    """Write the report's sections. Each save is a version; a second writer's save is never lost."""
    case, report = _own_draft(reference, report_id)
    if report.status != "draft" or report.kind != "professional":
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
    if report.kind != "professional" or not EmptyForm().validate_on_submit():
        abort(404)
    services.submit(report, current_user)  # a second submit (two tabs, a retry) just goes on to sharing
    return redirect(url_for("reports.share", reference=case.reference, report_id=report.id), code=303)


@bp.route("/cases/<reference>/reports/<int:report_id>/share", methods=["GET", "POST"])
@signed_in(*WRITERS)
def share(reference: str, report_id: int):
    """Choose who in the family receives the report (parents and carers, minus restrictions, are ticked)."""
    case, report = _own_draft(reference, report_id)
    if report.status != "submitted" or report.kind != "professional":
        abort(404)
    family = services.family_participants(report)
    form = ShareForm()
    form.recipients.choices = [SelectChoice(p.id, isolate(p.user.name)) for p in family]
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
    return _read_page(case, report)


def _comment_draft(report, section: str) -> str:
    return f"report:{report.id}:comment:{section}"


def _reply_draft(report, thread_id: int) -> str:
    return f"report:{report.id}:reply:{thread_id}"


def _read_page(case, report, status: int = 200, failed_form=None, failed_section: str | None = None,
               failed_thread: int | None = None):
    """The reading page, with the discussion and the requests this person may see.

    A form that failed is shown again with its errors and what was typed (`failed_*`).
    """
    sections = sections_of(report.kind)
    can_ask = discussion.can_start_thread(current_user, report)
    saved = drafts.drafts_for(current_user, f"report:{report.id}:")  # what they were typing, kept as they typed
    comment_forms = {name: (failed_form if name == failed_section
                            else drafts.restore(CommentForm(prefix=name, formdata=None), saved.get(_comment_draft(report, name))))
                     for name in sections} if can_ask else {}
    viewer_role = discussion.staff_role_in_case(current_user, report)  # once per page, not once per thread
    threads = discussion.threads(report, current_user, viewer_role) if report.kind == "professional" else {}
    reply_forms = {}
    for section_threads in threads.values():
        for thread in section_threads:
            if discussion.can_reply(current_user, thread.start, report, viewer_role):
                reply_forms[thread.start.id] = (failed_form if thread.start.id == failed_thread
                                                else drafts.restore(ReplyForm(prefix=f"reply-{thread.start.id}", formdata=None),
                                                                    saved.get(_reply_draft(report, thread.start.id))))
    is_author = report.author_id == current_user.id
    staff_reader = is_staff_reader(current_user)
    interpreter_form = failed_form if failed_section == "interpreter" else InterpreterForm(formdata=None)
    talked_form = failed_form if failed_section == "talked-through" else TalkedThroughForm(formdata=None)
    return render_template(
        "reports/read.html", case=case, report=report, version=services.latest_version(report),
        labels=VIEWS_LABELS if report.kind == FAMILY_VIEWS else SECTION_LABELS, sections=sections,
        late=report.kind == "professional" and services.shared_late(report),
        receipts=services.receipts(report) if staff_reader else [],
        finished=services.has_finished(report, current_user), finished_form=EmptyForm(),
        threads=threads, comment_forms=comment_forms, reply_forms=reply_forms,
        # Staff who work the case see everyone's requests; a family member sees their own; an advocate none.
        help_requests=(services.help_requests(report, None if staff_reader else current_user)
                       if report.kind == "professional" and (staff_reader or current_user.is_family) else []),
        staff_reader=staff_reader,
        can_ask_for_help=current_user.is_family and report.kind == "professional" and not is_author,
        interpreter_form=interpreter_form, help_form=EmptyForm(),
        talked_form=talked_form if is_author and report.kind == "professional" and report.status == "submitted" else None,
        can_see_versions=can_see_versions(current_user, report),
        form=failed_form, family_page=current_user.is_family,
    ), status


@bp.get("/cases/<reference>/reports/<int:report_id>/versions")
@signed_in(*READERS)
def versions(reference: str, report_id: int):
    """Every saved version, newest first: who saved it, when, and the words added and taken out."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    if not can_see_versions(current_user, report):
        abort(404)
    return render_template("reports/versions.html", case=case, report=report, history=changes.history(report),
                           labels=VIEWS_LABELS if report.kind == FAMILY_VIEWS else SECTION_LABELS,
                           family_page=current_user.is_family)


@bp.post("/cases/<reference>/reports/<int:report_id>/sections/<section>/comments")
@signed_in(*FAMILY_ROLES)
def comment(reference: str, report_id: int, section: str):
    """A family member asks a question, says they disagree, or comments on one section."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    if section not in SECTIONS or not discussion.can_start_thread(current_user, report):
        abort(404)
    form = CommentForm(prefix=section)
    if drafts.autosaving():
        return drafts.autosave(current_user, _comment_draft(report, section), form, ("kind", "body"))
    if not form.validate_on_submit():
        return _read_page(case, report, 400, failed_form=form, failed_section=section)
    discussion.start_thread(report, current_user, section, form.kind.data, form.body.data, form.key)
    drafts.discard(current_user, _comment_draft(report, section))
    flash(_("Sent. The person who wrote the report and the chair can now see it and reply."), "success")
    return redirect(url_for("reports.read", reference=case.reference, report_id=report.id, _anchor=f"section-{section}"), code=303)


@bp.post("/cases/<reference>/reports/<int:report_id>/comments/<int:comment_id>/replies")
@signed_in(*FAMILY_ROLES, *WRITERS)
def reply(reference: str, report_id: int, comment_id: int):
    """A reply in a thread: the family member whose thread it is, the author, or the chair."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    thread_start = get_thread_for(current_user, report, comment_id)
    if not discussion.can_reply(current_user, thread_start, report):
        abort(404)
    form = ReplyForm(prefix=f"reply-{thread_start.id}")
    if drafts.autosaving():
        return drafts.autosave(current_user, _reply_draft(report, thread_start.id), form, ("body",))
    if not form.validate_on_submit():
        return _read_page(case, report, 400, failed_form=form, failed_thread=thread_start.id)
    discussion.reply(report, thread_start, current_user, form.body.data, form.key)
    drafts.discard(current_user, _reply_draft(report, thread_start.id))
    flash(_("Reply sent."), "success")
    return redirect(url_for("reports.read", reference=case.reference, report_id=report.id,
                            _anchor=f"thread-{thread_start.id}"), code=303)


@bp.post("/cases/<reference>/reports/<int:report_id>/help/<any(talk_through, interpreter):kind>")
@signed_in(*FAMILY_ROLES)
def ask_for_help(reference: str, report_id: int, kind: str):
    """'Ask someone to talk me through this report' or 'I need an interpreter for this report'."""
    case = get_case_for(current_user, reference)
    report = get_report_for(current_user, case, report_id)
    if report.kind != "professional" or report.author_id == current_user.id:
        abort(404)
    form = InterpreterForm() if kind == "interpreter" else EmptyForm()
    if not form.validate_on_submit():
        return _read_page(case, report, 400, failed_form=form if kind == "interpreter" else None,
                          failed_section="interpreter" if kind == "interpreter" else None)
    services.ask_for_help(report, current_user, kind, form.language.data if kind == "interpreter" else None)
    flash(_("We have sent your request. Someone will contact you before the conference."), "success")
    return redirect(url_for("reports.read", reference=case.reference, report_id=report.id, _anchor="help"), code=303)


@bp.post("/cases/<reference>/reports/<int:report_id>/talked-through")
@signed_in(*WRITERS)
def talked_through(reference: str, report_id: int):
    """The author records the day they talked the family through the report."""
    case, report = _own_draft(reference, report_id)
    if report.kind != "professional" or report.status != "submitted":
        abort(404)
    form = TalkedThroughForm()
    if not form.validate_on_submit():
        return _read_page(case, report, 400, failed_form=form, failed_section="talked-through")
    services.record_talked_through(report, current_user, form.day.data)
    flash(_("Saved."), "success")
    return redirect(url_for("reports.read", reference=case.reference, report_id=report.id, _anchor="talked-through"), code=303)


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
