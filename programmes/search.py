"""What the programmes offer the search (lgaboard/search): each programme's page (its summary, its
projects and their next steps, activities and quarterly outputs) and the sector-led improvement
update of each published MoU year, as the public read them. `search_refresh_programmes` is called
wherever they may change: the admin's saves and deletions of programmes, projects, outputs and
updates; an MoU's own refresh covers its update's highlights drawn from approved returns."""

from lgaboard.markdown import render_markdown
from lgaboard.search import registry
from lgaboard.search.services import search_refresh
from lgaboard.search.text import html_text
from mou.models import Mou

from .models import Activity, Output, Programme, SectorUpdate
from .selectors import sector_update_for

ALL = "all"


def _text(markdown: str) -> str:
    return html_text(render_markdown(markdown)) if markdown else ""


def _joined(texts) -> str:
    return " ".join(" ".join(text.split()) for text in texts if text)


class ProgrammesSource:
    name = "programmes.programmes"
    kinds = {"programme": ("Programmes", "Programme")}

    def scope_key(self, scope) -> str:
        return ALL

    def scopes(self):
        return [ALL]

    def documents(self, scope):
        activities, outputs = {}, {}
        for activity in Activity.objects.select_related("workstream").order_by("start_year", "order", "pk"):
            activities.setdefault(activity.workstream.programme_id, []).append(activity)
        for output in Output.objects.select_related("workstream").order_by("start_year", "quarter", "order"):
            outputs.setdefault(output.workstream.programme_id, []).append(output)
        for programme in Programme.objects.prefetch_related("workstreams").order_by("order", "name"):
            texts = [_text(programme.summary)]
            for workstream in programme.workstreams.all():
                texts += [workstream.name, _text(workstream.summary), _text(workstream.next_steps)]
            for activity in activities.get(programme.pk, []):
                texts += [activity.objective, _text(activity.achieved)]
            for output in outputs.get(programme.pk, []):
                texts += [output.delivered, output.highlight]
            yield registry.Document(
                kind="programme",
                title=programme.name,
                url=programme.get_absolute_url(),
                body=_joined(texts),
                context="Programmes of support to councils",
            )


class SectorUpdateSource:
    """A published MoU year's sector-led improvement update as the public read it: its highlights
    from approved returns only. It follows the MoU's own source: refreshed with it, so an approved
    or reopened return reaches the update's entry too (the MoU app knows no programmes)."""

    name = "programmes.updates"
    kinds = {"update": ("Sector-led improvement updates", "Sector-led improvement update")}
    follows = ("mou.deliverables",)

    def scope_key(self, mou: Mou) -> str:
        return f"mou:{mou.pk}"

    def scopes(self):
        return Mou.objects.filter(draft=False)

    def documents(self, mou: Mou):
        mou = Mou.objects.filter(pk=mou.pk, draft=False).first()
        if mou is None or not SectorUpdate.objects.filter(mou=mou).exists():
            return
        update, sections = sector_update_for(mou)  # the public's: approved returns' highlights only
        texts = [_text(update.introduction)]
        for section in sections:
            texts += [section.heading, _text(section.summary)]
            texts += [highlight.text for highlight in section.highlights]
            texts += [_text(section.after)]
        texts.append(_text(update.closing))
        yield registry.Document(
            kind="update",
            title=f"{update.title}, {update.issued}",
            url=update.get_absolute_url(),
            body=_joined(texts),
            context=f"MoU {mou.label}",
            start_year=mou.start_year,
        )


def search_refresh_programmes() -> None:
    """What the search holds of the programmes and the sector-led improvement updates (whose
    highlights include outputs'), now."""
    search_refresh(ProgrammesSource.name, ALL)
    for mou in SectorUpdateSource().scopes():
        search_refresh(SectorUpdateSource.name, mou)


def register() -> None:
    registry.register(ProgrammesSource())
    registry.register(SectorUpdateSource())
