"""Forms of the plan: an action, the family's say on it, the midway review, and a service of the directory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.forms import GovDateField
from portal.plans.services import NO_SERVICE_FITS, Agreement, Progress
from portal.i18n import isolate


# The messages exist once each, so every language has them already.
TOO_LONG = {200: _l("This must be 200 characters or fewer"), 300: _l("This must be 300 characters or fewer"),
            500: _l("This must be 500 characters or fewer"), 1000: _l("This must be 1,000 characters or fewer"),
            2000: _l("This must be 2,000 characters or fewer")}


def _text(label, required_message, limit, *, description=None, area=True):
    """A required text box with a GOV.UK message when it is empty or too long."""
    # DataRequired, not InputRequired: a box of spaces is an empty box.
    validators = [DataRequired(message=required_message),
                  Length(max=limit, message=TOO_LONG[limit])]
    if area:
        return TextAreaField(label, description=description, validators=validators, widget=GovTextArea())
    return StringField(label, description=description, validators=validators, widget=GovTextInput())


def _optional_text(label, limit, *, description=None):
    return TextAreaField(label, description=description, widget=GovTextArea(), validators=[
        Optional(), Length(max=limit, message=TOO_LONG[limit])])


class ActionForm(FlaskForm):
    """One action of the plan. The impact on the child comes first: it is why the action is on the plan."""

    impact = _text(_l("The impact on the child this action addresses"), _l("Enter the impact on the child this action addresses"), 2000,
                   description=_l("How what happened is affecting the child, in words the family will understand. "
                                  "Not their general wellbeing."))
    action = _text(_l("What will be done"), _l("Enter what will be done"), 2000,
                   description=_l("The whole family reads this. Do not write where anyone lives."))
    by_whom = _text(_l("Who will do it"), _l("Enter who will do it"), 300, area=False)
    due_on = GovDateField(_l("By when"), validators=[InputRequired(message=_l("Enter the date it will be done by"))],
                          invalid_message=_l("The date must be a real date, like 27 3 2027"))
    submit = SubmitField(_l("Save the action"), widget=GovSubmitInput())


AGREEMENT_LABELS = {
    Agreement.AGREE: _l("I agree"),
    Agreement.AGREE_WITH_CHANGE: _l("I agree, if something changes"),
    Agreement.DISAGREE: _l("I do not agree"),
}


class YourSayForm(FlaskForm):
    """A parent's or carer's say on one action, and the service they feel would help most."""

    agreement = RadioField(_l("Do you agree with this action?"), choices=[SelectChoice(k.value, v) for k, v in AGREEMENT_LABELS.items()],
                           validators=[InputRequired(message=_l("Select if you agree with this action"))], widget=GovRadioInput())
    comment = _optional_text(_l("What would you change, or why do you not agree?"), 2000,
                             description=_l("You need to fill this in if you want a change or do not agree."))
    service = RadioField(_l("Which service do you feel would help you most with this? (optional)"), choices=[],
                         validators=[Optional()], widget=GovRadioInput())
    no_service_why = _optional_text(_l("Why does none of these fit?"), 2000)
    submit = SubmitField(_l("Save my answer"), widget=GovSubmitInput())

    def set_services(self, services) -> None:
        self.service.choices = [SelectChoice(str(s.id), isolate(s.name)) for s in services] + \
            [SelectChoice(NO_SERVICE_FITS, _l("None of these would help"))]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        comment = (self.comment.data or "").strip()
        if self.agreement.data == Agreement.AGREE_WITH_CHANGE and not comment and not self.comment.errors:
            self.comment.errors = list(self.comment.errors) + [_l("Say what you would change")]
            ok = False
        if self.agreement.data == Agreement.DISAGREE and not comment and not self.comment.errors:
            self.comment.errors = list(self.comment.errors) + [_l("Say why you do not agree")]
            ok = False
        if self.service.data == NO_SERVICE_FITS and not (self.no_service_why.data or "").strip() and not self.no_service_why.errors:
            self.no_service_why.errors = list(self.no_service_why.errors) + [_l("Say why none of these services fits")]
            ok = False
        return ok


PROGRESS_LABELS = {
    # i18n: how an action of the plan is going, recorded at the midway review: done, on track, or stuck
    Progress.DONE: _l("Done"),
    # i18n: how an action of the plan is going: as planned
    Progress.ON_TRACK: _l("On track"),
    # i18n: how an action of the plan is going: it has stopped moving
    Progress.STUCK: _l("Stuck"),
}


class MidwayReviewForm(FlaskForm):
    """The midway review: when it took place; the progress fields of each action are added per plan."""

    held_on = GovDateField(_l("When did the midway review take place?"),
                           validators=[InputRequired(message=_l("Enter the date of the midway review"))],
                           invalid_message=_l("The date must be a real date, like 27 3 2027"))
    submit = SubmitField(_l("Save the midway review"), widget=GovSubmitInput())
    # The day of the conference: a midway review cannot come before it (set per plan).
    conference_day = None

    def validate_held_on(self, field) -> None:
        from datetime import date

        if field.data and field.data > date.today():
            raise ValidationError(_l("The date must be today or in the past"))
        if field.data and self.conference_day and field.data < self.conference_day:
            raise ValidationError(_l("The midway review must be on or after the day of the conference"))


def midway_review_form(actions, conference_day, formdata=None) -> MidwayReviewForm:
    """The midway review form with, for each action, how it is going and one sentence about it."""

    class Form(MidwayReviewForm):
        pass

    for row in actions:
        setattr(Form, f"progress_{row.id}", RadioField(
            _l("How is it going?"), choices=[SelectChoice(k.value, v) for k, v in PROGRESS_LABELS.items()],
            validators=[InputRequired(message=_l("Select how this action is going"))], widget=GovRadioInput()))
        setattr(Form, f"note_{row.id}", _text(_l("In one sentence: what has happened?"), _l("Enter what has happened"), 1000))
    form = Form(formdata=formdata) if formdata is not None else Form()
    form.conference_day = conference_day
    return form


class ServiceForm(FlaskForm):
    """A local service in the directory families choose from."""

    name = _text(_l("Name of the service"), _l("Enter the name of the service"), 200, area=False)
    offers = _text(_l("What it offers"), _l("Enter what the service offers"), 2000,
                   description=_l("In plain words: families read this when they choose."))
    languages = StringField(_l("Languages it works in (optional)"), widget=GovTextInput(), validators=[
        Optional(), Length(max=500, message=TOO_LONG[500])])
    where = StringField(_l("Where (optional)"), description=_l("An area or a building the public may know. Not a home address."),
                        widget=GovTextInput(), validators=[
                            Optional(), Length(max=500, message=TOO_LONG[500])])
    contact = _text(_l("How to contact it"), _l("Enter how to contact the service"), 500, area=False)
    active = BooleanField(_l("Families can choose this service"), default=True, widget=GovCheckboxInput())
    submit = SubmitField(_l("Save the service"), widget=GovSubmitInput())
