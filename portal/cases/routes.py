"""Routes about cases: thin, each declaring who may use it."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from wtforms import SelectChoice
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from portal.access import can_invite_to_case, can_manage_conference, can_schedule_conference, signed_in
from portal.cases.access import get_case_for
from portal.roles import CASE_STAFF_ROLES, FAMILY_ROLES, Role
from portal.auth.services import invite
from portal import audit
from portal.cases import bp, conferences, dashboards, rules, services
from portal.cases.calendar import conference_ics
from portal.cases.conference_forms import (
    CATEGORY_LABELS,
    DECISION_LABELS,
    AGENCY_LABELS,
    FORMAT_LABELS,
    FORMAL_NAMES, KIND_LABELS,
    CancelConferenceForm,
    OutcomeForm,
    PreConferenceContactForm,
    ScheduleConferenceForm,
)
from portal.cases.forms import ChildForm, InviteForm, NewCaseForm
from portal.cases.relationships import who_they_are
from portal.db import db, utcnow
from portal.idempotency import OnceForm
from portal.home import tasks_for
from portal.reports.services import shared_late
from portal.reports.access import reports_for_conference
from portal.support import services as support_services
from portal.i18n import isolate
from portal.support.labels import KIND_LABELS as SUPPORT_KIND_LABELS, status_tag
from portal.support.services import waiting_for
from portal.feedback import services as feedback
from portal.plans import services as plans
from portal.wishes import labels as wishes_labels, services as wishes
from portal.access import participant_for
from portal.support import services as support
from portal.feedback.services import changes_before


@bp.get("/home")
@signed_in()
def home():
    """Where signing in lands: the family's cases, or the staff member's list."""
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.staff"))
    if current_user.is_staff:
        return redirect(url_for("cases.case_list"))
    families = []
    for case in services.cases_for(current_user, with_their_conferences=True):
        conference = conferences.next_conference(case)
        families.append((case, conference, tasks_for(current_user, case, conference)))
    return render_template("cases/home.html", families=families, kind_labels=KIND_LABELS, family_page=True)


@bp.get("/cases")
@signed_in(*CASE_STAFF_ROLES, Role.SQA_MANAGER)
def case_list():
    """The staff dashboard: the chair's upcoming conferences, the social worker's cases, every conference for SQA."""
    today = utcnow().date()
    exporting = request.args.get("format") == "csv"
    if current_user.role == Role.SQA_MANAGER:
        # Audited before anything is read: a commit afterwards would expire every row read, and each be read again.
        audit.record("conferences.export" if exporting else "conferences.list", actor=current_user,
                     object_kind="conference", outcome="sqa_access")
        db.session.commit()
    context = {"cases": services.cases_for(current_user), "kind_labels": KIND_LABELS, "waiting": waiting_for(current_user),
               "support_kind_labels": SUPPORT_KIND_LABELS, "support_status_tag": status_tag}
    if current_user.role == Role.CHAIR:
        context["upcoming"] = dashboards.chair_upcoming(current_user, today)
    elif current_user.role == Role.SOCIAL_WORKER:
        context["allocated"] = dashboards.social_worker_cases(current_user)
    elif current_user.role == Role.SQA_MANAGER:
        filters = dashboards.Filters.from_args(request.args)
        rows = dashboards.all_conferences(filters, today)
        if exporting:
            return Response(dashboards.as_csv(rows), mimetype="text/csv",
                            headers={"Content-Disposition": 'attachment; filename="conferences.csv"'})
        context.update(rows=rows, filters=filters, chairs=conferences.chairs(), overdue_rules=dashboards.OVERDUE_RULES)
    return render_template("cases/list.html", **context)


@bp.get("/cases/<reference>")
@signed_in(*FAMILY_ROLES, *CASE_STAFF_ROLES, Role.SQA_MANAGER)
def case_detail(reference: str):
    """One case: its children and the people taking part, as this viewer may see them."""
    case = get_case_for(current_user, reference)
    return render_template(
        "cases/detail.html",
        case=case,
        today=utcnow().date(),
        age_on=services.age_on,
        participants=services.participants_as_seen_by(current_user, case),
        can_invite=can_invite_to_case(current_user, case),
        can_schedule=can_schedule_conference(current_user, case),
        conferences=conferences.conferences_of(case),
        kind_labels=KIND_LABELS,
        family_page=current_user.is_family,
    )


@bp.route("/cases/<reference>/invite", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER, Role.CHAIR)
def invite_participant(reference: str):
    """Invite a family member, young person, advocate or professional to the case."""
    case = get_case_for(current_user, reference)
    if not can_invite_to_case(current_user, case):
        abort(404)
    form = InviteForm()
    form.child.choices = [SelectChoice(str(c.id), isolate(c.first_name)) for c in case.children]
    if form.validate_on_submit():
        if services.login_taken(form.email.data, form.mobile.data, form.username.data):
            form.email.errors.append(_("Another account already uses this email address, mobile number or username"))
        else:
            user = services.add_participant(
                case,
                invited_by=current_user,
                name=form.name.data.strip(),
                role=form.role.data,
                relationship=(form.relationship.data or "").strip(),
                lives_with_child=form.lives_with_child.data == "yes",
                email=form.email.data,
                mobile=form.mobile.data,
                username=form.username.data,
                child_id=int(form.child.data) if form.role.data == Role.YOUNG_PERSON.value else None,
                language=form.language.data,
            )
            invite(user, current_user, case_id=case.id)
            db.session.commit()
            flash(_("Invitation sent."), "success")
            return redirect(url_for("cases.case_detail", reference=case.reference), code=303)
    return render_template("cases/invite.html", form=form, case=case), 200 if request.method == "GET" else 400


CASE_READERS = (*FAMILY_ROLES, *CASE_STAFF_ROLES, Role.SQA_MANAGER)


@bp.route("/cases/<reference>/conferences/new", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER)
def schedule_conference(reference: str):
    """The allocated social worker schedules a conference; the family is told in neutral words."""
    case = get_case_for(current_user, reference)
    if not can_schedule_conference(current_user, case):
        abort(404)
    form = ScheduleConferenceForm()
    form.set_choices(conferences.active_venues(), conferences.chairs())
    if request.method == "POST":
        valid = form.validate()
        # The rules are checked even when a box is empty, so every problem shows at once.
        problems = conferences.scheduling_problems(
            kind=form.kind.data or "",
            day=None if form.day.errors else form.day.data,
            at=None if form.start_time.errors else getattr(form.start_time, "parsed", None),
            venue_id=form.venue.data or "", chair_id=form.chair.data or "",
            short_notice_reason=form.short_notice_reason.data,
        )
        for field, message in problems.items():
            if not getattr(form, field).errors:
                getattr(form, field).errors.append(message)
        if valid and not problems:
            conference = conferences.schedule(
                case, current_user, kind=form.kind.data,
                starts_at=conferences.london_to_utc(form.day.data, form.start_time.parsed), format=form.format.data,
                venue=conferences.venue_by_id(form.venue.data), chair=conferences.user_by_id(form.chair.data),
                short_notice_reason=(form.short_notice_reason.data or "").strip(),
            )
            flash(_("Conference scheduled. The family has been told there is news for them."), "success")
            return redirect(url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id), code=303)
    return render_template("cases/schedule_conference.html", form=form, case=case), 200 if request.method == "GET" else 400


@bp.get("/cases/<reference>/conferences/<int:conference_id>")
@signed_in(*CASE_READERS)
def conference_detail(reference: str, conference_id: int):
    """A conference: what it is for, when and where, and (for staff) where each rule stands."""
    case = get_case_for(current_user, reference)
    conference = conferences.get_conference_for(case, conference_id)
    conferences.record_read(current_user, conference)
    today = utcnow().date()
    reports = reports_for_conference(conference, current_user)
    own_views = next((r for r in reports if r.kind == "family_views" and r.author_id == current_user.id), None)
    return render_template(
        "cases/conference.html",
        case=case,
        conference=conference,
        kind_labels=KIND_LABELS,
        formal_name=FORMAL_NAMES.get(conference.kind, FORMAL_NAMES["extra_familial"]),
        format_labels=FORMAT_LABELS,
        agency_labels=AGENCY_LABELS,
        steps=conferences.family_steps(conference),
        rules=rules.rule_statuses(conference, today) if current_user.is_staff else [],
        short_notice_cancellation=conferences.cancelled_at_short_notice(conference),
        can_manage=can_manage_conference(current_user, case) and conference.status == conferences.Status.SCHEDULED,
        is_chair=conference.chair_id == current_user.id,
        contact=conferences.pre_conference_contact(conference) if current_user.is_staff else None,
        attendees=support_services.attendees_seen_by(current_user, conference, conferences.attendees(conference)),
        reports=reports,
        late_report_ids={r.id for r in reports if r.kind == "professional" and shared_late(r)},
        can_write_report=current_user.role in (Role.PROFESSIONAL, Role.SOCIAL_WORKER, Role.CHAIR)
        and conference.status == conferences.Status.SCHEDULED,
        can_write_views=current_user.role in (Role.PARENT, Role.CARER)
        and (conference.status == conferences.Status.SCHEDULED or own_views is not None),
        own_views=own_views,
        start_form=OnceForm(),
        decision_labels=DECISION_LABELS,
        category_labels=CATEGORY_LABELS,
        can_record_outcome=conference.chair_id == current_user.id and conference.status == conferences.Status.SCHEDULED
        and conferences.has_started(conference),
        support=_support_summary(case, conference),
        young=_young_people_summary(case, conference),
        after=_after_summary(case, conference),
        family_page=current_user.is_family,
    )


def _after_summary(case, conference) -> dict:
    """What the conference page shows of the plan and the feedback, through their services."""
    give_feedback = feedback.respondent_for(current_user, conference) is not None
    return {
        "plan": plans.may_read(current_user, conference) and conference.status != conferences.Status.SCHEDULED
        or plans.may_write(current_user, conference),
        "may_write_plan": plans.may_write(current_user, conference),
        "give_feedback": give_feedback,
        "feedback_given": give_feedback and feedback.has_answered(conference, current_user),
        "review_feedback": feedback.may_review(current_user, conference),
        "changes": feedback.change_texts_before(conference),
    }


def _young_people_summary(case, conference) -> dict:
    """What the conference page shows of the young people feature, through its services."""
    readable = wishes.readable_for(current_user, conference)
    open_ = conference.status == conferences.Status.SCHEDULED and not conferences.has_started(conference)
    staff = wishes.sees_child_advocacy(current_user, case.id)
    return {
        "readable": readable,
        "to_write": [c for c in wishes.children_written_for(current_user, case.id)
                     if wishes.may_start(current_user, c) and wishes.wishes_for(conference, c) is None] if open_ else [],
        "children": wishes.children_advocacy(case.id, conference) if staff else [],
        "staff": staff,
        "first": conference.kind == conferences.Kind.EXTRA_FAMILIAL,
        "advocacy_from_age": wishes.ADVOCACY_FROM_AGE,
        "need_plan_labels": wishes_labels.NEED_PLAN_LABELS,
        "status_labels": wishes_labels.ADVOCACY_STATUS_LABELS,
    }


def _support_summary(case, conference) -> dict:
    """What the conference page shows of the support feature, through its services."""
    participant = participant_for(current_user, case.id)
    askable = support.askable(participant, conference)
    staff = support.sees_case_requests(current_user, conference)
    is_chair = support.is_chair(current_user, conference)
    return {
        "family": bool(askable) or (participant is not None and participant.role in support.ASKING_ROLES),
        "staff": staff,
        "can_ask_break": support.Kind.BREAK in askable,
        "break_form": OnceForm(),
        "waiting": support.requests_waiting(conference) if staff else 0,
        "breaks": support.breaks_asked(conference) if is_chair and support.break_watch(conference) else None,
    }


@bp.get("/cases/<reference>/conferences/<int:conference_id>/calendar.ics")
@signed_in(*CASE_READERS)
def conference_calendar(reference: str, conference_id: int):
    """Add to my calendar: the conference as an .ics file, in London time, with a reminder the day before."""
    case = get_case_for(current_user, reference)
    conference = conferences.get_conference_for(case, conference_id)
    body = conference_ics(conference, str(get_locale() or "en_GB"), request.host.split(":")[0])
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": 'attachment; filename="meeting.ics"'})


@bp.route("/cases/<reference>/conferences/<int:conference_id>/cancel", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER, Role.CHAIR)
def cancel_conference(reference: str, conference_id: int):
    """Cancel a conference with a reason the family sees; late cancellations are flagged."""
    case = get_case_for(current_user, reference)
    conference = conferences.get_conference_for(case, conference_id)
    if not can_manage_conference(current_user, case) or conference.status != conferences.Status.SCHEDULED:
        abort(404)
    form = CancelConferenceForm()
    if form.validate_on_submit():
        short_notice = conferences.cancel(conference, current_user, form.reason.data.strip())
        flash(_("Conference cancelled at short notice. The family has been told.") if short_notice
              else _("Conference cancelled. The family has been told."), "success")
        return redirect(url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id), code=303)
    return render_template("cases/cancel_conference.html", form=form, case=case, conference=conference), 200 if request.method == "GET" else 400


@bp.route("/cases/new", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER)
def new_case():
    """A social worker sets up a case (a family network) and is allocated to it."""
    form = NewCaseForm()
    if form.validate_on_submit():
        case = services.create_case(current_user, form.strategy_discussion_on.data)
        flash(_("Case created. Add the children, then invite the family."), "success")
        return redirect(url_for("cases.case_detail", reference=case.reference), code=303)
    return render_template("cases/new_case.html", form=form), 200 if request.method == "GET" else 400


@bp.route("/cases/<reference>/children/new", methods=["GET", "POST"])
@signed_in(Role.SOCIAL_WORKER)
def add_child(reference: str):
    """The allocated social worker adds a child to the case."""
    case = get_case_for(current_user, reference)
    if not can_schedule_conference(current_user, case):
        abort(404)
    form = ChildForm()
    if form.validate_on_submit():
        services.add_child(case, current_user, form.first_name.data.strip(), form.last_name.data.strip(), form.date_of_birth.data)
        flash(_("Child added."), "success")
        return redirect(url_for("cases.case_detail", reference=case.reference), code=303)
    return render_template("cases/add_child.html", form=form, case=case), 200 if request.method == "GET" else 400


@bp.route("/cases/<reference>/conferences/<int:conference_id>/pre-conference-contact", methods=["GET", "POST"])
@signed_in(Role.CHAIR)
def pre_conference_contact(reference: str, conference_id: int):
    """The conference's chair records the contact with the family and the agreed attendee list."""
    case = get_case_for(current_user, reference)
    conference = conferences.get_conference_for(case, conference_id)
    if conference.chair_id != current_user.id or conference.status != conferences.Status.SCHEDULED:
        abort(404)
    contact = conferences.pre_conference_contact(conference)
    current = conferences.attendees(conference)
    form = PreConferenceContactForm(obj=contact)
    people = services.participants_with_users(case)
    form.attendees.choices = [SelectChoice(p.id, isolate(p.user.name) + f" ({who_they_are(p.relationship_to_child, p.role)})") for p in people]
    if request.method == "GET" and contact is None:
        form.attendees.data, form.agencies.data = conferences.suggested_attendees(conference, people)
    elif request.method == "GET":
        form.attendees.data = [a.participant_id for a in current if a.participant_id]
        form.agencies.data = [a.agency_kind for a in current if a.agency_kind]
        form.other_attendees.data = "\n".join(f"{a.name}, {a.role}, {a.agency}" for a in current
                                              if not a.participant_id and not a.support_request_id and not a.agency_kind)
    if form.validate_on_submit():
        others, bad_line = conferences.parse_other_attendees(form.other_attendees.data)
        if bad_line:
            form.other_attendees.errors.append(_("Line %(number)s is not like 'name, role, agency'. Check it", number=bad_line))
        else:
            conferences.record_pre_conference_contact(
                conference, current_user, contacted_on=form.contacted_on.data, contacted_whom=form.contacted_whom.data.strip(),
                family_views=(form.family_views.data or "").strip(), comfortable_professional=(form.comfortable_professional.data or "").strip(),
                extra_support=(form.extra_support.data or "").strip(), participant_ids=form.attendees.data or [], others=others,
                agencies=form.agencies.data or [],
            )
            flash(_("Contact with the family saved. The family can now see who will be there."), "success")
            return redirect(url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id), code=303)
    return render_template("cases/pre_conference_contact.html", form=form, case=case, conference=conference,
                           changes=changes_before(conference)), 200 if request.method == "GET" else 400


@bp.route("/cases/<reference>/conferences/<int:conference_id>/outcome", methods=["GET", "POST"])
@signed_in(Role.CHAIR)
def record_outcome(reference: str, conference_id: int):
    """The conference's chair records that it was held, the decision and the reasons; the family sees them."""
    case = get_case_for(current_user, reference)
    conference = conferences.get_conference_for(case, conference_id)
    if conference.chair_id != current_user.id or conference.status != conferences.Status.SCHEDULED:
        abort(404)
    if not conferences.has_started(conference):
        flash(_("You can record the outcome once the conference has started."), "info")
        return redirect(url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id), code=303)
    form = OutcomeForm()
    if form.validate_on_submit():
        conferences.record_outcome(conference, current_user, decision=form.decision.data, category=form.category.data,
                                   reasons=form.reasons.data.strip())
        flash(_("Outcome saved. The family has been told there is news for them."), "success")
        return redirect(url_for("cases.conference_detail", reference=case.reference, conference_id=conference.id), code=303)
    return render_template("cases/outcome.html", form=form, case=case, conference=conference), 200 if request.method == "GET" else 400
