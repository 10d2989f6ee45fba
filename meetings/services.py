"""Writes that span objects. Each runs in one transaction and validates everything first."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lgaboard.tasks import enqueue_with_transaction
from lgaboard.years import start_year_of, year_label

from .models import (
    NOTICE_CLEAR_DAYS,
    Action,
    ActionProgress,
    AgendaItem,
    BoardYear,
    Meeting,
    Minutes,
    MinutesCorrection,
    MinutesPart,
    Notification,
    PackOpened,
    Publishing,
    clear_days_between,
)
from .notifications import notify
from .publication import publish_revision, thaw_annex_content
from .search import search_refresh_meeting
from .selectors.publishing import publication_problems

logger = logging.getLogger(__name__)


def late_publication_warning(meeting: Meeting) -> str:
    """What the clerk is told when a meeting is published with less than five clear days' notice."""
    if meeting.published_after_meeting:
        return f"{meeting} took place before today: the pack says its papers were published afterwards."
    if not meeting.published_late:
        return ""
    days = meeting.notice_clear_days
    return (
        f"{meeting} was published with {days} clear working day{'s' if days != 1 else ''} before the "
        f"meeting; the Local Government Act 1972 expects the agenda {NOTICE_CLEAR_DAYS} clear days "
        "before. The late publication is recorded and shown on the pack."
    )


def meeting_publication_problems(meeting: Meeting) -> list[str]:
    """Everything that stops a meeting being published, each said plainly (the check list's
    refusals: selectors.publishing.publication_checks)."""
    return publication_problems(meeting, timezone.localdate())


