import django_tables2 as tables

from lgaboard.tables import PortalTable
from lgaboard.templatetags.lgaboard import clock

from .models import Meeting


class MeetingTable(PortalTable):
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
