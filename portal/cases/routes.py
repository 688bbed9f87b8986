"""Routes about cases: thin, each declaring who may use it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import can_invite_to_case, get_case_for, signed_in
from portal.roles import CASE_STAFF_ROLES, FAMILY_ROLES, Role
from portal.auth.services import invite
from portal.cases import bp, services
from portal.cases.forms import InviteForm
from portal.db import db, utcnow


@bp.get("/home")
@signed_in()
def home():
    """Where signing in lands: the family's cases, or the staff member's list."""
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.staff"))
    if current_user.is_staff:
        return redirect(url_for("cases.case_list"))
    return render_template("cases/home.html", cases=services.cases_for(current_user), family_page=True)


@bp.get("/cases")
@signed_in(*CASE_STAFF_ROLES, Role.SQA_MANAGER)
def case_list():
    """The cases this staff member works on (every case for the SQA manager)."""
    return render_template("cases/list.html", cases=services.cases_for(current_user))


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
            )
            invite(user, current_user, case_id=case.id)
            db.session.commit()
            flash(_("Invitation sent."), "success")
            return redirect(url_for("cases.case_detail", reference=case.reference), code=303)
    return render_template("cases/invite.html", form=form, case=case), 200 if request.method == "GET" else 400
