"""Form pieces shared by every feature."""

from __future__ import annotations

import flask_babel
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSubmitInput
from wtforms import DateField, RadioField, SelectChoice, SubmitField
from wtforms.validators import DataRequired, InputRequired

from portal.i18n import LANGUAGES, ascii_digits, local_digits

# WTForms' own messages, in the portal's plain words and in every shipped language (WTForms ships no
# Bengali, Somali or Urdu, and its English is not GOV.UK style). Our fields set their own messages; these
# are the ones a hand-made request or an option that has just been taken away can still reach.
WTFORMS_MESSAGES = {
    "Not a valid choice.": _l("Select one of the options shown"),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Select one of the options shown"),
    "Invalid Choice: could not coerce.": _l("Select one of the options shown"),
    "This field is required.": _l("Answer this question"),
    "Not a valid integer value.": _l("Enter a whole number, like 3"),
    "Not a valid date value.": _l("Enter a real date"),
}


class FormTranslations:
    """What WTForms asks to translate, answered from the portal's catalogue (see WTFORMS_MESSAGES)."""

    def gettext(self, string: str) -> str:
        message = WTFORMS_MESSAGES.get(string)
        return str(message) if message is not None else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # WTForms fills in %(max)d itself, so the catalogue's text is returned unformatted.
        if singular == "Field cannot be longer than %(max)d character.":
            words = flask_babel.get_translations().ungettext(
                "This must be %(max)d character or fewer", "This must be %(max)d characters or fewer", n)
            return words.replace("%(max)d", local_digits(str(n)))  # WTForms' own formatting writes 0-9
        if singular == "'%(value)s' is not a valid choice for this field.":
            return str(WTFORMS_MESSAGES["Not a valid choice."])
        return singular if n == 1 else plural


FORM_TRANSLATIONS = FormTranslations()


class FlaskForm(_FlaskForm):
    """Every form of the portal: Flask-WTF's, with WTForms' own messages in the page's language."""

    class Meta(_FlaskForm.Meta):
        def get_translations(self, form):
            return FORM_TRANSLATIONS


class EmptyForm(FlaskForm):
    """A form that is only a button (and its CSRF token): sign out, deactivate, and so on."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


NOT_KNOWN = "not-known"


def language_field(label, message, description: str = "", not_known: str | None = None) -> RadioField:
    """Radios for the shipped languages, each named in itself; with `not_known`, a last choice for when the
    language is not known (its value is NOT_KNOWN)."""
    extra = [SelectChoice(NOT_KNOWN, not_known)] if not_known else []
    return RadioField(
        label,
        description=description,
        choices=[SelectChoice(code, lang.native_name) for code, lang in LANGUAGES.items()] + extra,
        validators=[DataRequired(message=message)],  # the default (when there is one) stands if none is sent
        widget=LanguageRadioInput(),
    )


class LanguageRadioInput(GovRadioInput):
    """Radios whose labels are each in their own language: a screen reader says "বাংলা" in Bengali."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item in params["items"]:
            lang = LANGUAGES.get(item.get("value"))
            if lang:
                item.setdefault("label", {})["attributes"] = {"lang": lang.code, "dir": lang.direction}
        return params


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
        super().process_formdata([ascii_digits(part.strip()) for part in valuelist])
