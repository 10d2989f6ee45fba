"""Reads the pages share. Each selector decides its own queries, so a page's query count is fixed.

One module per read model, all re-exported here, so `selectors.agenda_pack_for` still works:
calendar (the meetings a calendar gives), downloads (what the CSV downloads read), feeds (a board's
news), membership (a board-year's members and seats), pack (the agenda pack), minutes (the note, the
quorum, actions), register (attendance) and readers (a signed-in reader's own front page), with
visibility (what a reader may see) shared by them.
"""

from .calendar import CalendarMeeting, calendar_meetings
from .downloads import BoardMember, MembersAndAttendance, members_and_attendance, published_meetings
from .feeds import FeedEntry, board_news
from .membership import (
    BoardMembership,
    GroupMembership,
    board_by_slug,
    board_membership,
    board_year_by_slug,
    current_board_year,
)
from .minutes import MinutesRecord, Quorum, board_actions, minutes_of, minutes_record, quorum_for
from .pack import (
    AgendaPack,
    agenda_item_for,
    agenda_pack_for,
    home_meetings,
    meeting_for,
    next_meeting,
    previous_meeting,
)
from .published import frozen_items, published_items
from .readers import FrontPage, PackNews, front_page
from .register import AttendanceRegister, RegisterCell, RegisterRow, attendance_register
from .visibility import ANONYMOUS, meetings_visible_to, withhold

__all__ = [
    "ANONYMOUS",
    "AgendaPack",
    "AttendanceRegister",
    "BoardMember",
    "BoardMembership",
    "CalendarMeeting",
    "FeedEntry",
    "FrontPage",
    "GroupMembership",
    "MembersAndAttendance",
    "MinutesRecord",
    "PackNews",
    "Quorum",
    "RegisterCell",
    "RegisterRow",
    "agenda_item_for",
    "agenda_pack_for",
    "attendance_register",
    "board_actions",
    "board_by_slug",
    "board_membership",
    "board_news",
    "board_year_by_slug",
    "calendar_meetings",
    "current_board_year",
    "front_page",
    "frozen_items",
    "home_meetings",
    "meeting_for",
    "meetings_visible_to",
    "members_and_attendance",
    "minutes_of",
    "minutes_record",
    "next_meeting",
    "previous_meeting",
    "published_items",
    "published_meetings",
    "quorum_for",
    "withhold",
]
