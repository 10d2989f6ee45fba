"""Loads the real 2017 papers in fixtures/demo into the database, idempotently.

Structured data lives in YAML (people.yaml, boards.yaml); the text of each agenda item's report is a
Markdown file with YAML front matter and marked sections, so it reads like the paper it came from.
"""

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import yaml

from .models import (
    Action,
    AgendaItem,
    Annex,
    Attendance,
    Authority,
    Board,
    BoardFormerName,
    BoardYear,
    Decision,
    Declaration,
    DiscussionPoint,
    Meeting,
    Membership,
    MinuteEntry,
    Minutes,
    Person,
    PoliticalGroup,
    Recommendation,
    Report,
    ReportContact,
    SeatAllocation,
    Venue,
)
from .services import meeting_publish

SECTION_MARKER = re.compile(
    r"^<!-- (summary|body|implications_for_wales|financial_implications|next_steps) -->$", re.MULTILINE
)


@dataclass
class ItemFile:
    front: dict
    sections: dict[str, str]


def read_item_file(path: Path) -> ItemFile:
    """Split an item file into its front matter and its marked sections."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path.name}: an item file starts with YAML front matter.")
    front_text, _, rest = text[4:].partition("\n---\n")
    parts = SECTION_MARKER.split(rest)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}
    return ItemFile(front=yaml.safe_load(front_text) or {}, sections=sections)


class DemoLoader:
    def __init__(self, root: Path):
        self.root = root
        self.people: dict[str, Person] = {}
        self.venues: dict[str, Venue] = {}
        self.to_publish: list[Meeting] = []

    def text(self, relative: str | None) -> str:
        return (self.root / relative).read_text(encoding="utf-8").strip() if relative else ""

    def load(self) -> None:
        people = yaml.safe_load((self.root / "people.yaml").read_text(encoding="utf-8"))
        boards = yaml.safe_load((self.root / "boards.yaml").read_text(encoding="utf-8"))
        self.load_groups(people["political_groups"])
        self.load_authorities(people["authorities"])
        self.load_people(people["people"])
        self.load_venues(boards["venues"])
        for board in boards["boards"]:
            self.load_board(board)
        for meeting in boards["meetings"]:
            self.load_meeting(meeting)
        for path in sorted((self.root / "minutes").glob("*.yaml")):
            MinutesLoader(self, yaml.safe_load(path.read_text(encoding="utf-8"))).load()

    def publish_pending(self) -> None:
        """Publish the demo meetings last, once everything their packs show (live annexes from the
        programmes, the note of the previous meeting) is loaded, so the frozen packs are complete."""
        for pk in dict.fromkeys(meeting.pk for meeting in self.to_publish):  # each once, in order
            meeting = Meeting.objects.get(pk=pk)
            if meeting.is_published:
                continue
            # The papers do not say when the pack was published: no date is recorded rather than today's.
            # Loading history is not publishing: nobody is e-mailed that these papers are out.
            meeting_publish(meeting=meeting, date_recorded=False, tell_people=False)
        self.to_publish = []

    def load_groups(self, groups: list[dict]) -> None:
        for group in groups:
            PoliticalGroup.objects.update_or_create(name=group.pop("name"), defaults=group)

    def load_authorities(self, authorities: list[dict]) -> None:
        for authority in authorities:
            Authority.objects.update_or_create(
                name=authority["name"], defaults={"authority_type": authority["type"]}
            )

    def load_people(self, people: dict[str, dict]) -> None:
        """The papers' people, with the addresses the papers print. Those are real people's: the
        demo's e-mails about papers are off for everyone, so no clerk trying the demo writes to them
        (each can be turned on again, on the person's admin page or their account page)."""
        for slug, fields in people.items():
            fields = {**fields, "papers_by_email": False}
            self.people[slug], _ = Person.objects.update_or_create(slug=slug, defaults=fields)

    def load_venues(self, venues: list[dict]) -> None:
        for venue in venues:
            key = venue.pop("key")
            venue["visitor_guidance"] = self.text(venue.get("visitor_guidance"))
            venue["directions"] = self.text(venue.get("directions"))
            self.venues[key], _ = Venue.objects.update_or_create(
                name=venue.pop("name"), room=venue.pop("room"), defaults=venue
            )

    def load_board(self, data: dict) -> None:
        board, _ = Board.objects.update_or_create(
            slug=data["slug"], defaults={"name": data["name"], "description": data.get("description", "")}
        )
        for former in data.get("former_names", []):
            BoardFormerName.objects.update_or_create(
                slug=former["slug"],
                defaults={"board": board, "name": former["name"], "until": former["until"]},
            )
        for year in data.get("years", []):
            self.load_board_year(board, year)

    def load_board_year(self, board: Board, data: dict) -> None:
        quorum = data["quorum"]
        board_year, _ = BoardYear.objects.update_or_create(
            board=board,
            start_year=data["start_year"],
            defaults={
                "terms_of_reference": self.text(data.get("terms_of_reference")),
                "quorum_numerator": quorum["numerator"],
                "quorum_denominator": quorum["denominator"],
                "quorum_min_groups": quorum["min_groups"],
                "meetings_per_year": data.get("meetings_per_year"),
            },
        )
        for group_name, seats in data.get("seats", {}).items():
            SeatAllocation.objects.update_or_create(
                board_year=board_year,
                group=PoliticalGroup.objects.get(name=group_name),
                defaults={"seats": seats},
            )
        for order, membership in enumerate(data.get("memberships", []), start=1):
            self.load_membership(board_year, membership, order)

    def load_membership(self, board_year: BoardYear, data: dict, order: int) -> None:
        group = data.get("group")
        authority = data.get("authority")
        Membership.objects.update_or_create(
            board_year=board_year,
            person=self.people[data["person"]],
            defaults={
                "group": PoliticalGroup.objects.get(name=group) if group else None,
                "authority": Authority.objects.get(name=authority) if authority else None,
                "organisation": data.get("organisation", ""),
                "role": data.get("role", Membership.Role.MEMBER),
                "order": order,
            },
        )

    def load_meeting(self, data: dict) -> None:
        board_year = BoardYear.objects.get(board__slug=data["board"], start_year=data["year"])
        groups = data.get("group_meetings") or {}
        rate = data.get("carers_allowance_hourly_rate")
        meeting, _ = Meeting.objects.update_or_create(
            board=board_year.board,
            date=date.fromisoformat(str(data["date"])),
            defaults={
                "board_year": board_year,
                "start_time": time.fromisoformat(data["start_time"]) if data.get("start_time") else None,
                "venue": self.venues.get(data.get("venue")),
                "contact_officer": self.people.get(data.get("contact_officer")),
                "addressed_to": data.get("addressed_to", ""),
                "copied_to": data.get("copied_to", ""),
                "group_meetings_start": time.fromisoformat(groups["start"]) if groups else None,
                "group_meetings_end": time.fromisoformat(groups["end"]) if groups else None,
                "refreshments": data.get("refreshments", ""),
                "carers_allowance_hourly_rate": Decimal(rate) if rate else None,
                "hashtag": data.get("hashtag", ""),
            },
        )
        if data.get("items"):
            self.load_items(meeting, self.root / data["items"])
        if data.get("publish") and not meeting.is_published:
            self.to_publish.append(meeting)

    def load_items(self, meeting: Meeting, folder: Path) -> None:
        numbers = []
        for path in sorted(folder.glob("[0-9][0-9].md")):
            item_file = read_item_file(path)
            numbers.append(self.load_item(meeting, item_file, folder))
        AgendaItem.objects.filter(meeting=meeting).exclude(number__in=numbers).delete()

    def load_item(self, meeting: Meeting, item_file: ItemFile, folder: Path) -> int:
        front = item_file.front
        item, _ = AgendaItem.objects.update_or_create(
            meeting=meeting,
            number=front["number"],
            defaults={
                "title": front["title"],
                "note": front.get("note") or "",
                "kind": front.get("kind", AgendaItem.Kind.PAPER),
                "standing": bool(front.get("standing", False)),
            },
        )
        if front.get("report"):
            self.load_report(item, front, item_file.sections, folder)
        else:
            Report.objects.filter(item=item).delete()
        return item.number

    def load_report(self, item: AgendaItem, front: dict, sections: dict, folder: Path) -> None:
        data = front["report"]
        purposes = set(data.get("purposes") or [])
        report, _ = Report.objects.update_or_create(
            item=item,
            defaults={
                "title": data.get("title") or "",
                "for_information": "information" in purposes,
                "for_discussion": "discussion" in purposes,
                "for_decision": "decision" in purposes,
                "for_direction": "direction" in purposes,
                "purpose_text": data.get("purpose_text") or "",
                "recommendations_intro": data.get("recommendations_intro") or "",
                "action": data.get("action") or "",
                **{name: sections.get(name, "") for name in SECTION_NAMES},
            },
        )
        report.recommendations.all().delete()
        Recommendation.objects.bulk_create(
            Recommendation(report=report, number=number, text=text)
            for number, text in enumerate(data.get("recommendations") or [], start=1)
        )
        report.contacts.all().delete()
        ReportContact.objects.bulk_create(
            ReportContact(report=report, person=self.people[key], order=order)
            for order, key in enumerate(data.get("contact_officers") or [], start=1)
        )
        self.load_annexes(report, front.get("annexes") or [], folder)

    def load_annexes(self, report: Report, annexes: list[dict], folder: Path) -> None:
        letters = []
        for annex in annexes:
            letter = str(annex["letter"])
            letters.append(letter)
            Annex.objects.update_or_create(
                report=report,
                letter=letter,
                defaults={
                    "title": annex["title"],
                    "on_agenda": annex.get("on_agenda", True),
                    # A generated annex is built from the data (fixtures/demo/programmes), not typed.
                    "generated": bool(annex.get("generated")),
                    "content": "" if annex.get("generated") else self.annex_text(folder, annex["file"]),
                },
            )
        report.annexes.exclude(letter__in=letters).delete()

    @staticmethod
    def annex_text(folder: Path, name: str) -> str:
        return (folder / name).read_text(encoding="utf-8").strip()


SECTION_NAMES = ("summary", "body", "implications_for_wales", "financial_implications", "next_steps")


class MinutesLoader:
    """Loads one meeting's note (fixtures/demo/minutes/*.yaml): the meeting, its items, the note,
    declarations and attendance. The note is replaced wholesale, so loading twice changes nothing."""

    def __init__(self, demo: DemoLoader, data: dict):
        self.demo = demo
        self.data = data

    def load(self) -> None:
        self.demo.load_authorities(self.data.get("authorities", []))
        self.demo.load_people(self.data.get("people", {}))
        meeting = self.load_meeting(self.data["meeting"])
        items = {item["number"]: self.load_item(meeting, item) for item in self.data["items"]}
        minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
        minutes.entries.all().delete()
        minutes.declarations.all().delete()
        for number, item_data in zip(items, self.data["items"], strict=True):
            for order, entry in enumerate(item_data.get("entries", []), start=1):
                self.load_entry(minutes, items[number], order, entry)
        for declaration in self.data.get("declarations", []):
            Declaration.objects.create(
                minutes=minutes,
                person=self.demo.people[declaration["person"]],
                agenda_item=items[declaration["item"]],
                interest=declaration["interest"],
            )
        for order, record in enumerate(self.data.get("attendance", []), start=1):
            self.load_attendance(minutes, order, record)
        if not meeting.is_published:
            self.demo.to_publish.append(meeting)

    def load_meeting(self, data: dict) -> Meeting:
        venue_data = dict(data["venue"])
        venue, _ = Venue.objects.update_or_create(
            name=venue_data.pop("name"), room=venue_data.pop("room"), defaults=venue_data
        )
        board = Board.objects.get(slug=data["board"])
        when = date.fromisoformat(str(data["date"]))
        board_year, _ = BoardYear.objects.get_or_create(board=board, start_year=data["year"])
        meeting, _ = Meeting.objects.update_or_create(
            board=board, date=when, defaults={"board_year": board_year, "venue": venue}
        )
        return meeting

    def load_item(self, meeting: Meeting, data: dict) -> AgendaItem:
        item, _ = AgendaItem.objects.update_or_create(
            meeting=meeting,
            number=data["number"],
            defaults={"title": data["title"], "kind": data.get("kind", AgendaItem.Kind.PAPER)},
        )
        return item

    def load_entry(self, minutes: Minutes, item: AgendaItem, order: int, data: dict) -> None:
        introduced_by = data.get("introduced_by")
        entry = MinuteEntry.objects.create(
            minutes=minutes,
            agenda_item=item,
            order=order,
            heading=data.get("heading") or "",
            introduced_by=self.demo.people[introduced_by] if introduced_by else None,
            narrative=(data.get("narrative") or "").strip(),
        )
        for number, text in enumerate(data.get("discussion") or [], start=1):
            DiscussionPoint.objects.create(entry=entry, number=number, text=text)
        for number, decision in enumerate(data.get("decisions") or [], start=1):
            Decision.objects.create(
                entry=entry, number=number, text=decision["text"], outcome=decision["outcome"]
            )
        for number, action in enumerate(data.get("actions") or [], start=1):
            owner = action["owner"]
            Action.objects.create(
                entry=entry,
                number=number,
                text=action["text"],
                owner=None if owner == "officers" else self.demo.people[owner],
                owner_label="Officers" if owner == "officers" else "",
            )

    def load_attendance(self, minutes: Minutes, order: int, data: dict) -> None:
        authority = data.get("authority")
        substitute_for = data.get("substitute_for")
        Attendance.objects.update_or_create(
            minutes=minutes,
            person=self.demo.people[data["person"]],
            defaults={
                "category": data["category"],
                "status": data.get("status", Attendance.Status.PRESENT),
                "role": data.get("role", ""),
                "authority": Authority.objects.get(name=authority) if authority else None,
                "substitute_for": self.demo.people[substitute_for] if substitute_for else None,
                "organisation": data.get("organisation", ""),
                "position": data.get("position", ""),
                "order": order,
            },
        )
