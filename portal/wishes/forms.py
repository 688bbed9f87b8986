"""Forms for a young person's wishes and feelings and for advocacy for children.

Labels here are the words for young people of 11 and over; the templates give younger children
(5 to 10) simpler words through the same fields (labels.py).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.forms import GovDateField
from portal.support.forms import person_name
from portal.wishes.labels import NEED_PLAN_LABELS, PART_LABELS
from portal.wishes.services import PARTS, TEXT_PARTS

MAX_WORDS_LENGTH = 5000


def _words(name: str) -> TextAreaField:
    return TextAreaField(PART_LABELS[name], widget=GovTextArea(), validators=[
        Optional(), Length(max=MAX_WORDS_LENGTH, message=_l("This must be 5,000 characters or fewer"))])


class WishesForm(FlaskForm):
    """The three houses, what the meeting should know and who should be there; `revision` catches a second writer."""

    worries = _words("worries")
    good_things = _words("good_things")
    dreams = _words("dreams")
    meeting_should_know = _words("meeting_should_know")
    who_there = _words("who_there")
    revision = HiddenField()
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())

    def values(self, names=TEXT_PARTS) -> dict[str, str]:
        return {name: self[name].data or "" for name in names}


class NeedPlanForm(FlaskForm):
    need_plan = RadioField(_l("Do you feel you need a child protection plan to help keep you safe?"),
                           choices=[SelectChoice(k, v) for k, v in NEED_PLAN_LABELS.items()],
                           validators=[InputRequired(message=_l("Select yes, no or not sure"))], widget=GovRadioInput())
    need_plan_why = TextAreaField(_l("Why do you feel that? (optional)"), widget=GovTextArea(), validators=[
        Optional(), Length(max=MAX_WORDS_LENGTH, message=_l("This must be 5,000 characters or fewer"))])
    revision = HiddenField()
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())


class AudienceForm(FlaskForm):
    """For each part, who else may see it (the choices are set per young person)."""

    worries = SelectMultipleField(PART_LABELS["worries"], coerce=int, validate_choice=False, widget=GovCheckboxesInput())
    good_things = SelectMultipleField(PART_LABELS["good_things"], coerce=int, validate_choice=False, widget=GovCheckboxesInput())
    dreams = SelectMultipleField(PART_LABELS["dreams"], coerce=int, validate_choice=False, widget=GovCheckboxesInput())
    meeting_should_know = SelectMultipleField(PART_LABELS["meeting_should_know"], coerce=int, validate_choice=False,
                                              widget=GovCheckboxesInput())
    who_there = SelectMultipleField(PART_LABELS["who_there"], coerce=int, validate_choice=False, widget=GovCheckboxesInput())
    need_plan = SelectMultipleField(PART_LABELS["need_plan"], coerce=int, validate_choice=False, widget=GovCheckboxesInput())
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())

    def set_choices(self, people: list[tuple[int, str]]) -> None:
        for part in PARTS:
            self[part].choices = [SelectChoice(pid, name) for pid, name in people]

    def chosen(self) -> dict[str, list[int]]:
        return {part: list(self[part].data or []) for part in PARTS}


WRITTEN_BY_LABELS = {
    "advocate_wrote": _l("I wrote this for them, with them"),
    "advocate_speaking": _l("I will speak for them at the conference"),
}


class ShareForm(FlaskForm):
    """Share the wishes. An advocate who wrote them says how they are presented."""

    written_by = RadioField(_l("How should the conference see these wishes and feelings?"),
                            choices=[SelectChoice(k, v) for k, v in WRITTEN_BY_LABELS.items()],
                            validators=[Optional()], widget=GovRadioInput())
    # i18n: button for a young person: share their wishes and feelings with the people they chose
    submit = SubmitField(_l("Share"), widget=GovSubmitInput())


# --- advocacy for children -----------------------------------------------------------------------

OFFER_RESPONSE_LABELS = {
    "accepted": _l("Yes, they would like an advocate"),
    "declined": _l("No, they do not want an advocate"),
    "not_yet": _l("They have not decided yet"),
}


class OfferForm(FlaskForm):
    offered_on = GovDateField(_l("When was advocacy offered?"), validators=[InputRequired(message=_l("Enter the date advocacy was offered"))],
                              invalid_message=_l("The date advocacy was offered must be a real date, like 27 3 2026"),
                              description=_l("For example, 27 3 2026"))
    response = RadioField(_l("What did the child say?"), choices=[SelectChoice(k, v) for k, v in OFFER_RESPONSE_LABELS.items()],
                          validators=[InputRequired(message=_l("Select what the child said"))], widget=GovRadioInput())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ConsentForm(FlaskForm):
    """A parent (child under 16) or the young person (16 and over) answers in the portal."""

    answer = RadioField(_l("Do you agree?"), choices=[SelectChoice("given", _l("Yes, I agree")), SelectChoice("refused", _l("No, I do not agree"))],
                        validators=[InputRequired(message=_l("Select yes if you agree"))], widget=GovRadioInput())
    submit = SubmitField(_l("Send my answer"), widget=GovSubmitInput())


OTHER_PERSON = "other"
SELF = "self"


class RecordConsentForm(FlaskForm):
    """The social worker records consent given outside the portal."""

    who = RadioField(_l("Who answered?"), validators=[InputRequired(message=_l("Select who answered"))], validate_choice=False,
                     widget=GovRadioInput())
    other_name = StringField(_l("Their name"), validators=[
        Optional(), Length(max=120, message=_l("The name must be 120 characters or fewer")),
        person_name(_l("The name can only have letters, spaces, hyphens and apostrophes"))], widget=GovTextInput())
    answer = RadioField(_l("What did they say?"), choices=[SelectChoice("given", _l("They agreed")), SelectChoice("refused", _l("They did not agree"))],
                        validators=[InputRequired(message=_l("Select what they said"))], widget=GovRadioInput())
    consent_on = GovDateField(_l("When did they answer?"), validators=[InputRequired(message=_l("Enter the date they answered"))],
                              invalid_message=_l("The date they answered must be a real date, like 27 3 2026"),
                              description=_l("For example, 27 3 2026"))
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.who.data == OTHER_PERSON and not (self.other_name.data or "").strip() and not self.other_name.errors:
            self.other_name.errors = list(self.other_name.errors) + [_l("Enter the name of the person with parental responsibility")]
            ok = False
        return ok


class AllocateForm(FlaskForm):
    advocate = RadioField(_l("Which advocate?"), coerce=int, validators=[InputRequired(message=_l("Select an advocate"))],
                          widget=GovRadioInput())
    submit = SubmitField(_l("Allocate the advocate"), widget=GovSubmitInput())