@transaction.atomic
def meeting_publish(
    *, meeting: Meeting, by=None, date_recorded: bool = True, tell_people: bool = True
) -> Meeting:
    """Publish a meeting's papers, recording when; refuses, naming every gap, if anything is missing.
    Papers entered from print, whose publication date the record does not give (the demo's), are
    published with `date_recorded=False`: no date, no notice counted, no time on frozen figures.
    The board's members and the officers named as contacts are e-mailed (`notify`), unless
    `tell_people` is False: papers loaded as history, whose readers were told long ago.

    A meeting is published once: its record of publication (when, by whom, the clear days' notice
    given) never changes afterwards, so a late publication cannot be made to look on time. Changes
    after publication are published as revisions (`meeting_publish_changes`).

    In order: check → record the publication → freeze, render and store the pack as the public
    will receive it (publication.publish_revision: a new revision if it was published before) →
    queue the e-mails, sent once the publication is committed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_publishable(meeting)
    at = timezone.now() if date_recorded else None
    record_publication(meeting, by=by, at=at)
    revision = publish_revision(meeting, by=by, at=at)
    search_refresh_meeting(meeting)
    if tell_people and revision is not None:
        notify(meeting=meeting, kind=Notification.Kind.PUBLISHED, revision=revision)
    return meeting


# What a meeting made from the one before keeps: where, when in the day, who for, who to contact.
CARRIED_ARRANGEMENTS = [
    "start_time", "venue", "contact_officer", "addressed_to", "copied_to", "group_meetings_start",
    "group_meetings_end", "refreshments", "carers_allowance_hourly_rate", "hashtag",
]  # fmt: skip


@transaction.atomic
def meeting_from_previous(*, previous: Meeting, on: date) -> Meeting:
    """The board's next meeting, a draft, made from `previous`: its arrangements (venue, start time,
    contact officer, who the papers are for, group meetings, refreshments) and its standing items
    (welcome and declarations, the note of the previous meeting…) numbered in their order; the clerk
    changes what differs and adds the new items. Refused, saying why, for a date not after
    `previous`, a day the board already meets, or a year the board has not been given."""
    if on <= previous.date:
        raise ValidationError(f"The next meeting comes after {previous.date:%-d %B %Y}: give a later date.")
    if Meeting.objects.filter(board_id=previous.board_id, date=on).exists():
        raise ValidationError(f"{previous.board_name} already has a meeting on {on:%-d %B %Y}.")
    board_year = BoardYear.objects.filter(board_id=previous.board_id, start_year=start_year_of(on)).first()
    if board_year is None:
        raise ValidationError(
            f"{previous.board_name} has no {year_label(start_year_of(on))} year yet: add it (its membership "
            "and terms of reference) under Board years first."
        )
    meeting = Meeting(board_year=board_year, date=on, status=Meeting.Status.DRAFT)
    for field in CARRIED_ARRANGEMENTS:
        setattr(meeting, field, getattr(previous, field))
    meeting.save()
    standing = previous.items.filter(standing=True).order_by("number")
    for number, item in enumerate(standing, start=1):  # one by one: each gets its history
        AgendaItem.objects.create(
            meeting=meeting, number=number, title=item.title, kind=item.kind, note=item.note, standing=True
        )
    return meeting


def agenda_number_in_order(meeting: Meeting, order: list[int] | None = None) -> None:
    """Number the meeting's items 1, 2, 3… in `order` (item ids; by default their present order,
    which closes the gaps a deleted item leaves). Each renumbered item gets its history; the
    others are not touched."""
    with transaction.atomic():
        items = {item.pk: item for item in meeting.items.select_for_update().order_by("number", "pk")}
        order = [pk for pk in order if pk in items] if order else list(items)
        order += [pk for pk in items if pk not in order]  # any not given keep their place after
        wanted = {pk: number for number, pk in enumerate(order, start=1)}
        moving = [pk for pk, item in items.items() if item.number != wanted[pk]]
        if not moving:
            return
        # Out of the way first (one statement), so no two items ever share a number on the way.
        AgendaItem.objects.filter(pk__in=moving).update(number=F("number") + AGENDA_NUMBER_ASIDE)
        for pk in moving:
            item = items[pk]
            item.number = wanted[pk]
            item.save(update_fields=["number"])


AGENDA_NUMBER_ASIDE = 10_000  # above any item's number (at most 999), below the field's 32,767


def agenda_move(*, item: AgendaItem, up: bool) -> bool:
    """Move an item one place up or down its meeting's agenda, numbering the agenda in its new
    order. False if it is already first (or last) and did not move."""
    with transaction.atomic():
        order = list(item.meeting.items.order_by("number", "pk").values_list("pk", flat=True))
        at = order.index(item.pk)
        to = at - 1 if up else at + 1
        if not 0 <= to < len(order):
            return False
        order[at], order[to] = order[to], order[at]
        agenda_number_in_order(item.meeting, order)
    return True


def check_publishable(meeting: Meeting) -> None:
    """Refuse, naming every gap, a meeting that is already published or is missing anything."""
    if meeting.is_published:
        raise ValidationError(
            f"{meeting} is already published. Publish later changes as a revision (“Publish the "
            "changes to the selected packs as a revision”); the record of its publication stays as it is."
        )
    problems = meeting_publication_problems(meeting)
    if problems:
        raise ValidationError(problems)


def record_publication(meeting: Meeting, *, by=None, at=None) -> None:
    """The meeting is published; the first time, when (`at`; None: not recorded), by whom and with
    what notice is recorded."""
    meeting.status = Meeting.Status.PUBLISHED
    if meeting.published_at is None and at is not None:  # first publication (kept if taken back to draft)
        meeting.published_at = at
        meeting.published_by = by
        # Late publication is allowed, but recorded (and the clerk is warned, and readers are told).
        meeting.notice_clear_days = clear_days_between(timezone.localdate(meeting.published_at), meeting.date)
    meeting.save(update_fields=["status", "published_at", "published_by", "notice_clear_days"])


@transaction.atomic
def meeting_unpublish(*, meeting: Meeting) -> Meeting:
    """Take a published meeting back to draft: the public no longer see it, its generated annexes
    show live figures again (frozen afresh when it is published again). Its record of publication
    and its revisions are kept."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_published:
        raise ValidationError(f"{meeting} is not published.")
    meeting.status = Meeting.Status.DRAFT
    meeting.save(update_fields=["status"])
    thaw_annex_content(meeting)
    search_refresh_meeting(meeting)
    return meeting


