"""Form pieces shared by every feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SelectChoice, SubmitField
from wtforms.validators import InputRequired

from portal.i18n import LANGUAGES


class EmptyForm(FlaskForm):
    """A form that is only a button (and its CSRF token): sign out, deactivate, and so on."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


def language_field(label, message) -> RadioField:
    """Radios for the shipped languages, each named in itself."""
    return RadioField(
        label,
        choices=[SelectChoice(code, lang.native_name) for code, lang in LANGUAGES.items()],
        validators=[InputRequired(message=message)],
        widget=GovRadioInput(),
    )
