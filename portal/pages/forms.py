"""Forms of the public pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SubmitField

from portal.forms import language_field


class LanguageForm(FlaskForm):
    """Choose the language of every page (each option is named in its own language)."""

    language = language_field(_l("Which language do you want to use?"), _l("Select the language you want to use"))
    next = HiddenField()
    submit = SubmitField(_l("Change language"), widget=GovSubmitInput())
