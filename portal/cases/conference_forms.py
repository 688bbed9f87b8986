"""Forms for scheduling and cancelling conferences."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.cases.conferences import Agency, Format, Kind
from portal.forms import GovDateField

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")

# The name the family sees in the council's letters, kept in English in every language so they recognise it. An
# extra-familial risk conference is a child protection conference too, tailored to risks outside the family.
FORMAL_NAMES = {
    "icpc": "Initial Child Protection Conference",
    "review": "Review Child Protection Conference",
    "extra_familial": "Child Protection Conference",
}

KIND_LABELS = {
    Kind.ICPC: _l("Initial child protection conference"),
    Kind.REVIEW: _l("Review conference"),
    Kind.EXTRA_FAMILIAL: _l("Conference about risks outside the family"),
}
AGENCY_LABELS = {
    Agency.YOUTH_JUSTICE: _l("Youth justice service"),
    Agency.SCHOOL: _l("School or college"),
    Agency.YOUTH_SERVICE: _l("Youth service"),
    Agency.POLICE: _l("Police"),
    Agency.COMMUNITY_SAFETY: _l("Community safety"),
    Agency.HEALTH: _l("Health (GP, health visitor or school nurse)"),
    Agency.EARLY_HELP: _l("Early help"),
}
FORMAT_LABELS = {Format.IN_PERSON: _l("In person"), Format.HYBRID: _l("In person and online")}


class ScheduleConferenceForm(FlaskForm):
    """Schedule a conference: kind, London date and time, format, venue, chair."""

    kind = RadioField(_l("Type of conference"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
                      validators=[InputRequired(message=_l("Select the type of conference"))], widget=GovRadioInput())
    day = GovDateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date of the conference"))],
                       invalid_message=_l("The date of the conference must be a real date, like 27 3 2027"),
                       description=_l("For example, 27 3 2027"))
    start_time = StringField(_l("Start time"), description=_l("Use the 24-hour clock, for example 10:30 or 14:00"),
                             validators=[InputRequired(message=_l("Enter the start time"))], widget=GovTextInput())
    # i18n: how the conference is held: in person, or in person and online
    format = RadioField(_l("Format"), choices=[SelectChoice(f.value, label) for f, label in FORMAT_LABELS.items()],
                        validators=[InputRequired(message=_l("Select the format"))], widget=GovRadioInput())
    venue = SelectField(_l("Venue"), coerce=str, validate_choice=False, validators=[InputRequired(message=_l("Select a venue"))], widget=GovSelect())
    chair = SelectField(_l("Chair"), coerce=str, validate_choice=False, validators=[InputRequired(message=_l("Select the chair"))], widget=GovSelect())
    short_notice_reason = TextAreaField(
        _l("Reason for less than 12 days' notice (if it is)"),
        description=_l("Parents must have at least 12 days' notice. If the conference is sooner, say why."),
        validators=[Optional(), Length(max=500, message=_l("The reason must be 500 characters or fewer"))],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Schedule conference"), widget=GovSubmitInput())

    def set_choices(self, venues, chairs) -> None:
        self.venue.choices = [SelectChoice("", _l("Choose a venue"))] + [SelectChoice(str(v.id), v.name) for v in venues]
        self.chair.choices = [SelectChoice("", _l("Choose a chair"))] + [SelectChoice(str(c.id), c.name) for c in chairs]

    def validate_start_time(self, field) -> None:
        match = TIME.match(field.data or "")
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValidationError(_l("Enter the start time in the 24-hour clock, like 10:30"))
        field.parsed = time(int(match.group(1)), int(match.group(2)))


class CancelConferenceForm(FlaskForm):
    """Cancel a conference, saying why (the family sees the reason)."""

    reason = TextAreaField(_l("Why is the conference cancelled?"), description=_l("The family will see this. Use plain words."),
                           validators=[InputRequired(message=_l("Enter why the conference is cancelled")),
                                       Length(max=500, message=_l("The reason must be 500 characters or fewer"))],
                           widget=GovTextArea())
    submit = SubmitField(_l("Cancel conference"), widget=GovSubmitInput())


class PreConferenceContactForm(FlaskForm):
    """The chair records contact with the family and the agreed attendee list."""

    contacted_on = GovDateField(_l("When did you speak with the family?"), validators=[InputRequired(message=_l("Enter the date you spoke with the family"))],
                                invalid_message=_l("The date you spoke with the family must be a real date, like 27 3 2027"))
    contacted_whom = StringField(_l("Who did you speak with?"), validators=[InputRequired(message=_l("Enter who you spoke with")), Length(max=300, message=_l("This must be 300 characters or fewer"))], widget=GovTextInput())
    family_views = TextAreaField(_l("The family's views on how the conference should run"), validators=[Optional(), Length(max=4000, message=_l("This must be 4,000 characters or fewer"))], widget=GovTextArea())
    attendees = SelectMultipleField(_l("Who from the case will attend"), description=_l("Only the people most important to the child."), coerce=int,
                                    validate_choice=False, widget=GovCheckboxesInput())
    agencies = SelectMultipleField(_l("Agencies to invite"), description=_l("Someone from each agency ticked is invited, name to be confirmed."),
                                   choices=[SelectChoice(k.value, v) for k, v in AGENCY_LABELS.items()],
                                   validators=[Optional()], widget=GovCheckboxesInput())
    other_attendees = TextAreaField(_l("Other professionals who will attend"), description=_l("One person a line: name, role, agency. For example: Sam Smith, Health visitor, NHS"),
                                    validators=[Optional(), Length(max=4000, message=_l("This must be 4,000 characters or fewer"))], widget=GovTextArea())
    comfortable_professional = StringField(_l("A professional the family feels comfortable with (optional)"), validators=[Optional(), Length(max=200, message=_l("This must be 200 characters or fewer"))], widget=GovTextInput())
    extra_support = TextAreaField(_l("Extra support the family needs to take part (optional)"), validators=[Optional(), Length(max=2000, message=_l("This must be 2,000 characters or fewer"))], widget=GovTextArea())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_contacted_on(self, field) -> None:
        from datetime import date as _date

        if field.data and field.data > _date.today():
            raise ValidationError(_l("The date you spoke with the family must be today or in the past"))


DECISION_LABELS = {
    "plan": _l("The child or children need a child protection plan"),
    "no_plan": _l("No child protection plan is needed"),
}
CATEGORY_LABELS = {
    "neglect": _l("Neglect"),
    "physical_abuse": _l("Physical abuse"),
    "emotional_abuse": _l("Emotional abuse"),
    "sexual_abuse": _l("Sexual abuse"),
}


class OutcomeForm(FlaskForm):
    """The chair records the decision of a conference that has been held."""

    decision = RadioField(_l("What did the conference decide?"), choices=[SelectChoice(k, v) for k, v in DECISION_LABELS.items()],
                          validators=[InputRequired(message=_l("Select what the conference decided"))], widget=GovRadioInput())
    category = RadioField(_l("Category of the plan"), choices=[SelectChoice(k, v) for k, v in CATEGORY_LABELS.items()],
                          validators=[Optional()], widget=GovRadioInput())
    reasons = TextAreaField(_l("Why: the reasons for the decision, in plain words"), description=_l("The family will read this. Avoid jargon."),
                            validators=[InputRequired(message=_l("Enter the reasons for the decision")),
                                        Length(max=4000, message=_l("This must be 4,000 characters or fewer"))], widget=GovTextArea())
    submit = SubmitField(_l("Save the outcome"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Optional() ends the category's own checks when it is empty, so the rule lives here.
        if self.decision.data == "plan" and not self.category.data:
            self.category.errors = list(self.category.errors) + [_l("Select the category of the plan")]
            ok = False
        return ok
