"""Forms about cases."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.roles import Role
from portal.auth.services import normalise_mobile

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
        if not self.email.errors and not self.mobile.errors and not (self.email.data or self.mobile.data):
            self.email.errors = list(self.email.errors) + [_l("Enter an email address or a mobile phone number, so we can send the invitation")]
            ok = False
        return ok
