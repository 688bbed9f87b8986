"""Routes of the public pages: thin, each declaring who may use it."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, session, url_for
from flask_login import current_user

from portal.access import public
from portal.auth.services import end_session, save_language
from portal.extensions import limiter
from portal.navigation import safe_next_url
from portal.pages import bp
from portal.pages.forms import LanguageForm
from portal.pages.services import database_is_up, remember_language


@bp.get("/")
@public
def start():
    """The start page: what the portal is for and how to begin, in the family's language."""
    form = LanguageForm(data={"language": None, "next": url_for("pages.start")})
    return render_template("pages/start.html", form=form, family_page=True)


@bp.post("/language")
@public
def choose_language():
    """Remember the chosen language and go back to the page it was chosen on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        # Only the start page's radios can arrive without a choice: show it again with the error.
        return render_template("pages/start.html", form=form, family_page=True), 400
    target = safe_next_url(form.next.data, url_for("pages.start"))
    if current_user.is_authenticated:
        save_language(current_user._get_current_object(), form.language.data)
    return remember_language(redirect(target, code=303), form.language.data)


@bp.get("/exit")
@public
def exit_this_page():
    """Leave at once for a neutral site, leaving nothing behind on this browser.

    The one GET that changes something: "Exit this page" must be a plain link that works
    in one tap, with or without JavaScript, so it ends the session on the server too.
    """
    if current_user.is_authenticated:
        end_session("exit_this_page")
    session.clear()
    response = redirect(current_app.config["EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response.delete_cookie(current_app.config["LANGUAGE_COOKIE"], path="/")
    return response


@bp.get("/accessibility")
@public
def accessibility():
    """The accessibility statement (a legal duty for councils)."""
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
@public
def privacy():
    """The privacy notice: what the portal holds, why, who sees it, for how long."""
    return render_template("pages/privacy.html")


@bp.get("/cookies")
@public
def cookies():
    """The cookies page: only strictly necessary cookies, so no banner."""
    return render_template("pages/cookies.html")


@bp.get("/healthz")
@public
@limiter.exempt
def healthz():
    """For load balancers: 200 when the database answers, 503 when not. No session, no personal data."""
    ok = database_is_up()
    return jsonify(status="ok" if ok else "unavailable"), (200 if ok else 503)
