"""Forms for asking for support, answering offers, and deciding."""

from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.forms import GovDateField
from portal.idempotency import OnceForm
from portal.support.services import Kind, Status
from portal.i18n import isolate
from portal.support.services import NEEDS_REASON, decisions_for

NAME_PUNCTUATION = set(" -'’.")


def person_name(message):
    """Letters (any script, with their accents and vowel signs), spaces, hyphens, apostrophes and dots.

    A name is shown on the chair's list and the attendee list: markup or symbols are refused with a
    message, not silently changed, so the person can correct what they typed.
    """

    def check(form, field) -> None:
        for ch in field.data or "":
            if not (ch in NAME_PUNCTUATION or unicodedata.category(ch)[0] in ("L", "M")):
                raise ValidationError(message)

    return check


class HintedRadioInput(GovRadioInput):
    """GOV.UK radios with a hint under each choice (field.item_hints: value -> text)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        hints = getattr(field, "item_hints", {})
        for item in params.get("items", []):
            if hints.get(str(item.get("value"))):
                item["hint"] = {"text": hints[str(item["value"])]}
        return params


class SupporterForm(OnceForm):
    name = StringField(_l("Their name"), validators=[
        InputRequired(message=_l("Enter the name of the person you want to bring")),
        Length(max=120, message=_l("The name must be 120 characters or fewer")),
        person_name(_l("The name can only have letters, spaces, hyphens and apostrophes"))], widget=GovTextInput())
    relationship = StringField(_l("Who are they to you?"), description=_l("For example: my sister, a friend, my neighbour"),
                               validators=[InputRequired(message=_l("Enter who they are to you")),
                                           Length(max=60, message=_l("This must be 60 characters or fewer"))], widget=GovTextInput())
    # i18n: button: sends a parent's request to bring a supporter; the chair decides
    submit = SubmitField(_l("Ask the chair"), widget=GovSubmitInput())


INTERPRETER_PURPOSE_LABELS = {
    # i18n: an answer to 'When do you need an interpreter?': during the conference itself
    "conference": _l("The conference"),
    # i18n: when a parent needs an interpreter: when a worker explains a report to them in person
    "talk_through": _l("When someone talks me through a report"),
    "debrief": _l("The talk after the conference (the debrief)"),
}


class InterpreterForm(OnceForm):
    language = StringField(_l("Language"), description=_l("For example: Bengali, Somali, Arabic"),
                           validators=[InputRequired(message=_l("Enter the language you need")),
                                       Length(max=60, message=_l("This must be 60 characters or fewer"))], widget=GovTextInput())
    dialect = StringField(_l("Dialect (if it matters)"), description=_l("For example: Sylheti, Maay"),
                          validators=[Optional(), Length(max=60, message=_l("This must be 60 characters or fewer"))], widget=GovTextInput())
    preferred = StringField(_l("An interpreter you have worked with before and would like again (optional)"),
                            validators=[Optional(), Length(max=120, message=_l("This must be 120 characters or fewer"))], widget=GovTextInput())
    purposes = SelectMultipleField(_l("When do you need an interpreter?"), description=_l("Select all that apply."),
                                   choices=[SelectChoice(k, v) for k, v in INTERPRETER_PURPOSE_LABELS.items()],
                                   validators=[InputRequired(message=_l("Select when you need an interpreter"))], widget=GovCheckboxesInput())
    submit = SubmitField(_l("Ask for an interpreter"), widget=GovSubmitInput())


ACCESS_NEED_LABELS = {
    "step_free": _l("Step-free access (no stairs)"),
    "hearing_loop": _l("A hearing loop"),
    "quiet_room": _l("A quiet room"),
    "childcare": _l("Childcare while I am at the conference"),
    "travel_costs": _l("Help with travel costs"),
    "break_room": _l("A room to take a break in"),
}


class AccessNeedsForm(OnceForm):
    needs = SelectMultipleField(_l("What do you need?"), description=_l("Select all that apply."),
                                choices=[SelectChoice(k, v) for k, v in ACCESS_NEED_LABELS.items()], validators=[Optional()],
                                widget=GovCheckboxesInput())
    other = TextAreaField(_l("Anything else (optional)"), validators=[Optional(), Length(max=500, message=_l("This must be 500 characters or fewer"))],
                          widget=GovTextArea())
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.needs.data and not (self.other.data or "").strip():
            self.needs.errors = list(self.needs.errors) + [_l("Select what you need, or write it in the box")]
            ok = False
        return ok


OTHER_PLACE = "other"


class VenueForm(OnceForm):
    venue = RadioField(_l("Where would you like the review conference to be?"), coerce=str, validate_choice=False,
                       validators=[InputRequired(message=_l("Select a place, or select somewhere else"))], widget=HintedRadioInput())
    other_place = StringField(_l("If somewhere else: where?"), validators=[Optional(), Length(max=300, message=_l("This must be 300 characters or fewer"))],
                              widget=GovTextInput())
    why = TextAreaField(_l("If somewhere else: why would it be better for you?"),
                        validators=[Optional(), Length(max=500, message=_l("This must be 500 characters or fewer"))], widget=GovTextArea())
    submit = SubmitField(_l("Send your choice"), widget=GovSubmitInput())

    def set_choices(self, venues) -> None:
        self.venue.choices = [SelectChoice(str(v.id), isolate(v.name)) for v in venues] + [SelectChoice(OTHER_PLACE, _l("Somewhere else"))]
        self.venue.item_hints = {str(v.id): isolate(" ".join(filter(None, (v.address, v.accessibility_notes, v.directions)))) for v in venues}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.venue.data and self.venue.data not in {choice.value for choice in self.venue.choices}:
            self.venue.errors = list(self.venue.errors) + [_l("Select a place from the list, or select somewhere else")]
            ok = False
        if self.venue.data == OTHER_PLACE:
            if not (self.other_place.data or "").strip():
                self.other_place.errors = list(self.other_place.errors) + [_l("Enter where you would like the conference to be")]
                ok = False
            if not (self.why.data or "").strip():
                self.why.errors = list(self.why.errors) + [_l("Enter why somewhere else would be better for you")]
                ok = False
        return ok


DEBRIEF_WITH_LABELS = {"chair": _l("The conference chair"), "social_worker": _l("Your social worker")}


class DebriefForm(OnceForm):
    with_whom = RadioField(_l("Who would you like to talk to?"), choices=[SelectChoice(k, v) for k, v in DEBRIEF_WITH_LABELS.items()],
                           validators=[InputRequired(message=_l("Select who you would like to talk to"))], widget=GovRadioInput())
    about = TextAreaField(_l("What would you like to talk about? (optional)"),
                          validators=[Optional(), Length(max=1000, message=_l("This must be 1,000 characters or fewer"))], widget=GovTextArea())
    submit = SubmitField(_l("Ask for a talk"), widget=GovSubmitInput())


APPEAL_DECISION_LABELS = {
    "plan": _l("Whether there should be a child protection plan"),
    "category": _l("The category of the plan"),
    "other": _l("Something else the chair decided"),
}


class AppealForm(OnceForm):
    decision = RadioField(_l("Which decision do you disagree with?"), choices=[SelectChoice(k, v) for k, v in APPEAL_DECISION_LABELS.items()],
                          validators=[InputRequired(message=_l("Select which decision you disagree with"))], widget=GovRadioInput())
    why = TextAreaField(_l("Why do you disagree?"), validators=[
        InputRequired(message=_l("Enter why you disagree")), Length(max=4000, message=_l("This must be 4,000 characters or fewer"))],
        widget=GovTextArea())
    wish = TextAreaField(_l("What would you like to happen?"), validators=[
        InputRequired(message=_l("Enter what you would like to happen")), Length(max=2000, message=_l("This must be 2,000 characters or fewer"))],
        widget=GovTextArea())
    submit = SubmitField(_l("Send your appeal"), widget=GovSubmitInput())


ANSWER_LABELS = {
    Status.ACCEPTED: _l("Yes, I would like this"),
    Status.DECLINED: _l("No, thank you"),
    Status.INSTEAD: _l("Yes, and I would like a family group conference instead of the child protection conference"),
}


class AnswerForm(OnceForm):
    answer = RadioField(_l("Your answer"), coerce=str, validate_choice=False,
                        validators=[InputRequired(message=_l("Select your answer"))], widget=GovRadioInput())
    submit = SubmitField(_l("Send your answer"), widget=GovSubmitInput())

    def set_choices(self, answers) -> None:
        self.answer.choices = [SelectChoice(value, ANSWER_LABELS[value]) for value in answers]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.answer.data and self.answer.data not in {choice.value for choice in self.answer.choices}:
            self.answer.errors = list(self.answer.errors) + [_l("Select your answer")]
            ok = False
        return ok


def not_in_future(message):
    def check(form, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(message)

    return check


OFFER_ANSWER_LABELS = {
    "": _l("They have not answered yet"),
    Status.ACCEPTED: _l("They said yes"),
    Status.DECLINED: _l("They said no"),
    Status.INSTEAD: _l("They chose a family group conference instead of the initial conference"),
}


class OfferForm(OnceForm):
    """The social worker records an offer of advocacy or an FGC (and the answer, if given); the chair
    records reviewing advocacy with a parent."""

    participant = SelectField(_l("Who did you offer it to?"), coerce=str, validate_choice=False,
                              validators=[InputRequired(message=_l("Select who you offered it to"))], widget=GovSelect())
    offered_on = GovDateField(_l("When?"), validators=[InputRequired(message=_l("Enter the date")),
                                                       not_in_future(_l("The date must be today or in the past"))],
                              invalid_message=_l("The date must be a real date, like 27 3 2027"))
    answer = RadioField(_l("Their answer"), coerce=str, validate_choice=False, default="", validators=[Optional()], widget=GovRadioInput())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def set_choices(self, people, answers) -> None:
        self.participant.choices = [SelectChoice("", _l("Choose a person"))] + [SelectChoice(str(p.id), p.user.name) for p in people]
        self.answer.choices = [SelectChoice(value, OFFER_ANSWER_LABELS[value]) for value in answers]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.participant.data and self.participant.data not in {c.value for c in self.participant.choices if c.value}:
            self.participant.errors = list(self.participant.errors) + [_l("Select who you offered it to")]
            ok = False
        if (self.answer.data or "") not in {c.value for c in self.answer.choices}:
            self.answer.errors = list(self.answer.errors) + [_l("Select their answer")]
            ok = False
        return ok


DECISION_LABELS = {
    # i18n: a choice for staff deciding on a family's request: say yes to it
    Status.AGREED: _l("Agree"),
    Status.ARRANGED: _l("Arranged"),
    Status.NOT_AGREED: _l("Not agreed"),
    Status.IN_REVIEW: _l("We are looking at it"),
    Status.ANSWERED: _l("Answered: record the outcome"),
}
# For a break, "arranged" means the chair has given it.
BREAK_GIVEN = _l("The break has been given")


class DecideForm(OnceForm):
    """The owner of a request moves it on. The fields shown depend on its kind."""

    status = RadioField(_l("What is the decision?"), coerce=str, validate_choice=False,
                        validators=[InputRequired(message=_l("Select the decision"))], widget=GovRadioInput())
    reason = TextAreaField(_l("What to tell the family"), description=_l("They will read this. Say why in plain words."),
                           validators=[Optional(), Length(max=4000, message=_l("This must be 4,000 characters or fewer"))], widget=GovTextArea())
    # An interpreter arranged: who, and when it was confirmed.
    interpreter_name = StringField(_l("Interpreter's name"), validators=[Optional(), Length(max=120, message=_l("This must be 120 characters or fewer"))],
                                   widget=GovTextInput())
    confirmed_on = GovDateField(_l("Date confirmed"), validators=[Optional(), not_in_future(_l("The date must be today or in the past"))],
                                invalid_message=_l("The date must be a real date, like 27 3 2027"))
    # An advocate arranged for a parent: one of the case's advocates.
    advocate = SelectField(_l("Which advocate?"), coerce=str, validate_choice=False, validators=[Optional()], widget=GovSelect())
    # An FGC that took place: its family plan.
    family_plan = TextAreaField(_l("The family's plan from the family group conference"),
                                description=_l("It will be brought into the child protection plan."),
                                validators=[Optional(), Length(max=8000, message=_l("This must be 8,000 characters or fewer"))], widget=GovTextArea())
    submit = SubmitField(_l("Save the decision"), widget=GovSubmitInput())

    def set_choices(self, request, advocates) -> None:
        labels = dict(DECISION_LABELS)
        if request.kind == Kind.BREAK:
            labels[Status.ARRANGED] = BREAK_GIVEN
        if request.kind == Kind.FGC:
            labels[Status.ARRANGED] = _l("The family group conference took place")
        self.status.choices = [SelectChoice(s, labels[s]) for s in decisions_for(request)]
        self.advocate.choices = [SelectChoice("", _l("Choose an advocate"))] + [SelectChoice(str(a.id), a.user.name) for a in advocates]
        self.kind = request.kind

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        status = self.status.data
        if status and status not in {choice.value for choice in self.status.choices}:
            self.status.errors = list(self.status.errors) + [_l("Select the decision")]
            return False

        def need(field, message) -> None:
            nonlocal ok
            value = field.data
            if not field.errors and (value is None or (isinstance(value, str) and not value.strip())):
                field.errors = list(field.errors) + [message]
                ok = False

        if status in NEEDS_REASON:
            need(self.reason, _l("Enter what to tell the family"))
        if status == Status.ARRANGED and self.kind == Kind.INTERPRETER:
            need(self.interpreter_name, _l("Enter the interpreter's name"))
            need(self.confirmed_on, _l("Enter the date it was confirmed"))
        if status == Status.ARRANGED and self.kind == Kind.ADVOCACY:
            need(self.advocate, _l("Choose the advocate"))
            if self.advocate.data and self.advocate.data not in {c.value for c in self.advocate.choices if c.value}:
                self.advocate.errors = list(self.advocate.errors) + [_l("Choose the advocate")]
                ok = False
        if status == Status.ARRANGED and self.kind == Kind.FGC:
            need(self.family_plan, _l("Enter the family's plan"))
        return ok
