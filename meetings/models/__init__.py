"""The nouns a clerk uses: boards and their years, members, venues, meetings, items, reports, annexes.

One module per concept, all re-exported here, so `from meetings.models import Meeting` still works:
directory (people, authorities, groups, venues) ← boards (years, seats, membership) ← papers (meetings
and their packs) ← minutes (the note, attendance) ← revisions (packs as published) ← publishing
(requests to publish, done in the background) ← notifications (who was e-mailed that papers are
out) ← readers (when each signed-in reader last opened a pack). Each imports only those before it.
"""

from .boards import (
    Board,
    BoardFormerName,
    BoardYear,
    HistoricalMembership,
    Membership,
    SeatAllocation,
    seat_counts,
)
from .directory import Authority, Person, PoliticalGroup, Venue
from .minutes import (
    Action,
    ActionProgress,
    Attendance,
    Decision,
    Declaration,
    DiscussionPoint,
    EntryPart,
    HistoricalAction,
    HistoricalDecision,
    HistoricalMinuteEntry,
    HistoricalMinutes,
    LockedByApproval,
    MinuteEntry,
    Minutes,
    MinutesCorrection,
    MinutesPart,
)
from .notifications import Notification, Subscription
from .papers import (
    NOTICE_CLEAR_DAYS,
    AgendaItem,
    Annex,
    Exemption,
    HistoricalAgendaItem,
    HistoricalAnnex,
    HistoricalMeeting,
    HistoricalReport,
    Meeting,
    Recommendation,
    Report,
    ReportContact,
    clear_days_between,
)
from .publishing import Publishing
from .readers import PackOpened
from .revisions import FrozenAnnex, FrozenItem, PackRevision

# simple_history makes each Historical* model in its tracked model's submodule, but names the app
# ("meetings") as its module, which nothing can import from (the shell's auto-import warns about
# them). Re-exported here and pointed back at this package, they live where they did before the split.
for _history_model in (
    HistoricalAction,
    HistoricalAgendaItem,
    HistoricalAnnex,
    HistoricalDecision,
    HistoricalMeeting,
    HistoricalMembership,
    HistoricalMinuteEntry,
    HistoricalMinutes,
    HistoricalReport,
):
    _history_model.__module__ = __name__
del _history_model

__all__ = [
    "NOTICE_CLEAR_DAYS",
    "Action",
    "ActionProgress",
    "AgendaItem",
    "Annex",
    "Attendance",
    "Authority",
    "Board",
    "BoardFormerName",
    "BoardYear",
    "Decision",
    "Declaration",
    "DiscussionPoint",
    "EntryPart",
    "Exemption",
    "FrozenAnnex",
    "FrozenItem",
    "HistoricalAction",
    "HistoricalAgendaItem",
    "HistoricalAnnex",
    "HistoricalDecision",
    "HistoricalMeeting",
    "HistoricalMembership",
    "HistoricalMinuteEntry",
    "HistoricalMinutes",
    "HistoricalReport",
    "LockedByApproval",
    "Meeting",
    "Membership",
    "MinuteEntry",
    "Minutes",
    "MinutesCorrection",
    "MinutesPart",
    "Notification",
    "PackOpened",
    "PackRevision",
    "Person",
    "PoliticalGroup",
    "Publishing",
    "Recommendation",
    "Report",
    "ReportContact",
    "SeatAllocation",
    "Subscription",
    "Venue",
    "clear_days_between",
    "seat_counts",
]
