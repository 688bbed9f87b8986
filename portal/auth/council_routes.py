"""Routes for staff signing in with the council's own identity provider (portal/auth/council.py): thin, each
declaring who may use it."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.access import public
from portal.auth import bp, council, services
from portal.auth.routes import after_sign_in
from portal.extensions import csrf


@bp.get("/sign-in/council")
@public
def council_sign_in():
    """Start signing in at the council's identity provider."""
    if not council.configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("cases.home"))
    return council.redirect_to_provider(request.args.get("next", ""))


@bp.get("/sign-in/council/callback")
@public
def council_callback():
    """The provider sends the browser back here with a code; the portal checks everything before signing in."""
    if not council.configured():
        abort(404)
    next_url = session.get("council_next") or None
    try:
        answer = council.answer_from_callback()
        user = council.sign_in_from(answer)
    except council.Refused as refusal:
        council.refuse(refusal)
        # To a page of its own, so the code never stays in the browser's history and the language can be changed.
        return redirect(url_for("auth.council_refused", reason=refusal.reason), code=303)
    # The provider's second factor counts as the portal's: its own authenticator app is not asked for again.
    services.start_session(user, method="council", mfa_ok=council.has_mfa_evidence(answer.claims))
    return after_sign_in(next_url)


@bp.get("/sign-in/council/refused")
@public
def council_refused():
    """Why signing in with the council's account did not work, in plain words (the reason is only a key)."""
    if not council.configured():
        abort(404)
    reason = request.args.get("reason", "")
    return render_template("auth/council_refused.html", message=council.Refused(reason).message), 403


@bp.post("/sign-in/council/back-channel-logout")
@public
@csrf.exempt
def council_back_channel_logout():
    """The provider tells the portal a person's session there has ended (OpenID Connect Back-Channel Logout):
    no browser, no cookie, so no CSRF token; the signed logout token is the proof."""
    if not council.configured():
        abort(404)
    ended = council.end_sessions_from_logout_token(request.form.get("logout_token", ""))
    return ("", 200, {"Cache-Control": "no-store"}) if ended else ("", 400, {"Cache-Control": "no-store"})
