"""The words of the young people's pages, in two registers: plain and respectful for 11 to 17, and
simpler for 5 to 10 (issue "Young people"). Staff and parents see the older wording."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PART_LABELS = {
    # i18n: the first of the "three houses" a young person fills in: what worries them
    "worries": _l("My worries"),
    # i18n: the second of the "three houses": what is good in their life
    "good_things": _l("The good things"),
    # i18n: the third of the "three houses": their hopes and dreams
    "dreams": _l("My dreams"),
    "meeting_should_know": _l("What I want the meeting to know"),
    "who_there": _l("Who I want to be there"),
    # i18n: a young person's answer to "Do you feel you need a child protection plan?"
    "need_plan": _l("Do I need a plan to keep me safe?"),
}

PART_HINTS = {
    "worries": _l("What worries you, at home, at school or anywhere else. What would you like to change?"),
    "good_things": _l("What is going well. Who and what helps you, and makes you feel safe and happy?"),
    "dreams": _l("What you hope for. What would make things better for you?"),
    "meeting_should_know": _l("Anything you want the people at the meeting to hear from you."),
    "who_there": _l("Who you would like at the meeting, and anyone you would rather was not there."),
}

# For children of 5 to 10: short words, one idea at a time.
YOUNGER_LABELS = {
    # i18n: for a child of 5 to 10: a drawing of a house where they put their worries
    "worries": _l("Worry house"),
    # i18n: for a child of 5 to 10: a drawing of a house for the good things in their life
    "good_things": _l("Good things house"),
    # i18n: for a child of 5 to 10: a drawing of a house for their dreams and wishes
    "dreams": _l("Dream house"),
    "meeting_should_know": _l("What I want the grown-ups to know"),
    "who_there": _l("Who I want at the meeting"),
}

YOUNGER_HINTS = {
    "worries": _l("What makes you sad, scared or cross?"),
    "good_things": _l("What makes you happy? Who helps you?"),
    "dreams": _l("What do you wish for?"),
    "meeting_should_know": _l("You can tell them anything."),
    "who_there": _l("Who would you like to be there?"),
}

NEED_PLAN_LABELS = {
    "yes": _l("Yes"),
    "no": _l("No"),
    "not_sure": _l("I am not sure"),
}

ADVOCACY_STATUS_LABELS = {
    "not_offered": (_l("Not offered yet"), "govuk-tag--red"),
    "offered": (_l("Offered, not decided"), "govuk-tag--yellow"),
    # i18n: status: the family member or child said no to an offer
    "declined": (_l("Said no"), "govuk-tag--grey"),
    "awaiting_consent": (_l("Waiting for consent"), "govuk-tag--blue"),
    "consent_refused": (_l("Consent not given"), "govuk-tag--orange"),
    # i18n: advocacy status: consent is given, the child can now be referred to an advocate
    "ready": (_l("Ready to refer"), "govuk-tag--light-blue"),
    "allocated": (_l("Advocate allocated"), "govuk-tag--green"),
}


def part_label(part: str, younger: bool = False) -> str:
    return (YOUNGER_LABELS if younger else PART_LABELS).get(part) or PART_LABELS[part]


def part_hint(part: str, younger: bool = False) -> str | None:
    return (YOUNGER_HINTS if younger else PART_HINTS).get(part)
