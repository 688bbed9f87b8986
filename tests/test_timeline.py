"""Every timeline rule at its boundaries: the day itself, weekends, bank holidays, clock changes."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from portal import timeline as t
from portal.timeline import RuleState


def test_parent_notice_is_12_days_before():
    assert t.parent_notice_by(date(2026, 12, 14)) == date(2026, 12, 2)
    # Told on the 12th day before: on time. The 11th: late.
    assert t.evaluate("notice", t.parent_notice_by(date(2026, 12, 14)), date(2026, 12, 2), date(2026, 12, 3)).state == RuleState.DONE_ON_TIME
    assert t.evaluate("notice", t.parent_notice_by(date(2026, 12, 14)), date(2026, 12, 3), date(2026, 12, 3)).state == RuleState.DONE_LATE


def test_chair_contact_and_reports_are_2_days_before():
    assert t.chair_contact_by(date(2026, 3, 2)) == date(2026, 2, 28)
    assert t.reports_shared_by(date(2028, 3, 1)) == date(2028, 2, 28)  # a leap year: 29 February between
    assert t.reports_shared_by(date(2027, 3, 1)) == date(2027, 2, 27)


def test_fgc_is_offered_by_the_day_the_icpc_is_decided():
    assert t.fgc_offered_by(date(2026, 11, 24)) == date(2026, 11, 24)


@pytest.mark.parametrize(("strategy", "expected"), [
    # Plain weeks: 15 working days after a Monday is the Monday three weeks later.
    (date(2026, 6, 1), date(2026, 6, 22)),
    # A Friday start: the weekend does not count.
    (date(2026, 6, 5), date(2026, 6, 26)),
    # Christmas 2026: 25 December (Friday) and the substitute Boxing Day (Monday 28) are skipped,
    # and so is New Year's Day 2027.
    (date(2026, 12, 14), date(2027, 1, 7)),
    # Easter 2027: Good Friday 26 March and Easter Monday 29 March are skipped.
    (date(2027, 3, 15), date(2027, 4, 7)),
    # Starting on a bank holiday itself: the first working day is the day after.
    (date(2026, 8, 31), date(2026, 9, 21)),
])
def test_icpc_within_15_working_days(strategy, expected):
    assert t.icpc_by(strategy) == expected


def test_working_days_skip_weekends_and_bank_holidays():
    assert not t.is_working_day(date(2026, 12, 25))
    assert not t.is_working_day(date(2026, 12, 28))  # substitute day
    assert not t.is_working_day(date(2026, 11, 28))  # Saturday
    assert t.is_working_day(date(2026, 11, 24))


def test_midway_review_is_6_weeks_after():
    assert t.midway_review_on(date(2026, 11, 24)) == date(2027, 1, 5)


@pytest.mark.parametrize(("icpc", "expected"), [
    (date(2026, 1, 15), date(2026, 4, 15)),
    (date(2026, 11, 30), date(2027, 2, 28)),  # no 30 February: the month's last day
    (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
])
def test_first_review_within_3_months(icpc, expected):
    assert t.first_review_by(icpc) == expected


def test_later_reviews_at_most_6_months_apart():
    assert t.next_review_by(date(2026, 8, 31)) == date(2027, 2, 28)
    assert t.next_review_by(date(2026, 5, 15)) == date(2026, 11, 15)


@pytest.mark.parametrize(("done_on", "today", "state"), [
    (None, date(2026, 12, 1), RuleState.DUE),
    (None, date(2026, 12, 2), RuleState.DUE),       # the deadline day itself
    (None, date(2026, 12, 3), RuleState.OVERDUE),
    (date(2026, 12, 2), date(2026, 12, 9), RuleState.DONE_ON_TIME),
    (date(2026, 12, 3), date(2026, 12, 9), RuleState.DONE_LATE),
])
def test_rule_states_at_the_boundary(done_on, today, state):
    assert t.evaluate("rule", date(2026, 12, 2), done_on, today).state == state


@pytest.mark.parametrize(("utc", "london"), [
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026: 23:30 UTC on the 28th is still the 28th
    # in London (GMT), but 23:30 UTC on the 29th is 00:30 BST on the 30th.
    (datetime(2026, 3, 28, 23, 30, tzinfo=timezone.utc), date(2026, 3, 28)),
    (datetime(2026, 3, 29, 23, 30, tzinfo=timezone.utc), date(2026, 3, 30)),
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026: 23:30 UTC on the 24th is 00:30 BST on the 25th,
    # 23:30 UTC on the 25th is 23:30 GMT on the 25th.
    (datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc), date(2026, 10, 25)),
    (datetime(2026, 10, 25, 23, 30, tzinfo=timezone.utc), date(2026, 10, 25)),
    (datetime(2026, 10, 25, 23, 30), date(2026, 10, 25)),  # naive values are UTC
])
def test_london_date_across_clock_changes(utc, london):
    assert t.london_date(utc) == london


def test_notice_deadline_for_a_conference_just_after_midnight_bst():
    """A conference at 00:30 BST on 30 March 2026 is stored as 23:30 UTC on the 29th: notice by the 18th."""
    starts = datetime(2026, 3, 29, 23, 30, tzinfo=timezone.utc)
    assert t.parent_notice_by(t.london_date(starts)) == date(2026, 3, 18)
