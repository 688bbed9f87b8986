"""Forms for managing staff accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.roles import Role
from portal.cases.forms import EMAIL

STAFF_ROLE_LABELS = {
    Role.SOCIAL_WORKER: _l("Social worker"),
    Role.CHAIR: _l("Conference chair"),
    Role.PROFESSIONAL: _l("Professional (school, health, police)"),
    Role.ADVOCATE: _l("Advocate"),
    Role.SQA_MANAGER: _l("Safeguarding and quality assurance manager"),
    Role.ADMIN: _l("Administrator"),
}


# A hint under each choice of NewStaffForm.sign_in_method, in the same order.
SIGN_IN_METHOD_HINTS = (
    _l("The account they use for their other work systems. No invitation is sent: they can sign in straight away."),
    _l("For people without a council account, such as staff of a partner agency. They get an invitation to choose a password."),
)


class NewStaffForm(FlaskForm):
    """Create a staff account; the person sets their own password from the invitation."""

    name = StringField(_l("Full name"), validators=[InputRequired(message=_l("Enter their full name")), Length(max=120, message=_l("Name must be 120 characters or fewer"))], widget=GovTextInput())
    email = StringField(_l("Work email address"), validators=[InputRequired(message=_l("Enter their work email address")), Length(max=254, message=_l("Email address must be 254 characters or fewer"))], widget=GovTextInput())
    role = RadioField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in STAFF_ROLE_LABELS.items()],
        validators=[InputRequired(message=_l("Select their role"))],
        widget=GovRadioInput(),
    )
    # Asked only where staff can sign in with the council's identity provider (routes drop it otherwise).
    sign_in_method = RadioField(
        _l("How will they sign in?"),
        choices=[
            SelectChoice("council", _l("With their council account")),
            SelectChoice("password", _l("With a portal password and an authenticator app")),
        ],
        default="council",
        validators=[InputRequired(message=_l("Select how they will sign in"))],
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Create account and send invitation"), widget=GovSubmitInput())

    def validate_email(self, field) -> None:
        field.data = (field.data or "").strip().lower()
        if not EMAIL.match(field.data):
            raise ValidationError(_l("Enter an email address in the correct format, like name@example.com"))


class VenueForm(FlaskForm):
    """A place conferences can be held."""

    name = StringField(_l("Name"), validators=[InputRequired(message=_l("Enter the name of the venue")), Length(max=120, message=_l("Name must be 120 characters or fewer"))], widget=GovTextInput())
    address = StringField(_l("Address"), validators=[InputRequired(message=_l("Enter the address of the venue")), Length(max=300, message=_l("Address must be 300 characters or fewer"))], widget=GovTextInput())
    accessibility_notes = TextAreaField(_l("Access and facilities (optional)"), description=_l("For example: step-free entrance, hearing loop, quiet room, baby changing."),
                                        validators=[Optional(), Length(max=500, message=_l("This must be 500 characters or fewer"))], widget=GovTextArea())
    directions = TextAreaField(_l("How to get there (optional)"), description=_l("In plain words: buses, stations, landmarks. No map links: they track the family."),
                               validators=[Optional(), Length(max=1000, message=_l("This must be 1,000 characters or fewer"))], widget=GovTextArea())
    council_office = RadioField(_l("Is it a council office?"), description=_l("Initial conferences are always held at council offices."),
                                choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                                validators=[InputRequired(message=_l("Select yes if it is a council office"))], widget=GovRadioInput())
    active = RadioField(_l("Can conferences be booked here?"), choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                        default="yes", validators=[InputRequired(message=_l("Select yes if conferences can be booked here"))], widget=GovRadioInput())
    submit = SubmitField(_l("Save venue"), widget=GovSubmitInput())
