"""Templates: where they are found, and the helpers every page uses."""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from config import BASE_DIR


def init_templates(app: Flask) -> None:
    """Project templates first, then GOV.UK Frontend Jinja's and WTForms' under their prefixes."""
    from govuk_frontend_wtf.main import WTFormsHelpers

    from portal import i18n

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
    WTFormsHelpers(app)

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
        return Markup("<bdi>%s</bdi>") % value

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
    def number(value) -> str:
        """A count written the way the page's language writes numbers (Babel)."""
        from flask_babel import format_number

        return format_number(value)

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