@transaction.atomic
def meeting_release_to_members(*, meeting: Meeting) -> list[Notification]:
    """Let the members of the meeting's board-year read its draft pack before it is published, and
    e-mail them that they may (each member once per meeting, however often it is released).
    Refused for a published meeting: everyone may read it, and its members were told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        raise ValidationError(f"{meeting} is published: everyone may read it.")
    if not meeting.released_to_members:
        meeting.released_to_members = True
        meeting.save(update_fields=["released_to_members"])
    return notify(meeting=meeting, kind=Notification.Kind.RELEASED)


@transaction.atomic
def meeting_publish_changes(*, meeting: Meeting, by=None, note: str = "", tell_people: bool = True):
    """Publish the changes made to a published pack as a new revision, saying what changed, and
    e-mail the board's members and the officers named as contacts what changed (`notify`).

    The meeting's row is locked until the revision is stored, so two clerks publishing at once
    take turns: the second finds nothing left to publish, and is told so."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_published:
        raise ValidationError("Only a published meeting's pack has revisions; publish it first.")
    revision = publish_revision(meeting, by=by, at=timezone.now(), note=note)
    if revision is None:
        raise ValidationError(
            "Nothing in the pack has changed since it was last published.", code="unchanged"
        )
    search_refresh_meeting(meeting)
    if tell_people:
        notify(meeting=meeting, kind=Notification.Kind.REVISED, revision=revision)
    return revision


