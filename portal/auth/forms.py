"""Forms for signing in and looking after an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from portal.auth.services import password_problem
from portal.forms import language_field


class SignInForm(FlaskForm):
    """Sign in with an email address, mobile number or username, and a password."""

    login = StringField(
        _l("Email address, mobile phone number or username"),
        validators=[InputRequired(message=_l("Enter your email address, mobile phone number or username")), Length(max=254)],
        widget=GovTextInput(),
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password")), Length(max=256)],
        widget=GovPasswordInput(),
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class NewPasswordMixin:
    """A new password typed twice, checked against the password guidance."""

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_confirm(self, field) -> None:
        if (field.data or "") != (self.password.data or ""):  # type: ignore[attr-defined]
            raise ValidationError(_l("The passwords do not match. Type the same password in both boxes"))


def new_password_field() -> PasswordField:
    return PasswordField(
        _l("Create a password"),
        description=_l("Use at least 10 characters. A few words you will remember, like 'green kettle sunny Tuesday', work well."),
        validators=[InputRequired(message=_l("Create a password"))],
        widget=GovPasswordInput(),
    )


def confirm_field() -> PasswordField:
    return PasswordField(
        _l("Type the password again"),
        validators=[InputRequired(message=_l("Type the password again"))],
        widget=GovPasswordInput(),
    )


class SetUpAccountForm(NewPasswordMixin, FlaskForm):
    """Set up an invited account: a password and a language."""

    password = new_password_field()
    confirm = confirm_field()
    language = language_field(_l("Which language do you want to use?"), _l("Select the language you want to use"))
    submit = SubmitField(_l("Set up my account"), widget=GovSubmitInput())


class PasswordResetRequestForm(FlaskForm):
    """Ask for a link to choose a new password."""

    login = StringField(
        _l("Email address or mobile phone number"),
        validators=[InputRequired(message=_l("Enter your email address or mobile phone number")), Length(max=254)],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Send me a link"), widget=GovSubmitInput())


class NewPasswordForm(NewPasswordMixin, FlaskForm):
    """Choose a new password from a reset link."""

    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Save my new password"), widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    """A signed-in person changes their password."""

    current = PasswordField(
        _l("Your current password"),
        validators=[InputRequired(message=_l("Enter your current password"))],
        widget=GovPasswordInput(),
    )
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Change my password"), widget=GovSubmitInput())


class MfaCodeForm(FlaskForm):
    """The 6-digit code from an authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("The 6 numbers the app shows now"),
        validators=[InputRequired(message=_l("Enter the 6-digit code from your authenticator app")), Length(max=20)],
        widget=GovTextInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
