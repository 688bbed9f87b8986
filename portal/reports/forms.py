"""Forms for writing, sharing and reading reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextArea
from wtforms import HiddenField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

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