def publishing_request(*, meeting: Meeting, kind: str, by=None, note: str = "") -> Publishing:
    """A clerk asks for a pack to be published (kind "publish") or its changes published as a
    revision ("changes"). What can be checked at once is checked at once, naming every gap; the
    pack is then laid out and stored by a worker (tasks.publish_pack → `publishing_run`), and the
    request returns straight away. One publication of a meeting runs at a time."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if kind == Publishing.Kind.PUBLISH:
            check_publishable(meeting)
        elif not meeting.is_published:
            raise ValidationError("Only a published meeting's pack has revisions; publish it first.")
        for stale in meeting.publishings.filter(status__in=Publishing.ACTIVE):
            if not stale.timed_out:
                raise ValidationError(
                    f"{meeting} is already being published (asked for at {stale.requested_at:%H:%M}). "
                    "Wait for it to finish: its page says when."
                )
            _finish(
                stale, Publishing.Status.FAILED, "It took too long and was stopped. Nothing was published."
            )
        try:
            with transaction.atomic():
                publishing = Publishing.objects.create(
                    meeting=meeting,
                    kind=kind,
                    requested_by=by,
                    requested_at=timezone.now(),
                    note=note.strip(),
                )
        except IntegrityError as error:  # a second request in the same instant (SQLite cannot lock)
            raise ValidationError(f"{meeting} is already being published.") from error
        from . import tasks  # the tasks call these services

        enqueue_with_transaction(tasks.publish_pack, publishing.pk)
    publishing.refresh_from_db()  # the immediate backend (tests) has already run it
    return publishing


def publishing_run(*, publishing_id: int) -> Publishing:
    """The worker's part: publish the pack as asked, all or nothing (`meeting_publish` or
    `meeting_publish_changes`: the meeting becomes public, or its revision does, only when every
    file is stored, in one transaction), then record what became of it. A failure leaves the
    meeting as it was and says why; the clerk can try again (`publishing_retry`)."""
    publishing = Publishing.objects.select_related("meeting", "requested_by").get(pk=publishing_id)
    if publishing.status != Publishing.Status.QUEUED:
        return publishing  # already run (a task delivered twice), or given up as timed out
    publishing.status, publishing.started_at = Publishing.Status.RUNNING, timezone.now()
    publishing.save(update_fields=["status", "started_at"])
    meeting, by = publishing.meeting, publishing.requested_by
    try:
        if publishing.kind == Publishing.Kind.PUBLISH:
            meeting_publish(meeting=meeting, by=by)
            revision = meeting.revisions.order_by("-number").first()
        else:
            revision = meeting_publish_changes(meeting=meeting, by=by, note=publishing.note)
    except ValidationError as error:
        unchanged = getattr(error, "code", None) == "unchanged"
        status = Publishing.Status.UNCHANGED if unchanged else Publishing.Status.FAILED
        _finish(publishing, status, " ".join(error.messages))
    except Exception as error:
        logger.exception("Publishing %s failed", publishing)
        _finish(
            publishing,
            Publishing.Status.FAILED,
            f"The papers could not be laid out ({type(error).__name__}: {error}). Nothing was published; "
            "the meeting is as it was. Try again, and if it fails again, tell the portal's administrators.",
        )
    else:
        publishing.revision = revision
        _finish(publishing, Publishing.Status.DONE, "")
    return publishing


def _finish(publishing: Publishing, status: str, message: str) -> None:
    publishing.status, publishing.message, publishing.finished_at = status, message, timezone.now()
    publishing.save(update_fields=["status", "message", "finished_at", "revision"])


def publishing_retry(*, publishing: Publishing, by=None) -> Publishing:
    """Ask again for a publication that failed or timed out."""
    if publishing.is_active and not publishing.timed_out:
        raise ValidationError("This publication is still running.")
    return publishing_request(meeting=publishing.meeting, kind=publishing.kind, by=by, note=publishing.note)


@transaction.atomic
def minutes_approve(*, minutes: Minutes, at_meeting: Meeting, by=None) -> Minutes:
    """Mark minutes agreed as a correct record by a later meeting of the same board; they lock."""
    if at_meeting.board_id != minutes.meeting.board_id or at_meeting.date <= minutes.meeting.date:
        raise ValidationError("Minutes are approved by a later meeting of the same board.")
    if minutes.is_approved:
        raise ValidationError("These minutes are already approved.")
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at_meeting = at_meeting
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["status", "approved_at_meeting", "approved_at"])
    search_refresh_meeting(minutes.meeting)
    return minutes


@transaction.atomic
def minutes_correct(*, part: MinutesPart, changes: dict, reason: str, by) -> MinutesCorrection:
    """Change approved minutes by a recorded correction: who, when, why, and from what to what."""
    if not reason.strip():
        raise ValidationError("Give the reason for correcting approved minutes.")
    described = []
    for field, new in changes.items():
        old = getattr(part, field)
        described.append(f"{part._meta.get_field(field).verbose_name}: “{old}” → “{new}”")
        setattr(part, field, new)
    part.full_clean()
    part.save(allow_correction=True)
    search_refresh_meeting(part.minutes_for_lock().meeting)
    return MinutesCorrection.objects.create(
        minutes=part.minutes_for_lock(), made_by=by, reason=reason, change=f"{part}: " + "; ".join(described)
    )


@transaction.atomic
def action_add_progress(*, action: Action, date, text: str, by=None) -> ActionProgress:
    """Record a dated progress update on an action (checked before saving)."""
    progress = ActionProgress(action=action, date=date, text=text, entered_by=by)
    progress.full_clean()
    progress.save()
    return progress


def pack_opened(*, user, meeting: Meeting, at=None) -> None:
    """Note that a signed-in reader has opened a meeting's pack (now, unless `at` is given): their
    front page says what has changed since. One statement, whether or not they opened it before."""
    PackOpened.objects.bulk_create(
        [PackOpened(user=user, meeting=meeting, opened_at=at or timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "meeting"],
        update_fields=["opened_at"],
    )
