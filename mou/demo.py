"""Loads fixtures/demo/mou/*.yaml: an MoU, its themes and deliverables as written, and only the
quarterly figures and narratives the papers give (returns are replaced wholesale, so loading twice
changes nothing). The returns are transcribed from published papers, so they are recorded as approved,
citing the papers: the public see approved figures only."""

from decimal import Decimal
from pathlib import Path

import yaml

from meetings.models import Person

from .models import Deliverable, Mou, QuarterlyReturn, ReturnEvent, SubTarget, Theme, ThemeOutcome


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
    record_transcribed_returns(mou, info)
    return mou


def record_transcribed_returns(mou: Mou, info: dict) -> None:
    """Record each return just loaded as submitted and approved, by the login of the person the YAML
    names (`returns_approved_by`; no one when the demo logins were not created), citing the papers
    (`returns_source`). The events' time is when the data was loaded, as their reason says: the
    papers do not say when the figures were signed off, and their date is not invented here."""
    loaded = list(QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, events__isnull=True))
    if not loaded:
        return  # an MoU without figures yet needs no source
    by = Person.objects.filter(slug=info.get("returns_approved_by")).values_list("user", flat=True).first()
    reason = (
        f"Transcribed from the published papers: {info['returns_source']}. Recorded as approved "
        "when the demo data was loaded; the papers do not say when the figures were signed off."
    )
    for kind in (ReturnEvent.Kind.SUBMITTED, ReturnEvent.Kind.APPROVED):
        ReturnEvent.objects.bulk_create(
            ReturnEvent(quarterly_return=record, kind=kind, by_id=by, reason=reason) for record in loaded
        )


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


def lead_officer(slug: str | None) -> Person | None:
    """The Person a deliverable's `lead_officer` names (a slug from people.yaml); none if not named.
    The papers name no lead officers: the YAML says which are set for the demonstration."""
    if not slug:
        return None
    try:
        return Person.objects.get(slug=slug)
    except Person.DoesNotExist:
        raise ValueError(f"lead_officer {slug!r} is not a person in fixtures/demo/people.yaml") from None


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
            "lead_officer": lead_officer(data.get("lead_officer")),
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
            status=QuarterlyReturn.Status.APPROVED,  # as published: see record_transcribed_returns
        )
