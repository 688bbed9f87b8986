"""Where each timeline rule stands for a conference: notice, the chair's contact, reports shared, the FGC offer,
the ICPC's 15 working days, the midway review and the review conferences.

Sources: practice guide (12 days' notice; chair contact and reports 2 days before; FGC offered; midway review at
6 weeks); Working Together 2023 (ICPC within 15 working days; reviews within 3 then 6 months). The deadlines
themselves are portal/timeline.py's; the facts each rule checks come from the features that keep them (the FGC
offer from support, the midway review from plans), so this sits above them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from portal import timeline
from portal.cases.conferences import (Kind, Status, conference_day, conference_fact_of_many, conferences_of_cases,
                                      contacts_of, professional_reports_shared_at)
from portal.cases.models import Conference
from portal.plans.services import midway_held_on_for
from portal.support.services import fgc_offered_on_for
from portal.timeline import RuleState, RuleStatus


def rule_statuses(conference: Conference, today: date) -> list[RuleStatus]:
    """Where each timeline rule that the portal can check stands for this conference."""
    return rule_statuses_for([conference], today)[conference.id]


def rule_statuses_for(conferences: list[Conference], today: date) -> dict[int, list[RuleStatus]]:
    """Where each timeline rule stands for each conference, by conference id: the facts for all of them are read
    in one query per kind of fact, so a dashboard of 500 conferences costs what a dashboard of one does."""
    if not conferences:
        return {}
    contacts = contacts_for(conferences)
    shared_on = reports_shared_on_for(conferences)
    fgc_offered = fgc_offered_on_for(conferences)  # only an ICPC's is used; all are read, as the dashboard's flags need them
    held = [c for c in conferences if c.status == Status.HELD]
    midway = midway_held_on_for(held)
    later = next_conference_days(held)
    return {c.id: _rule_statuses(c, today, contacts.get(c.id), shared_on.get(c.id), fgc_offered.get(c.id),
                                 midway.get(c.id), later.get(c.id)) for c in conferences}


def _rule_statuses(conference: Conference, today: date, contacted_on: date | None, reports_shared_on: date | None,
                   fgc_offered_on: date | None, midway_held_on: date | None, later: date | None) -> list[RuleStatus]:
    """The rules of one conference, from the facts already read."""
    day = conference_day(conference)
    held = conference.status == Status.HELD
    statuses = [
        timeline.evaluate("parent_notice", timeline.parent_notice_by(day),
                          timeline.london_date(conference.family_notified_at) if conference.family_notified_at else None, today),
        timeline.evaluate("chair_contact", timeline.chair_contact_by(day), contacted_on, today),
        timeline.evaluate("reports_shared", timeline.reports_shared_by(day), reports_shared_on, today),
    ]
    if conference.kind == Kind.ICPC:
        statuses.append(timeline.evaluate("fgc_offered", timeline.fgc_offered_by(timeline.london_date(conference.created_at)),
                                          fgc_offered_on, today))
    strategy = conference.case.strategy_discussion_on
    if conference.kind == Kind.ICPC and strategy:
        deadline = timeline.icpc_by(strategy)
        status = timeline.evaluate("icpc_within_15_working_days", deadline, day if held else None, today)
        if not held and day > deadline:
            # Scheduled after the deadline: it cannot be on time, so it is shown as overdue now.
            status = replace(status, state=RuleState.OVERDUE)
        statuses.append(status)
    if held:
        statuses.append(timeline.evaluate("midway_review", timeline.midway_review_on(day), midway_held_on, today))
        if conference.kind == Kind.ICPC:
            statuses.append(timeline.evaluate("first_review", timeline.first_review_by(day), later, today))
        elif conference.kind == Kind.REVIEW:
            statuses.append(timeline.evaluate("next_review", timeline.next_review_by(day), later, today))
    return statuses


def contacts_for(conferences: list[Conference]) -> dict[int, date]:
    """The day the chair contacted each conference's family, where recorded."""
    return {conference_id: contact.contacted_on
            for conference_id, contact in contacts_of([c.id for c in conferences]).items() if contact is not None}


def reports_shared_on_for(conferences: list[Conference]) -> dict[int, date]:
    """For each conference, the day the last professional report reached the family, once every one has been shared.

    Not done while there is no report yet, or while any report is still unshared (a draft counts:
    the family must get every report). Source: practice guide, reports shared 2 days before.
    """
    moments: dict[int, list] = {}
    for conference_id, shared_at in professional_reports_shared_at([c.id for c in conferences]):
        moments.setdefault(conference_id, []).append(shared_at)
    return {conference_id: max(timeline.london_date(moment) for moment in shared)
            for conference_id, shared in moments.items() if all(moment is not None for moment in shared)}


def next_conference_days(held: list[Conference]) -> dict[int, date]:
    """For each held conference, the day of the next review conference held after it, if there has been one."""
    if not held:
        return {}

    def read(ids: list[int]) -> dict[int, datetime]:
        of_case = conferences_of_cases({c.case_id for c in held if c.id in ids})
        found = {}
        for conference in (c for c in held if c.id in ids):
            following = next((r for r in of_case[conference.case_id] if r.kind == Kind.REVIEW and r.status == Status.HELD
                              and r.starts_at > conference.starts_at), None)
            found[conference.id] = following.starts_at if following is not None else None
        return found

    moments = conference_fact_of_many("next_held_review_at", [c.id for c in held], read)
    return {conference_id: timeline.london_date(moment) for conference_id, moment in moments.items() if moment is not None}
