"""A board's tables as CSV downloads. Each holds what the public may read (published meetings, no
confidential item), whoever asks, so every reader receives the same file; the meetings and the
actions honour their page's filters (the same query string)."""

from django.views.generic import View

from lgaboard.csv_export import csv_response

from . import downloads, selectors
from .filters import ActionFilter, MeetingFilter
from .views import BoardMixin


class BoardMeetingsCsvView(BoardMixin, View):
    def get(self, request, **kwargs):
        meetings = selectors.published_meetings(self.board)
        meetings = MeetingFilter(request.GET or None, queryset=meetings, board=self.board).qs
        return csv_response(
            downloads.meeting_rows(meetings, absolute=request.build_absolute_uri),
            headers=downloads.MEETING_HEADERS,
            filename=f"{self.board.slug}-meetings.csv",
        )


class BoardMembersCsvView(BoardMixin, View):
    def get(self, request, **kwargs):
        board_year = selectors.board_year_by_slug(self.board, kwargs["year"])
        record = selectors.members_and_attendance(board_year)
        return csv_response(
            downloads.member_rows(record),
            headers=downloads.member_headers(record),
            filename=f"{self.board.slug}-members-{board_year.slug}.csv",
        )


class ActionsCsvView(BoardMixin, View):
    def get(self, request, **kwargs):
        actions = selectors.board_actions(selectors.ANONYMOUS, self.board)
        actions = ActionFilter(request.GET or None, queryset=actions, board=self.board).qs
        return csv_response(
            downloads.action_rows(actions, absolute=request.build_absolute_uri),
            headers=downloads.ACTION_HEADERS,
            filename=f"{self.board.slug}-actions.csv",
        )
