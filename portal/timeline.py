"""Every deadline of the practice guide and of statutory guidance, as pure functions.

Dates are stored in UTC and shown in Europe/London; each rule works on the London date of
the events it relates, so a conference at 00:30 on the night the clocks change still
falls on the right day. Deadlines are computed, never stored, so they cannot drift from
the conference date. Each rule names its source; DESIGN.md lists them in one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

LONDON = ZoneInfo("Europe/London")


def london_date(moment: datetime) -> date:
    """The calendar date in London of an aware (or naive UTC) moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(LONDON).date()


@lru_cache(maxsize=1)
def _bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays, from the data govuk-bank-holidays ships (no network)."""
    from govuk_bank_holidays.bank_holidays import BankHolidays

    holidays = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in holidays.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays()


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself is not counted)."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


# --- the rules --------------------------------------------------------------------------

PARENT_NOTICE_DAYS = 12
CHAIR_CONTACT_DAYS = 2
REPORTS_SHARED_DAYS = 2
ICPC_WORKING_DAYS = 15
MIDWAY_REVIEW_WEEKS = 6


def parent_notice_by(conference_day: date) -> date:
    """Parents and carers get at least 12 days' notice of a conference: the last day to tell them.

    Source: practice guide, "How to prepare the family" ("at least 12 days notice").
    """
    return conference_day - timedelta(days=PARENT_NOTICE_DAYS)


def chair_contact_by(conference_day: date) -> date:
    """The chair contacts the family at least 2 days before the conference.

    Source: practice guide, "How to prepare the family" ("at least 2 days ahead").
    """
    return conference_day - timedelta(days=CHAIR_CONTACT_DAYS)


def reports_shared_by(conference_day: date) -> date:
    """Each report is shared with the family at least 2 days before the conference.

    Source: practice guide, "How to prepare the family" ("at least 2 days before").
    """
    return conference_day - timedelta(days=REPORTS_SHARED_DAYS)


def fgc_offered_by(icpc_decided_on: date) -> date:
    """A Family Group Conference is offered by the time the decision to hold an ICPC is made.

    Source: practice guide ("An FGC should always be offered ... by the time a decision has
    been made that an ICPC is needed").
    """
    return icpc_decided_on


def icpc_by(strategy_discussion_on: date) -> date:
    """The initial conference is held within 15 working days of the strategy discussion.

    Source: Working Together to Safeguard Children 2023, chapter 2 (initial child protection
    conferences). Working days exclude weekends and England and Wales bank holidays.
    """
    return add_working_days(strategy_discussion_on, ICPC_WORKING_DAYS)


def midway_review_on(conference_day: date) -> date:
    """The midway review of the plan takes place 6 weeks after the conference.

    Source: practice guide, "What happens after the conference?".
    """
    return conference_day + timedelta(weeks=MIDWAY_REVIEW_WEEKS)


def first_review_by(icpc_day: date) -> date:
    """The first review conference is held within 3 months of the initial conference.

    Source: Working Together to Safeguard Children 2023, chapter 2 (review conferences).
    A month later than the 29th-31st of a shorter month ends on that month's last day.
    """
    return icpc_day + relativedelta(months=3)


def next_review_by(previous_review_day: date) -> date:
    """Later review conferences are held at most 6 months apart.

    Source: Working Together to Safeguard Children 2023, chapter 2 (review conferences).
    """
    return previous_review_day + relativedelta(months=6)


# --- status of a rule -------------------------------------------------------------------

class RuleState(StrEnum):
    """Where a rule stands for one conference."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class RuleStatus:
    """One rule for one conference: its deadline, when it was done (if it was) and its state."""

    rule: str
    deadline: date
    done_on: date | None
    state: RuleState


def evaluate(rule: str, deadline: date, done_on: date | None, today: date) -> RuleStatus:
    """Done on or before the deadline is on time; the deadline day itself still counts as due."""
    if done_on is not None:
        state = RuleState.DONE_ON_TIME if done_on <= deadline else RuleState.DONE_LATE
    else:
        state = RuleState.DUE if today <= deadline else RuleState.OVERDUE
    return RuleStatus(rule, deadline, done_on, state)
