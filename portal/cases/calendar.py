"""'Add to my calendar': an iCalendar file for one conference, in London time, with a reminder."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext as _
from icalendar import Alarm, Calendar, Event

from portal.cases.conferences import CONFERENCE_LENGTH
from portal.cases.models import Conference
from portal.db import utcnow
from portal.timeline import LONDON


def conference_ics(conference: Conference, language: str, host: str) -> bytes:
    """The .ics for a conference. Its title is neutral: a shared phone's calendar says nothing private."""
    starts = conference.starts_at.astimezone(LONDON)
    with force_locale(language):
        # i18n: the title of the conference in the phone's calendar: kept vague on purpose, because others may see a shared phone
        title = _("Family meeting")
        # i18n: the calendar reminder the day before the conference: kept vague on purpose, like the title
        reminder = _("Family meeting tomorrow")
    calendar = Calendar()
    calendar.add("prodid", "-//Family Conference Portal//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"conference-{conference.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", starts)
    event.add("dtend", starts + CONFERENCE_LENGTH)
    event.add("summary", title)
    event.add("location", f"{conference.venue.name}, {conference.venue.address}")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", reminder)
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    current_app.logger.debug("Calendar file made for conference %s", conference.id)
    return calendar.to_ical()
