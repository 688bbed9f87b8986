"""Templates: where they are found, and the helpers every page uses."""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, pass_context
from markupsafe import Markup

from config import BASE_DIR
from portal import i18n
from portal.cases.relationships import ROLE_NAMES, relationship_label
from portal.i18n import install_local_digits_domain, local_digits, local_numbers
from portal.db import utcnow


def init_templates(app: Flask) -> None:
    """Project templates first, then GOV.UK Frontend Jinja's and WTForms' under their prefixes."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(BASE_DIR / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # A missing optional value prints nothing, never the English word "None".
    app.jinja_env.finalize = lambda value: "" if value is None else value
    WTFormsHelpers(app)

    @app.template_global()
    def page_rendered_at() -> str:
        """When this page was made (UTC): an autosave from a page older than the last send is ignored."""
        return utcnow().isoformat()

    @app.template_global()
    def password_params(params: dict) -> dict:
        """GOV.UK password input parameters with its button and announcements in the page's language."""
        from flask_babel import gettext as _

        return {
            "showPasswordText": _("Show"),
            "hidePasswordText": _("Hide"),
            "showPasswordAriaLabelText": _("Show password"),
            "hidePasswordAriaLabelText": _("Hide password"),
            "passwordShownAnnouncementText": _("Your password is visible"),
            "passwordHiddenAnnouncementText": _("Your password is hidden"),
            **params,
        }

    @app.template_filter("bdi")
    def bdi(value: str) -> Markup:
        """Isolate a name, email or reference so it reads correctly inside right-to-left text."""
        return i18n.isolate(value)

    app.jinja_env.globals["role_names"] = ROLE_NAMES  # one list of role names for Python and templates

    @app.template_filter("relationship")
    def relationship(value: str | None) -> str:
        """A relationship to the children in the reader's language when it is a common one (cases.relationships)."""
        return relationship_label(value)

    @app.template_filter("list_text")
    def list_text(items) -> str:
        """Items as one phrase in the page's language ("A, B and C"; Arabic and Urdu use their own comma and "and").

        Each item is escaped (an item already marked safe, such as a name in <bdi>, is kept as it is).
        """
        from babel.lists import format_list
        from flask_babel import get_locale
        from markupsafe import escape

        items = [str(escape(item)) for item in items]
        return Markup(format_list(items, locale=get_locale() or "en")) if items else ""

    @app.template_filter("number")
    @pass_context
    def number(context, value) -> str:
        """A count written the way the page's language writes numbers (Babel; Bengali digits in Bengali)."""
        from flask_babel import format_number

        return i18n.local_digits(format_number(value))

    @app.template_filter("isodate")
    def isodate(value: str):
        """A date kept as text (YYYY-MM-DD, in a JSON column) as a date, for the dateformat filter."""
        from datetime import date

        return date.fromisoformat(value)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        from flask_babel import get_locale

        locale = get_locale()
        code = locale.language if locale else app.config["BABEL_DEFAULT_LOCALE"]
        return {
            "current_language": code,
            "text_direction": i18n.direction(code),
            "shipped_languages": i18n.shipped_languages(),
        }


def init_local_digits(app: Flask) -> None:
    """Dates, times and the numbers put into translated sentences, in the digits of the page's language.

    Babel (through Flask-Babel's filters) writes them with 0-9; Bengali writes ০-৯ (CLDR). Times are on the
    24-hour clock in every language ("14:05", never "2:05 PM": CLDR's 12-hour patterns leave English AM/PM in
    Bengali and Urdu). Run after Flask-Babel has installed its filters and gettext functions, which this wraps.
    Source: issue "Every page in the family's language", 7; CONVENTIONS.md, Languages 11 (14:00).
    """
    install_local_digits_domain(app)
    env = app.jinja_env
    for name in ("dateformat", "datetimeformat"):
        babel_filter = env.filters[name]
        env.filters[name] = pass_context(
            lambda context, value, *args, _format=babel_filter, **kwargs: local_digits(_format(value, *args, **kwargs)))
    babel_time = env.filters["timeformat"]

    @pass_context
    def timeformat(context, value, format="short", rebase=True):
        return local_digits(babel_time(value, "HH:mm" if format in (None, "short") else format, rebase))

    env.filters["timeformat"] = timeformat
    babel_gettext, babel_ngettext = env.globals["gettext"], env.globals["ngettext"]
    babel_pgettext, babel_npgettext = env.globals["pgettext"], env.globals["npgettext"]

    @pass_context
    def gettext(context, string, /, **variables):
        return babel_gettext(context, string, **local_numbers(variables))

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        return babel_ngettext(context, singular, plural, num, **local_numbers(variables))

    @pass_context
    def pgettext(context, message_context, string, /, **variables):
        return babel_pgettext(context, message_context, string, **local_numbers(variables))

    @pass_context
    def npgettext(context, message_context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        return babel_npgettext(context, message_context, singular, plural, num, **local_numbers(variables))

    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)
