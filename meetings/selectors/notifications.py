"""Telling people that papers are out: who is told (the board-year's members, and for a published
pack the officers named as contacts), what their e-mail says, and, for the clerk, what became of
the e-mails of each occasion.

What an e-mail says of the agenda is what the public pack says: each item's number and title, and
of a confidential item only that it is not for publication (the public pack adds its category and
reason). Nothing is read from a report. A member, who may read confidential items when signed in,
is also told how many there are."""

from dataclasses import dataclass, field
from datetime import date, time

from django.db.models import Count, Q
from django.urls import reverse

from lgaboard.site import absolute

from ..models import AgendaItem, Meeting, Membership, Notification, PackRevision, Person, Subscription


@dataclass(frozen=True)
class Recipient:
    """Someone to tell, and why: a member of the board-year (who may read its confidential items),
    or an officer named as a contact."""

    person: Person
    reason: str
    is_member: bool


@dataclass(frozen=True)
class AgendaLine:
    number: int
    title: str
    confidential: bool


@dataclass
class PapersNews:
    """What every e-mail of one occasion says, read once for all its recipients."""

    kind: str
    meeting: Meeting
    board_name: str
    date: date
    start_time: time | None
    venue: str
    link: str
    pdf_link: str
    account_link: str
    agenda: list[AgendaLine]
    revision: PackRevision | None = None
    contact: Person | None = None

    @property
    def confidential_count(self) -> int:
        return sum(line.confidential for line in self.agenda)

    @property
    def subject(self) -> str:
        when = f"{self.board_name}, {self.date:%-d %B %Y}"
        if self.kind == Notification.Kind.REVISED:
            return f"Papers revised: {when} (revision {self.revision.number})"
        if self.kind == Notification.Kind.RELEASED:
            return f"Draft papers for members: {when}"
        return f"Papers published: {when}"


MEMBER_ROLES = {
    Membership.Role.SUBSTITUTE: "a substitute member of",
    Membership.Role.OBSERVER: "an observer on",
}


def people_to_tell(meeting: Meeting, kind: str) -> list[Recipient]:
    """Each person once, members first (by name): the members, substitutes and observers of the
    meeting's board-year; for a published or revised pack also the meeting's contact officer and
    the officers named as contacts on its reports. A draft released to members is for members."""
    board = f"the {meeting.board_name} in {meeting.board_year.label}"
    memberships = Membership.objects.filter(board_year_id=meeting.board_year_id).select_related("person")
    recipients = {}
    for membership in sorted(memberships, key=lambda m: (m.person.last_name, m.person.first_name)):
        role = MEMBER_ROLES.get(membership.role, "a member of")
        recipients[membership.person_id] = Recipient(membership.person, f"{role} {board}", True)
    if kind != Notification.Kind.RELEASED:
        contacts = Person.objects.filter(
            Q(pk=meeting.contact_officer_id) | Q(reports_as_contact__item__meeting=meeting)
        ).distinct()
        for person in contacts.order_by("last_name", "first_name"):
            recipients.setdefault(
                person.pk, Recipient(person, f"named as a contact officer in the papers of {board}", False)
            )
    return list(recipients.values())


def subscribers_to_tell(meeting: Meeting, kind: str) -> list[Subscription]:
    """The public who confirmed they want the board's papers: told when a pack is published or
    revised, never of a draft released to members."""
    if kind == Notification.Kind.RELEASED:
        return []
    return list(meeting.board.subscriptions.filter(confirmed_at__isnull=False).order_by("pk"))


def papers_news(meeting: Meeting, kind: str, revision: PackRevision | None = None) -> PapersNews:
    """What the e-mails of this occasion say: the board, the date, where, the agenda as the public
    pack lists it, the links, and for a revision its note and changes (on `revision`)."""
    kwargs = {"board_slug": meeting.board.slug, "date": meeting.date}
    items = AgendaItem.objects.filter(meeting=meeting).order_by("number")
    return PapersNews(
        kind=kind,
        meeting=meeting,
        board_name=meeting.board_name,
        date=meeting.date,
        start_time=meeting.start_time,
        venue=meeting.venue.one_line if meeting.venue_id else "",
        link=absolute(reverse("meetings:meeting_detail", kwargs=kwargs)),
        pdf_link=absolute(reverse("meetings:pack_pdf", kwargs=kwargs)),
        account_link=absolute(reverse("meetings:account")),
        agenda=[
            AgendaLine(n, title, c) for n, title, c in items.values_list("number", "title", "confidential")
        ],
        revision=revision,
        contact=meeting.contact_officer,
    )


@dataclass
class NotificationRound:
    """The e-mails of one occasion (a publication, a revision, a release), as the clerk reads them."""

    kind: str
    label: str
    revision: PackRevision | None
    counts: dict[str, int]
    failed: list[Notification] = field(default_factory=list)
    queued: list[Notification] = field(default_factory=list)
    not_told: list[Notification] = field(default_factory=list)
    sent: list[Notification] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return counts_summary(self.counts)

    @property
    def can_send_again(self) -> bool:
        return bool(self.failed) or any(
            n.person.email for n in self.not_told if n.status == Notification.Status.NO_ADDRESS
        )


def notification_rounds(meeting: Meeting, revision: PackRevision | None = None) -> list[NotificationRound]:
    """The e-mails of each occasion, newest first (only `revision`'s when it is given): how many
    were sent, and each that failed (with its address and error), waits, or was never sent (no
    address; turned off)."""
    notifications = meeting.notifications.select_related("person", "subscription", "revision").order_by(
        "-queued_at", "person__last_name", "person__first_name"
    )
    if revision is not None:
        notifications = notifications.filter(revision=revision)
    rounds: dict[tuple, NotificationRound] = {}
    for notification in notifications:
        key = (notification.kind, notification.revision_id)
        if key not in rounds:
            rounds[key] = NotificationRound(
                notification.kind, _round_label(notification), notification.revision, counts={}
            )
        _add(rounds[key], notification)
    return list(rounds.values())


def _round_label(notification: Notification) -> str:
    if notification.kind == Notification.Kind.RELEASED:
        return "Draft released to members"
    if notification.kind == Notification.Kind.REVISED:
        return f"Revision {notification.revision.number}"
    return "Publication"


def _add(round_: NotificationRound, notification: Notification) -> None:
    status = notification.status
    round_.counts[status] = round_.counts.get(status, 0) + 1
    lists = {
        Notification.Status.SENT: round_.sent,
        Notification.Status.FAILED: round_.failed,
        Notification.Status.QUEUED: round_.queued,
    }
    lists.get(status, round_.not_told).append(notification)


def counts_summary(counts: dict[str, int]) -> str:
    """'12 sent, 1 failed, 2 waiting to be sent, 3 not told'; 'none' for no e-mails."""
    not_told = counts.get(Notification.Status.NO_ADDRESS, 0) + counts.get(Notification.Status.TURNED_OFF, 0)
    parts = [
        (counts.get(Notification.Status.SENT, 0), "sent"),
        (counts.get(Notification.Status.FAILED, 0), "failed"),
        (counts.get(Notification.Status.QUEUED, 0), "waiting to be sent"),
        (not_told, "not told"),
    ]
    return ", ".join(f"{n} {words}" for n, words in parts if n) or "none"


def notification_counts(meeting: Meeting) -> dict[str, int]:
    """Every e-mail about the meeting, counted by status (one query: the meeting's admin page)."""
    rows = meeting.notifications.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}
