"""Admin routes: thin, admin only."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import signed_in
from portal.admin import bp, services
from portal.admin.forms import SIGN_IN_METHOD_HINTS, STAFF_ROLE_LABELS, NewStaffForm, VenueForm
from portal.auth import council
from portal.auth.mfa import reset_mfa
from portal.roles import Role
from portal.auth.services import invite
from portal.cases.services import login_taken
from portal.db import db
from portal.forms import EmptyForm


@bp.get("/staff")
@signed_in(Role.ADMIN)
def staff():
    """Every staff account, with what the admin can do to each."""
    accounts = services.staff_accounts()
    return render_template("admin/staff.html", accounts=accounts, labels=STAFF_ROLE_LABELS, form=EmptyForm(),
                           identities=council.identities_of(accounts), council_sign_in=council.configured())


@bp.route("/staff/new", methods=["GET", "POST"])
@signed_in(Role.ADMIN)
def new_staff():
    """Create a staff account: one that signs in with the council's account, or one invited to choose a password."""
    form = NewStaffForm()
    if not council.configured():
        del form.sign_in_method
    if form.validate_on_submit():
        if login_taken(form.email.data, None, None):
            form.email.errors.append(_("Another account already uses this email address"))
        else:
            method = form.sign_in_method.data if "sign_in_method" in form else "password"
            user = services.create_staff(current_user, form.name.data.strip(), form.email.data, form.role.data, method)
            if method == "council":
                db.session.commit()
                flash(_("Account created. They can sign in with their council account now."), "success")
            else:
                invite(user, current_user)
                db.session.commit()
                flash(_("Account created and invitation sent."), "success")
            return redirect(url_for("admin.staff"), code=303)
    return render_template("admin/new_staff.html", form=form, hints=[{"hint": {"text": hint}} for hint in SIGN_IN_METHOD_HINTS]), \
        200 if request.method == "GET" else 400


@bp.post("/staff/<int:user_id>/deactivate")
@signed_in(Role.ADMIN)
def deactivate(user_id: int):
    """Deactivate a staff account: they are signed out everywhere and cannot sign in."""
    services.set_active(current_user, services.get_staff_for(current_user, user_id), False)
    flash(_("Account deactivated."), "success")
    return redirect(url_for("admin.staff"), code=303)


@bp.post("/staff/<int:user_id>/reactivate")
@signed_in(Role.ADMIN)
def reactivate(user_id: int):
    """Let a deactivated staff member sign in again."""
    services.set_active(current_user, services.get_staff_for(current_user, user_id), True)
    flash(_("Account reactivated."), "success")
    return redirect(url_for("admin.staff"), code=303)


@bp.post("/staff/<int:user_id>/reset-mfa")
@signed_in(Role.ADMIN)
def reset_second_factor(user_id: int):
    """Clear a staff member's authenticator app: they set it up again at next sign-in."""
    reset_mfa(services.get_staff_for(current_user, user_id), current_user)
    flash(_("Authenticator app reset. They will set it up again when they next sign in."), "success")
    return redirect(url_for("admin.staff"), code=303)


@bp.post("/staff/<int:user_id>/unlink-council-account")
@signed_in(Role.ADMIN)
def unlink_council_account(user_id: int):
    """Unlink a staff member's council identity: their next council sign-in is matched by email again."""
    if council.unlink(current_user, services.get_staff_for(current_user, user_id)):
        flash(_("Council account unlinked. The next time they sign in with a council account, it is matched by their email address."), "success")
    return redirect(url_for("admin.staff"), code=303)


@bp.get("/venues")
@signed_in(Role.ADMIN, Role.SQA_MANAGER)
def venues():
    """The managed list of conference venues."""
    return render_template("admin/venues.html", venues=services.venues())


@bp.route("/venues/new", methods=["GET", "POST"])
@signed_in(Role.ADMIN, Role.SQA_MANAGER)
def new_venue():
    """Add a venue."""
    return _venue_form(None)


@bp.route("/venues/<int:venue_id>", methods=["GET", "POST"])
@signed_in(Role.ADMIN, Role.SQA_MANAGER)
def edit_venue(venue_id: int):
    """Change a venue, or stop new bookings there."""
    return _venue_form(services.get_venue(venue_id))


def _venue_form(venue):
    form = VenueForm(obj=None)
    if request.method == "GET" and venue is not None:
        form.name.data, form.address.data, form.accessibility_notes.data = venue.name, venue.address, venue.accessibility_notes
        form.directions.data = venue.directions
        form.council_office.data = "yes" if venue.council_office else "no"
        form.active.data = "yes" if venue.active else "no"
    if form.validate_on_submit():
        services.save_venue(current_user, venue, name=form.name.data.strip(), address=form.address.data.strip(),
                            accessibility_notes=(form.accessibility_notes.data or "").strip(),
                            directions=(form.directions.data or "").strip(),
                            council_office=form.council_office.data == "yes", active=form.active.data == "yes")
        flash(_("Venue saved."), "success")
        return redirect(url_for("admin.venues"), code=303)
    return render_template("admin/venue_form.html", form=form, venue=venue), 200 if request.method == "GET" else 400
