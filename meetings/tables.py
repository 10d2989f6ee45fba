import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from lgaboard.tables import PortalTable
from lgaboard.templatetags.lgaboard import clock

from .models import Action, Meeting


class MeetingTable(PortalTable):
    caption = "Meetings"
    date = tables.DateColumn(format="l j F Y", linkify=True, verbose_name="Date")
    start_time = tables.Column(verbose_name="Time", orderable=False)
    board_year = tables.Column(
        verbose_name="Year", accessor="board_year__label", order_by="board_year__start_year"
    )
    venue = tables.Column(verbose_name="Venue", orderable=False)
    status = tables.Column(verbose_name="Status")

    class Meta(PortalTable.Meta):
        model = Meeting
        fields = ("date", "start_time", "board_year", "venue", "status")
        order_by = "-date"
        empty_text = "No meetings match."

    def render_start_time(self, value):
        return clock(value)


class ActionTable(PortalTable):
    caption = "Actions and their progress"
    text = tables.Column(verbose_name="Action", orderable=False)
    owner = tables.Column(
        verbose_name="Action by", accessor="owner_display", order_by=("owner_label", "owner__last_name")
    )
    meeting = tables.Column(
        verbose_name="Meeting",
        accessor="entry__minutes__meeting__date",
        order_by="entry__minutes__meeting__date",
    )
    item = tables.Column(verbose_name="Item", accessor="entry__agenda_item", orderable=False)
    status = tables.Column(verbose_name="Status")
    progress = tables.Column(verbose_name="Latest progress", empty_values=(), orderable=False)

    class Meta(PortalTable.Meta):
        model = Action
        fields = ("text", "owner", "meeting", "item", "status", "progress")
        empty_text = "No actions match."

    def render_meeting(self, record, value):
        meeting = record.entry.minutes.meeting
        url = reverse(
            "meetings:minutes_detail", kwargs={"board_slug": meeting.board.slug, "date": meeting.date}
        )
        return format_html('<a href="{}">{}</a>', url, date_format(value, "j F Y"))

    def render_progress(self, record):
        updates = list(record.progress.all())  # prefetched, newest first
        if not updates:
            return "None recorded"
        latest = updates[0]
        return format_html("<strong>{}:</strong> {}", date_format(latest.date, "j F Y"), latest.text)
