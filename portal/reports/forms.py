"""Forms for writing, sharing and reading reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea,
                                                 GovTextInput)
from wtforms import (HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField, ValidationError)
from wtforms.validators import InputRequired, Length, Optional

from portal.db import utcnow
from portal.forms import GovDateField
from portal.i18n import LANGUAGES
from portal.idempotency import OnceForm
from portal.timeline import london_date

SECTION_LABELS = {
    "what_happened": _l("What has happened"),
    "going_well": _l("What is going well"),
    "worries": _l("What we are worried about"),
    "impact": _l("How this affects the child"),
    "next_steps": _l("What needs to happen next"),
}


def _section(name: str) -> TextAreaField:
    return TextAreaField(SECTION_LABELS[name], validators=[Optional(), Length(max=20000, message=_l("This section must be 20,000 characters or fewer"))],
                         widget=GovTextArea())


class ReportForm(FlaskForm):
    """The five sections of a report, and the version they were based on (to catch a second writer)."""

    what_happened = _section("what_happened")
    going_well = _section("going_well")
    worries = _section("worries")
    impact = _section("impact")
    next_steps = _section("next_steps")
    based_on = HiddenField()
    submit = SubmitField(_l("Save draft"), widget=GovSubmitInput())


class ShareForm(FlaskForm):
    """Choose which family members receive the report."""

    recipients = SelectMultipleField(_l("Who should get this report?"), coerce=int, validate_choice=False, widget=GovCheckboxesInput())
    submit = SubmitField(_l("Share the report"), widget=GovSubmitInput())


# --- discussion, help with a report, the talk-through ----------------------------------------

class CommentForm(OnceForm):
    """A family member's question, disagreement or comment on one section of a report."""

    kind = RadioField(
        _l("What would you like to do?"),
        choices=[SelectChoice("question", _l("Ask a question")),
                 SelectChoice("disagree", _l("Say I disagree, and why")),
                 SelectChoice("comment", _l("Add a comment"))],
        validators=[InputRequired(message=_l("Select what you would like to do"))],
        widget=GovRadioInput(),
    )
    # i18n: label of the box where a family member writes a question, disagreement or comment about a report
    body = TextAreaField(_l("Your words"), validators=[
        InputRequired(message=_l("Enter your question, your reason or your comment")),
        Length(max=5000, message=_l("Your words must be 5,000 characters or fewer"))], widget=GovTextArea())
    # i18n: button that sends a family member's question or comment on a report to the staff
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


class ReplyForm(OnceForm):
    """A reply in a discussion thread."""

    body = TextAreaField(_l("Your reply"), validators=[
        InputRequired(message=_l("Enter your reply")),
        Length(max=5000, message=_l("Your reply must be 5,000 characters or fewer"))], widget=GovTextArea())
    submit = SubmitField(_l("Send reply"), widget=GovSubmitInput())


class InterpreterForm(FlaskForm):
    """Ask for an interpreter for a report, saying which language (and dialect) if they wish."""

    language = StringField(_l("Which language, and dialect if it matters?"), validators=[
        Optional(), Length(max=80, message=_l("The language must be 80 characters or fewer"))], widget=GovTextInput())


class TalkedThroughForm(FlaskForm):
    """The author records the day they talked the family through the report."""

    day = GovDateField(_l("When did you talk the family through this report?"),
                       validators=[InputRequired(message=_l("Enter the date you talked the family through the report"))])
    # i18n: button: saves the date someone talked the family through a report
    submit = SubmitField(_l("Save the date"), widget=GovSubmitInput())

    def validate_day(self, field):
        if field.data and field.data > london_date(utcnow()):
            raise ValidationError(_l("The date must be today or in the past"))


# --- the family's own views ------------------------------------------------------------------------

VIEWS_LABELS = {
    "going_well": _l("What is going well"),
    "worries": _l("What worries me"),
    "would_like": _l("What I would like to happen"),
    "help_wanted": _l("What help would make a difference"),
}
VIEWS_HINTS = {
    "going_well": _l("For example, things you do well with your children, or people who help you."),
    "worries": _l("What worries you about your family, or about what the reports say."),
    "would_like": _l("What you would like to happen for your children, and for you."),
    "help_wanted": _l("Help from the council, from other services, or from family and friends."),
}


def _views_section(name: str) -> TextAreaField:
    return TextAreaField(VIEWS_LABELS[name], description=VIEWS_HINTS[name],
                         validators=[Optional(), Length(max=20000, message=_l("This part must be 20,000 characters or fewer"))],
                         widget=GovTextArea())


class ViewsForm(FlaskForm):
    """A parent's views: four guided prompts, the language they wrote in, and the version they started from."""

    going_well = _views_section("going_well")
    worries = _views_section("worries")
    would_like = _views_section("would_like")
    help_wanted = _views_section("help_wanted")
    language = SelectField(_l("Which language are you writing in?"), widget=GovSelect(), validate_choice=True)
    based_on = HiddenField()
    submit = SubmitField(_l("Save and continue"), widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [SelectChoice(code, lang.native_name) for code, lang in LANGUAGES.items()]


class HelperForm(FlaskForm):
    """The parent chooses an advocate of their case to help with their views."""

    advocate = RadioField(_l("Who would you like to help you?"), coerce=int, validate_choice=False,
                          validators=[InputRequired(message=_l("Select who you would like to help you"))], widget=GovRadioInput())
    submit = SubmitField(_l("Invite them"), widget=GovSubmitInput())


class AudienceForm(FlaskForm):
    """Who, beyond the chair and the social worker, may read the parent's views."""

    readers = SelectMultipleField(_l("Who else can read your views?"), coerce=int, validate_choice=False,
                                  widget=GovCheckboxesInput())
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
