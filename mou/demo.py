"""Loads fixtures/demo/mou/*.yaml: an MoU, its themes and deliverables as written, and only the
quarterly figures and narratives the papers give (returns are replaced wholesale, so loading twice
changes nothing)."""

from decimal import Decimal
from pathlib import Path

import yaml

from .models import Deliverable, Mou, QuarterlyReturn, SubTarget, Theme, ThemeOutcome


def load_mou_file(path: Path) -> Mou:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    info = data["mou"]
    mou, _ = Mou.objects.update_or_create(
        start_year=info["start_year"],
        defaults={
            "title": info["title"],
            "parties": info["parties"],
            "grant": Decimal(str(info["grant"])) if info.get("grant") is not None else None,
            "signed_on": info.get("signed_on"),
        },
    )
    for theme_data in data["themes"]:
        load_theme(mou, theme_data)
    return mou


def load_theme(mou: Mou, data: dict) -> None:
    theme, _ = Theme.objects.update_or_create(
        mou=mou,
        key=data["key"],
        defaults={
            "order": data["order"],
            "title": data["title"],
            "introduction": data.get("introduction", ""),
        },
    )
    theme.outcomes.all().delete()
    ThemeOutcome.objects.bulk_create(
        ThemeOutcome(theme=theme, order=order, text=text)
        for order, text in enumerate(data.get("outcomes", []))
    )
    references = []
    for order, deliverable in enumerate(data.get("deliverables", []), start=1):
        references.append(str(deliverable["reference"]))
        load_deliverable(theme, order, deliverable)
    theme.deliverables.exclude(reference__in=references).delete()


def load_deliverable(theme: Theme, order: int, data: dict) -> None:
    target = data.get("target")
    deliverable, _ = Deliverable.objects.update_or_create(
        theme=theme,
        reference=str(data["reference"]),
        defaults={
            "order": order,
            "heading": data.get("heading") or "",
            "commitment": data["commitment"].strip(),
            "target": Decimal(str(target)) if target is not None else None,
            "comparator": data.get("comparator") or "",
            "unit": data.get("unit") or "",
            "rule": data.get("rule") or Deliverable.Rule.NARRATIVE,
            "due": data.get("due"),
        },
    )
    deliverable.sub_targets.all().delete()
    for sub in data.get("sub_targets") or []:
        SubTarget.objects.create(
            deliverable=deliverable,
            target=Decimal(str(sub["target"])),
            comparator=sub["comparator"],
            unit=sub["unit"],
        )
    deliverable.returns.all().delete()
    for record in data.get("returns") or []:
        figure = record.get("figure")
        QuarterlyReturn.objects.create(
            deliverable=deliverable,
            quarter=record["quarter"],
            figure=Decimal(str(figure)) if figure is not None and deliverable.rule != "milestone" else None,
            milestone_met=record.get("milestone_met"),
            narrative=record.get("narrative") or "",
            rag=record.get("rag") or "",
        )
