"""Loads fixtures/demo/programmes/*.yaml: the board's priorities and member leads, the programmes
with their projects, activities and quarterly outputs, participation tables as printed, which papers
concern which MoU deliverables, the live annexes, and the sector-led improvement update. Loading
twice changes nothing."""

from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ObjectDoesNotExist

from meetings.models import Annex, Board, BoardYear, Meeting, Person
from mou.models import Deliverable, Mou, QuarterlyReturn

from .annexes import live_annex_save
from .models import (
    Activity,
    LiveAnnex,
    Output,
    Participation,
    ParticipationColumn,
    Priority,
    Programme,
    SectorUpdate,
    SectorUpdateTheme,
    Workstream,
)
from .participation import BreakdownRow
from .services import breakdown_save


class DemoDataError(Exception):
    """The demo file names something that is not in the database."""


class ProgrammesLoader:
    def __init__(self, path: Path):
        self.data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.start_year = self.data["start_year"]
        self.board = Board.objects.get(slug=self.data["board"])
        self.mou = Mou.objects.get(start_year=self.start_year)

    def load(self) -> None:
        programmes = {
            p["slug"]: self.load_programme(order, p) for order, p in enumerate(self.data["programmes"])
        }
        self.load_priorities(programmes)
        self.load_links()
        self.load_live_annexes(programmes)
        if self.data.get("sector_update"):
            self.load_sector_update(self.data["sector_update"])

    # -- lookups ---------------------------------------------------------------------------------
    @staticmethod
    def person(key: str | None) -> Person | None:
        if not key:
            return None
        try:
            return Person.objects.get(slug=key)
        except Person.DoesNotExist as missing:
            raise DemoDataError(f"No person '{key}' in the demo people.") from missing

    def deliverable(self, ref: dict) -> Deliverable:
        try:
            return Deliverable.objects.get(
                theme__mou=self.mou, theme__key=ref["theme"], reference=str(ref["reference"])
            )
        except Deliverable.DoesNotExist as missing:
            raise DemoDataError(f"No deliverable {ref['theme']} {ref['reference']}.") from missing

    def meeting(self, date) -> Meeting:
        return Meeting.objects.get(board=self.board, date=date)

    # -- programmes ------------------------------------------------------------------------------
    def load_programme(self, order: int, data: dict) -> Programme:
        programme, _ = Programme.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "order": order,
                "contact_officer": self.person(data.get("contact_officer")),
                "summary": (data.get("summary") or "").strip(),
                "source": data.get("source") or "",
            },
        )
        slugs = []
        for position, stream in enumerate(data.get("workstreams") or []):
            slugs += self.load_workstream(programme, None, position, stream)
        programme.workstreams.exclude(slug__in=slugs).delete()
        programme.participation.all().delete()
        for record in data.get("participation") or []:
            self.load_participation(programme, record)
        return programme

    def load_workstream(self, programme: Programme, parent, order: int, data: dict) -> list[str]:
        stream, _ = Workstream.objects.update_or_create(
            programme=programme,
            slug=data["slug"],
            defaults={
                "parent": parent,
                "name": data["name"],
                "short_name": data.get("short_name") or "",
                "order": order,
                "summary": (data.get("summary") or "").strip(),
                "next_steps": (data.get("next_steps") or "").strip(),
                "report_paragraph": str(data.get("report_paragraph") or ""),
            },
        )
        stream.deliverables.set([self.deliverable(ref) for ref in data.get("deliverables") or []])
        stream.activities.filter(start_year=self.start_year).delete()
        Activity.objects.bulk_create(
            Activity(
                workstream=stream,
                start_year=self.start_year,
                order=position,
                objective=activity["objective"].strip(),
                achieved=(activity.get("achieved") or "").strip(),
            )
            for position, activity in enumerate(data.get("activities") or [])
        )
        stream.outputs.filter(start_year=self.start_year).delete()
        for output in data.get("outputs") or []:
            self.load_output(stream, output)
        slugs = [stream.slug]
        for position, child in enumerate(data.get("children") or []):
            slugs += self.load_workstream(programme, stream, position, child)
        return slugs

    def load_output(self, stream: Workstream, data: dict) -> None:
        savings = data.get("savings")
        Output.objects.create(
            workstream=stream,
            start_year=self.start_year,
            quarter=data["quarter"],
            order=data.get("order") or 0,
            delivered=data["delivered"].strip(),
            rag=data["rag"],
            savings=Decimal(str(savings)) if savings is not None else None,
            councils_supported=data.get("councils_supported"),
            report_reference=data.get("report_reference") or "",
            highlight=(data.get("highlight") or "").strip(),
        )

    def load_participation(self, programme: Programme, data: dict) -> None:
        participation = Participation.objects.create(
            programme=programme,
            start_year=data["start_year"],
            period=data["period"],
            as_at=data["as_at"],
            stated_total=data.get("stated_total"),
            stated_total_source=data.get("stated_total_source") or "",
            source=data.get("source") or "",
        )
        ParticipationColumn.objects.bulk_create(
            ParticipationColumn(participation=participation, order=order, code=c["code"], name=c["name"])
            for order, c in enumerate(data["columns"])
        )
        # Through the same check as the admin form: every breakdown must total the same.
        for dimension, rows in (data.get("breakdowns") or {}).items():
            table = [BreakdownRow(row[0], list(row[1:])) for row in rows]
            breakdown_save(participation=participation, dimension=dimension, rows=table)

    # -- priorities, links, live annexes -----------------------------------------------------------
    def load_priorities(self, programmes: dict[str, Programme]) -> None:
        board_year = BoardYear.objects.get(board=self.board, start_year=self.start_year)
        titles = []
        for data in self.data.get("priorities") or []:
            titles.append(data["title"])
            priority, _ = Priority.objects.update_or_create(
                board_year=board_year,
                title=data["title"],
                defaults={
                    "order": data["order"],
                    "member_lead": self.person(data.get("member_lead")),
                    "summary": (data.get("summary") or "").strip(),
                    "source": data.get("source") or "",
                },
            )
            priority.programmes.set([programmes[slug] for slug in data.get("programmes") or []])
        board_year.priorities.exclude(title__in=titles).delete()

    def load_links(self) -> None:
        for link in self.data.get("links") or []:
            report = self.meeting(link["meeting"]).items.get(number=link["item"]).report
            for ref in link["deliverables"]:
                self.deliverable(ref).reports.add(report)

    def load_live_annexes(self, programmes: dict[str, Programme]) -> None:
        for data in self.data.get("live_annexes") or []:
            annex = Annex.objects.get(
                report__item__meeting=self.meeting(data["meeting"]),
                report__item__number=data["item"],
                letter=data["letter"],
            )
            try:
                live = annex.live
            except ObjectDoesNotExist:
                live = None
            if live is not None and live.is_frozen:
                continue  # published and frozen: a reload must not change what readers saw
            live = live or LiveAnnex(annex=annex)
            live.kind = data["kind"]
            live.programme = programmes.get(data.get("programme"))
            live.start_year = data.get("start_year")
            live.quarter = data.get("quarter")
            live_annex_save(live=live)  # frozen at once if its meeting is already published

    # -- the sector-led improvement update --------------------------------------------------------
    def load_sector_update(self, data: dict) -> None:
        update, _ = SectorUpdate.objects.update_or_create(
            mou=self.mou,
            quarter=data["quarter"],
            defaults={
                "title": data["title"],
                "issued": data["issued"],
                "introduction": (data.get("introduction") or "").strip(),
                "closing": (data.get("closing") or "").strip(),
            },
        )
        update.sections.all().delete()
        for order, section in enumerate(data["themes"]):
            theme = self.mou.themes.get(key=section["theme"])
            SectorUpdateTheme.objects.create(
                update=update,
                theme=theme,
                order=order,
                heading=section["heading"],
                summary=(section.get("summary") or "").strip(),
                after=(section.get("after") or "").strip(),
            )
            for highlight in section.get("highlights") or []:
                self.mark_highlight(highlight["text"].strip(), highlight["source"])

    def mark_highlight(self, text: str, source: dict) -> None:
        if source["kind"] == "return":
            updated = QuarterlyReturn.objects.filter(
                deliverable=self.deliverable(source), quarter=source["quarter"]
            ).update(highlight=text)
        else:
            updated = Output.objects.filter(
                workstream__programme__slug=source["programme"],
                workstream__slug=source["workstream"],
                start_year=self.start_year,
                order=source["order"],
            ).update(highlight=text)
        if updated != 1:
            raise DemoDataError(f"The highlight '{text[:40]}…' names no single return or output: {source}.")
