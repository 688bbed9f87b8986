"""Form pieces shared by every feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSubmitInput
from wtforms import DateField, RadioField, SelectChoice, SubmitField
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


class TranslatedDateInput(GovDateInput):
    """GOV.UK's date input with Day, Month and Year in the page's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, label in zip(params["items"], (_("Day"), _("Month"), _("Year"))):
            item["label"] = label
        return params


class GovDateField(DateField):
    """A day, month and year typed into three boxes, with our own message when it is not a real date."""

    widget = TranslatedDateInput()

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y",
                         invalid_value_message=invalid_message or _l("Enter a real date"), **kwargs)

    def process_formdata(self, valuelist):
        # The widget shows exactly three boxes: a POST with the field missing or with other than three
        # values (a hand-made request) must still render, as an error, never as a crash.
        if not valuelist:
            self.raw_data = None
        elif len(valuelist) != 3:
            valuelist = self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        if valuelist and all(not part.strip() for part in valuelist):
            self.data = None  # empty: InputRequired or Optional decides
            return
        super().process_formdata([part.strip() for part in valuelist])
