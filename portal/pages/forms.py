"""Forms of the public pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SelectChoice, SubmitField
from wtforms.validators import InputRequired

from portal.i18n import LANGUAGES


class LanguageForm(FlaskForm):
    """Choose the language of every page (each option is named in its own language)."""

    language = RadioField(
        _l("Which language do you want to use?"),
        choices=[SelectChoice(code, lang.native_name) for code, lang in LANGUAGES.items()],
        validators=[InputRequired(message=_l("Select the language you want to use"))],
        widget=GovRadioInput(),
    )
    next = HiddenField()
    submit = SubmitField(_l("Change language"), widget=GovSubmitInput())
