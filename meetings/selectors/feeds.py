"""What a board's feed tells its followers: each pack as published and as revised (with what
changed), and each note of a meeting approved. Only what the public may read."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from ..models import Board, Meeting, Minutes, PackRevision

LATEST = 30  # entries a feed gives


@dataclass
class FeedEntry:
    guid: str  # the entry's identity for ever
    title: str
    link: str  # a path on the portal
    text: str
    when: datetime | None  # None: the portal has no record of when (the demo's packs)
    day: date  # the meeting's, to order entries the portal has no time for


def _kwargs(meeting: Meeting) -> dict:
    return {"board_slug": meeting.board.slug, "date": meeting.date}


def _revision_entry(revision: PackRevision) -> FeedEntry:
    meeting = revision.meeting
    day = f"{meeting.board_name}, {meeting.date:%-d %B %Y}"
    if revision.number == 1:
        title, text = f"Papers published: {day}", f"The agenda and papers for the meeting of {day}."
        link = reverse("meetings:meeting_detail", kwargs=_kwargs(meeting))
    else:
        title = f"Papers revised (revision {revision.number}): {day}"
        lines = [revision.note] if revision.note else []
        lines += [f"- {change}" for change in revision.changes]
        text = "\n".join(lines) or "The papers were revised."
        link = reverse("meetings:pack_revision", kwargs={**_kwargs(meeting), "number": revision.number})
    if revision.published_at is None:
        text += "\n(When these papers were published was not recorded.)"
    return FeedEntry(f"revision-{revision.pk}", title, link, text, revision.published_at, meeting.date)


def _minutes_entry(minutes: Minutes) -> FeedEntry:
    meeting, at = minutes.meeting, minutes.approved_at_meeting
    title = f"Minutes approved: {meeting.board_name}, {meeting.date:%-d %B %Y}"
    text = f"The note of the meeting of {meeting.date:%-d %B %Y} was approved as a correct record"
    text += f" at the meeting of {at.date:%-d %B %Y}." if at else "."
    when = minutes.approved_at
    if when is None and at is not None:  # the day of the meeting that approved it: all that is known
        when = datetime.combine(at.date, time.min, ZoneInfo(settings.TIME_ZONE))
    link = reverse("meetings:minutes_detail", kwargs=_kwargs(meeting))
    return FeedEntry(f"minutes-{minutes.pk}", title, link, text, when, meeting.date)


def board_news(board: Board, limit: int = LATEST) -> list[FeedEntry]:
    """The board's latest news, newest first (undated entries after the dated ones)."""
    revisions = (
        PackRevision.objects.filter(meeting__board=board, meeting__status=Meeting.Status.PUBLISHED)
        .select_related("meeting__board")
        .prefetch_related("meeting__board__former_names")
        .filter(published_at__isnull=False)  # Atom needs a time: a publication without one is left out
        .order_by("-published_at", "-pk")[:limit]
    )
    minutes = (
        Minutes.objects.filter(meeting__board=board, status=Minutes.Status.APPROVED)
        .select_related("meeting__board", "approved_at_meeting")
        .prefetch_related("meeting__board__former_names")
        .order_by(F("approved_at").desc(nulls_last=True), "-pk")[:limit]
    )
    entries = [*map(_revision_entry, revisions), *map(_minutes_entry, minutes)]
    entries.sort(
        key=lambda entry: (entry.when is not None, entry.when or datetime.min, entry.day), reverse=True
    )
    return entries[:limit]
