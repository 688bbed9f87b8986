"""The child-friendly feedback form: four questions with faces, and a box for one thing to do better."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.feedback.services import NO, PARTLY, YES

FACES = [SelectChoice(YES, _l("Yes")), SelectChoice(PARTLY, _l("A bit")), SelectChoice(NO, _l("No"))]

CHILD_QUESTIONS = {
    "welcomed": _l("Did people listen to you and treat you well?"),
    "about_child": _l("Was the meeting about you and what you need?"),
    "understood_reports": _l("Did you understand what people said about you?"),
    "had_say": _l("Did you get a say in what happens next?"),
}


def _faces(question: str) -> RadioField:
    return RadioField(CHILD_QUESTIONS[question], choices=FACES, coerce=int,
                      validators=[InputRequired(message=_l("Choose a face for this question"))], widget=GovRadioInput())


class ChildFeedbackForm(FlaskForm):
    welcomed = _faces("welcomed")
    about_child = _faces("about_child")
    understood_reports = _faces("understood_reports")
    had_say = _faces("had_say")
    do_better = TextAreaField(_l("What is one thing we could do better? (optional)"), widget=GovTextArea(), validators=[
        Optional(), Length(max=2000, message=_l("This must be 2,000 characters or fewer"))])
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())
