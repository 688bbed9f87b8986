"""Routes of the installable web app: thin, each declaring who may use it. None shows personal data."""

from __future__ import annotations

import json

from flask import abort, current_app, render_template
from flask_babel import force_locale, gettext as _

from portal import i18n
from portal.access import public
from portal.pwa import bp, services


def _shipped(language: str) -> str:
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    return language


@bp.get("/manifest/<language>.webmanifest")
@public
def manifest(language: str):
    """The web app manifest in the page's language: the name under the icon, the colours, the icons."""
    language = _shipped(language)
    with force_locale(i18n.babel_locale(language)):
        body = services.web_app_manifest(
            language,
            name=_("Family Conference Portal"),
            # i18n: the app's name under its icon on a phone's home screen: keep it short (12 letters if you can)
            short_name=_("Family portal"),
            description=_("Read the reports, say what you think and help make the plan for your family's conference."),
        )
    return current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/service-worker.js")
@public
def service_worker():
    """The service worker: keeps the public CSS, JS and icon, and the offline page in the language the page
    tells it (one worker for every language: a change of language never replaces it mid-navigation)."""
    script = render_template(
        "pwa/service-worker.js",
        cache_name=services.cache_name(),
        precache=services.precache_urls(),
        offline_pages=services.offline_pages(),
    )
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline/<language>")
@public
def offline(language: str):
    """The page the service worker shows when a page cannot load: it has no personal data, no
    account links and no form token, because it is kept on the phone."""
    language = _shipped(language)
    with force_locale(i18n.babel_locale(language)):
        return render_template("pwa/offline.html", offline_page=True)
