"""Routes for signing in and looking after an account: thin, each declaring who may use it."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, refresh as refresh_language
from flask_login import current_user

from portal.access import public, signed_in
from portal.auth import bp, council, mfa, services
from portal.auth.forms import (
    ChangePasswordForm,
    MfaCodeForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SetUpAccountForm,
    SignInForm,
)
from portal.auth.passwords import verify_password
from portal.roles import STAFF_ROLES
from portal.extensions import limiter
from portal.forms import EmptyForm
from portal.i18n import chosen_language, supported
from portal.navigation import safe_next_url

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def _failed_attempt(response) -> bool:
    """Only failed sign-ins count towards the limits (a success redirects)."""
    return response.status_code != 303


def _login_key() -> str:
    return services.rate_limit_key_for_login(request.form.get("login", ""))


def after_sign_in(default_next: str | None):
    """Where to go once signed in: the MFA step for staff who need it, else the page they wanted."""
    target = safe_next_url(default_next, url_for("cases.home"))
    user = current_user
    if mfa.mfa_pending(user):  # not asked again when the council's identity provider did it
        session["after_mfa"] = target
        return redirect(url_for("auth.mfa_check" if user.mfa_secret else "auth.mfa_set_up"), code=303)
    return redirect(target, code=303)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_failed_attempt)
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], key_func=_login_key, methods=["POST"],
               deduct_when=_failed_attempt)
def sign_in():
    """Sign in. Every failure gets the same message, so nobody learns whether an account exists."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("cases.home"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is not None and council.must_use_council_account(user):
            services.refuse_password_for_council_account(user)
            form.login.errors.append(_("You sign in to the portal with your council account, not a portal password. "
                                       "Use the button below"))
        elif user is not None:
            services.start_session(user)
            return after_sign_in(form.next.data)
        else:
            form.login.errors.append(_("The details you entered are not right. Check them and try again"))
    return render_template("auth/sign_in.html", form=form, council_sign_in=council.configured()), \
        200 if request.method == "GET" or not form.errors else 400


@bp.post("/sign-out")
@signed_in(before_mfa=True)
def sign_out():
    """Sign out: the session ends on the server and this browser's stored data is cleared; a session that came
    from the council's identity provider ends there too (RP-Initiated Logout), which then comes back here."""
    provider_logout = council.provider_logout_url()
    services.end_session()
    response = redirect(provider_logout or url_for("auth.signed_out"), code=303)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.post("/sign-out-everywhere")
@signed_in()
def sign_out_everywhere():
    """End every session of this account, on every device (and this one's at the council's identity provider)."""
    provider_logout = council.provider_logout_url()
    services.end_session("sign_out_everywhere")
    response = redirect(provider_logout or url_for("auth.signed_out"), code=303)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.get("/signed-out")
@public
def signed_out():
    """You have signed out."""
    return render_template("auth/signed_out.html", family_page=True, signed_out_page=True)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def set_up_account(token: str):
    """Set up an invited account: choose a password and a language."""
    invitation, state = services.find_invitation(token)
    if state != "ok":
        return render_template("auth/invitation_problem.html", state=state, family_page=True), 410 if state in ("expired", "used") else 404
    if invitation.user.preferred_language and not supported(request.cookies.get(current_app.config["LANGUAGE_COOKIE"])):
        # The page opens in the language staff chose for them, unless this phone has chosen one already.
        g.saved_language = invitation.user.preferred_language
        refresh_language()
    form = SetUpAccountForm(language=chosen_language())  # the language the page is in: one they can read
    if form.validate_on_submit():
        user = services.accept_invitation(invitation, form.password.data, form.language.data)
        services.start_session(user)
        flash(_("Your account is ready."), "success")
        return after_sign_in(None)
    return render_template("auth/set_up_account.html", form=form, name=invitation.user.name, family_page=True), 200 if request.method == "GET" else 400


@bp.route("/password-reset", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_IP"], methods=["POST"])
def request_password_reset():
    """Ask for a link to choose a new password. The answer is the same whether or not the account exists."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.login.data)
        return render_template("auth/password_reset_sent.html", family_page=True)
    return render_template("auth/password_reset_request.html", form=form, family_page=True), 200 if request.method == "GET" else 400


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@public
def choose_new_password(token: str):
    """Choose a new password from a one-time link."""
    reset = services.find_password_reset(token)
    if reset is None:
        return render_template("auth/password_reset_problem.html", family_page=True), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        services.complete_password_reset(reset, form.password.data)
        flash(_("Your password has been changed. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"), code=303)
    return render_template("auth/password_reset_new.html", form=form, family_page=True), 200 if request.method == "GET" else 400


@bp.get("/account")
@signed_in()
def account():
    """Your account: how you sign in, your password, and signing out of every device."""
    return render_template("auth/account.html", form=EmptyForm(), family_page=current_user.is_family,
                           council_account=council.must_use_council_account(current_user))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in()
def change_password():
    """Change your password (every session ends, so you sign in again)."""
    if council.must_use_council_account(current_user):
        return redirect(url_for("auth.account"))  # the council looks after their password
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("Your current password is not right"))
        else:
            services.change_password(current_user._get_current_object(), form.password.data)
            session.clear()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for("auth.sign_in"), code=303)
    return render_template("auth/change_password.html", form=form, family_page=current_user.is_family), 200 if request.method == "GET" else 400


@bp.route("/mfa/set-up", methods=["GET", "POST"])
@signed_in(*STAFF_ROLES, before_mfa=True)
def mfa_set_up():
    """Staff: link an authenticator app by scanning a QR code, then type its code."""
    if current_user.mfa_secret:
        return redirect(url_for("auth.mfa_check"))
    secret = mfa.enrolment_secret()
    form = MfaCodeForm()
    if form.validate_on_submit():
        if mfa.complete_enrolment(current_user._get_current_object(), form.code.data):
            return redirect(safe_next_url(session.pop("after_mfa", None), url_for("cases.home")), code=303)
        form.code.errors.append(_("That code is not right. Check the app and type the code it shows now"))
    return render_template("auth/mfa_set_up.html", form=form, secret=secret, qr=mfa.qr_code_svg(current_user, secret)), 200 if request.method == "GET" else 400


@bp.route("/mfa/check", methods=["GET", "POST"])
@signed_in(*STAFF_ROLES, before_mfa=True)
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], key_func=lambda: f"mfa:{current_user.get_id()}",
               methods=["POST"], deduct_when=_failed_attempt)
def mfa_check():
    """Staff: type the code from the authenticator app."""
    if not current_user.mfa_secret:
        return redirect(url_for("auth.mfa_set_up"))
    form = MfaCodeForm()
    if form.validate_on_submit():
        if mfa.check_code(current_user._get_current_object(), form.code.data):
            return redirect(safe_next_url(session.pop("after_mfa", None), url_for("cases.home")), code=303)
        form.code.errors.append(_("That code is not right. Check the app and type the code it shows now"))
    return render_template("auth/mfa_check.html", form=form), 200 if request.method == "GET" else 400
