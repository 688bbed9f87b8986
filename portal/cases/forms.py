"""Forms about cases."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.roles import Role
from portal.auth.services import normalise_mobile
from portal.forms import GovDateField, language_field

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


class InviteForm(FlaskForm):
    """Invite someone to take part in a case."""

    name = StringField(_l("Full name"), validators=[InputRequired(message=_l("Enter their full name")), Length(max=120, message=_l("Name must be 120 characters or fewer"))], widget=GovTextInput())
    role = RadioField(
        _l("Who are they in this case?"),
        choices=[
            SelectChoice(Role.PARENT.value, _l("Parent")),
            SelectChoice(Role.CARER.value, _l("Carer")),
            SelectChoice(Role.YOUNG_PERSON.value, _l("Young person")),
            SelectChoice(Role.ADVOCATE.value, _l("Advocate")),
            SelectChoice(Role.PROFESSIONAL.value, _l("Professional")),
        ],
        validators=[InputRequired(message=_l("Select who they are in this case"))],
        widget=GovRadioInput(),
    )
    child = RadioField(_l("If they are a young person: which child are they?"), description=_l("Their age on the day of each conference decides what they are asked, and who consents to an advocate."),
                       validate_choice=False, validators=[Optional()], widget=GovRadioInput())
    relationship = StringField(_l("Relationship to the children (optional)"), description=_l("For example, mother, grandmother, school nurse"),
                               validators=[Optional(), Length(max=60, message=_l("Relationship must be 60 characters or fewer"))], widget=GovTextInput())
    lives_with_child = RadioField(
        _l("Do they live with the children?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(message=_l("Select yes if they live with the children"))],
        widget=GovRadioInput(),
    )
    email = StringField(_l("Email address"), validators=[Optional(), Length(max=254, message=_l("Email address must be 254 characters or fewer"))], widget=GovTextInput())
    mobile = StringField(_l("Mobile phone number"), description=_l("A UK mobile number, like 07700 900 982"), validators=[Optional(), Length(max=30)], widget=GovTextInput())
    username = StringField(_l("Username (optional, young people only)"), description=_l("A young person can sign in with this instead of an email address. Use 3 to 40 letters or numbers."),
                           validators=[Optional(), Length(max=40)], widget=GovTextInput())
    language = language_field(
        _l("Which language should their messages be in?"), _l("Select the language for their messages"),
        description=_l("We send the invitation in this language, and the website opens in it. They can change it at any time."),
        not_known=_l("Not known: they choose it when they set up their account"))
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())

    def validate_email(self, field) -> None:
        if field.data:
            field.data = field.data.strip().lower()
            if not EMAIL.match(field.data):
                raise ValidationError(_l("Enter an email address in the correct format, like name@example.com"))

    def validate_mobile(self, field) -> None:
        if field.data:
            normalised = normalise_mobile(field.data)
            if not normalised:
                raise ValidationError(_l("Enter a UK mobile phone number, like 07700 900 982"))
            field.data = normalised

    def validate_username(self, field) -> None:
        if field.data:
            field.data = field.data.strip().lower()
            if self.role.data != Role.YOUNG_PERSON.value:
                raise ValidationError(_l("Only young people can have a username. Leave it empty"))
            if not USERNAME.match(field.data):
                raise ValidationError(_l("Use 3 to 40 letters or numbers for the username"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.role.data == Role.YOUNG_PERSON.value and self.child.data not in {str(c.value) for c in self.child.choices or []}:
            self.child.errors = list(self.child.errors) + [_l("Select which child the young person is")]
            ok = False
        if not self.email.errors and not self.mobile.errors and not (self.email.data or self.mobile.data):
            self.email.errors = list(self.email.errors) + [_l("Enter an email address or a mobile phone number, so we can send the invitation")]
            ok = False
        return ok


class NewCaseForm(FlaskForm):
    """Set up a case: the social worker who creates it is allocated to it."""

    strategy_discussion_on = GovDateField(
        _l("Date of the strategy discussion (if there has been one)"),
        validators=[Optional()],
        invalid_message=_l("The date of the strategy discussion must be a real date, like 27 3 2027"),
        description=_l("This starts the 15 working days within which the initial conference must be held."),
    )
    submit = SubmitField(_l("Create case"), widget=GovSubmitInput())

    def validate_strategy_discussion_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date of the strategy discussion must be today or in the past"))


class ChildForm(FlaskForm):
    """Add a child to a case."""

    first_name = StringField(_l("First name"), validators=[InputRequired(message=_l("Enter the child's first name")), Length(max=80, message=_l("First name must be 80 characters or fewer"))], widget=GovTextInput())
    last_name = StringField(_l("Last name"), validators=[InputRequired(message=_l("Enter the child's last name")), Length(max=80, message=_l("Last name must be 80 characters or fewer"))], widget=GovTextInput())
    date_of_birth = GovDateField(
        _l("Date of birth"),
        validators=[InputRequired(message=_l("Enter the child's date of birth"))],
        invalid_message=_l("Date of birth must be a real date, like 27 3 2015"),
        description=_l("For example, 27 3 2015"),
    )
    submit = SubmitField(_l("Add child"), widget=GovSubmitInput())

    def validate_date_of_birth(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("Date of birth must be today or in the past"))
        if field.data and field.data < date.today().replace(year=date.today().year - 19):
            raise ValidationError(_l("A child must be under 18. Check the date of birth"))
