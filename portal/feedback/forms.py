"""Feedback forms: the adults' (parents, carers and professionals) and the child-friendly one with faces,
the same four questions on the same scale; and the chair's note of what to change for the review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.feedback.services import NO, PARTLY, YES

FACES = [
    SelectChoice(YES, _l("Yes")),
    # i18n: an answer on the children's feedback form, shown with a face, between Yes and No
    SelectChoice(PARTLY, _l("A bit")),
    SelectChoice(NO, _l("No")),
]

CHILD_QUESTIONS = {
    "welcomed": _l("Did people listen to you and treat you well?"),
    "about_child": _l("Was the meeting about you and what you need?"),
    "understood_reports": _l("Did you understand what people said about you?"),
    "had_say": _l("Did you get a say in what happens next?"),
}


def _question(label, choices, message) -> RadioField:
    """One question on the one scale (3 yes, 2 partly, 1 no), in the words of its form."""
    return RadioField(label, choices=choices, coerce=int, validators=[InputRequired(message=message)], widget=GovRadioInput())


def _do_better() -> TextAreaField:
    return TextAreaField(_l("What is one thing we could do better? (optional)"), widget=GovTextArea(), validators=[
        Optional(), Length(max=2000, message=_l("This must be 2,000 characters or fewer"))])


def _faces(question: str) -> RadioField:
    return _question(CHILD_QUESTIONS[question], FACES, _l("Choose a face for this question"))


class ChildFeedbackForm(FlaskForm):
    welcomed = _faces("welcomed")
    about_child = _faces("about_child")
    understood_reports = _faces("understood_reports")
    had_say = _faces("had_say")
    do_better = _do_better()
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


ANSWERS = [
    SelectChoice(YES, _l("Yes")),
    # i18n: an answer on the adults' feedback form, between Yes and No
    SelectChoice(PARTLY, _l("Partly")),
    SelectChoice(NO, _l("No")),
]

ADULT_QUESTIONS = {
    "welcomed": _l("Did you feel welcomed and respected?"),
    "about_child": _l("Was the conference about the child and what they need?"),
    "understood_reports": _l("Did you understand the reports before the conference?"),
    "had_say": _l("Did you have a say in the plan?"),
}

# The questions as the chair's review and the charts name them (short, the same for every form).
QUESTION_TITLES = {
    "welcomed": _l("Felt welcomed and respected"),
    "about_child": _l("The conference was about the child"),
    "understood_reports": _l("Understood the reports before the conference"),
    "had_say": _l("Had a say in the plan"),
}
# i18n: an answer on the adults' feedback form, between Yes and No
ANSWER_LABELS = {YES: _l("Yes"), PARTLY: _l("Partly"), NO: _l("No")}
RESPONDENT_ONE = {"parent": _l("Parent or carer"), "young_person": _l("Young person"), "professional": _l("Professional")}
RESPONDENT_LABELS = {"parent": _l("Parents and carers"), "young_person": _l("Young people"), "professional": _l("Professionals")}


def _answer(question: str) -> RadioField:
    return _question(ADULT_QUESTIONS[question], ANSWERS, _l("Select an answer to this question"))


class AdultFeedbackForm(FlaskForm):
    welcomed = _answer("welcomed")
    about_child = _answer("about_child")
    understood_reports = _answer("understood_reports")
    had_say = _answer("had_say")
    do_better = _do_better()
    anonymous = BooleanField(_l("Do not show my name to the chair"),
                             description=_l("Your answers still count, without your name."), widget=GovCheckboxInput())
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


class ChangeForm(FlaskForm):
    """One thing to change for the review conference, written for the family to read."""

    text = TextAreaField(_l("What will you change for the review conference?"),
                         description=_l("The family reads this. For example: meet at the family hub; a Sylheti interpreter; shorter reports."),
                         widget=GovTextArea(), validators=[
                             DataRequired(message=_l("Enter what you will change")),
                             Length(max=500, message=_l("This must be 500 characters or fewer"))])
    submit = SubmitField(_l("Add"), widget=GovSubmitInput())
