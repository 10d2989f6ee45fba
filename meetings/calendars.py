"""Meetings as an iCalendar file (RFC 5545) that calendar applications subscribe to: one event per
meeting with a stable UID, its SEQUENCE raised by every change, the venue as LOCATION, and the
pack's address in DESCRIPTION as well as URL (many applications show no URL). The renderer returns
bytes; a view serves them."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from lgaboard import site

from .selectors.calendar import CalendarMeeting

PRODUCT = "-//lgaboard//Board papers//EN"


def meeting_uid(meeting) -> str:
    """The event's identity for ever: the meeting's id at the portal's host (not its date, which
    may move)."""
    return f"meeting-{meeting.pk}@{site.host()}"


def meetings_calendar(entries: list[CalendarMeeting], *, name: str, absolute) -> bytes:
    """`absolute(path)` makes an address whole (the request's own host and scheme)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for entry in entries:
        meeting = entry.meeting
        pack = absolute(meeting.get_absolute_url())
        pdf = absolute(
            reverse("meetings:pack_pdf", kwargs={"board_slug": meeting.board.slug, "date": meeting.date})
        )
        event = Event()
        event.add("uid", meeting_uid(meeting))
        # Without METHOD, DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2): when the
        # meeting was last saved, never the time the file is made.
        changed = entry.changed_at or datetime.combine(meeting.date, datetime.min.time(), zone)
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("sequence", entry.sequence)
        event.add("summary", meeting.board_name)
        if meeting.start_time:
            event.add("dtstart", datetime.combine(meeting.date, meeting.start_time, zone))
        else:  # the papers give no time: the day
            event.add("dtstart", meeting.date)
        # No DTEND: the papers give when a meeting starts, never when it ends.
        if meeting.venue_id:
            event.add("location", meeting.venue.one_line)
        event.add("url", pack)
        event.add("description", f"Agenda and papers: {pack}\nAgenda pack (PDF): {pdf}")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
