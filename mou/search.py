"""What the MoU offers the search (lgaboard/search): a published MoU's deliverables as written and its
approved quarterly returns, a year at a time. `search_refresh_mou` is called wherever either may
change: a return approved or reopened, the MoU, a theme or a deliverable saved in the admin."""

from lgaboard.markdown import render_markdown
from lgaboard.search import registry
from lgaboard.search.services import search_refresh
from lgaboard.search.text import html_text

from .models import QUARTERS, Deliverable, Mou, QuarterlyReturn


class MouSource:
    name = "mou.deliverables"
    kinds = {
        "deliverable": ("MoU deliverables", "MoU deliverable"),
        "return": ("Quarterly returns", "Quarterly return"),
    }

    def scope_key(self, mou: Mou) -> str:
        return f"mou:{mou.pk}"

    def scopes(self):
        return Mou.objects.filter(draft=False)

    def documents(self, mou: Mou):
        mou = Mou.objects.filter(pk=mou.pk, draft=False).first()
        if mou is None:  # a draft (next year's) is read by staff only
            return
        deliverables = (
            Deliverable.objects.filter(theme__mou=mou)
            .select_related("theme")
            .order_by("theme__order", "theme__pk", "order", "pk")
        )
        approved: dict[int, list[QuarterlyReturn]] = {}
        for quarterly_return in QuarterlyReturn.objects.filter(
            deliverable__theme__mou=mou, status=QuarterlyReturn.Status.APPROVED
        ).order_by("quarter"):
            approved.setdefault(quarterly_return.deliverable_id, []).append(quarterly_return)
        common = {"start_year": mou.start_year}
        for deliverable in deliverables:
            theme, url = deliverable.theme, deliverable.get_absolute_url()
            name = f"{theme.title} {deliverable.reference}"
            yield registry.Document(
                kind="deliverable",
                title=f"{name}: {deliverable.short_form}",
                url=url,
                body=" ".join(
                    [
                        deliverable.heading,
                        html_text(render_markdown(deliverable.commitment)),
                        deliverable.unit,
                    ]
                ),
                context=f"MoU {mou.label}, {theme.title}",
                **common,
            )
            for quarterly_return in approved.get(deliverable.pk, []):
                quarter, months, _ = QUARTERS[quarterly_return.quarter]
                texts = [quarterly_return.narrative, quarterly_return.commentary, quarterly_return.highlight]
                yield registry.Document(
                    kind="return",
                    title=f"{name}: {quarter} ({months}) return",
                    url=f"{url}#delivered-heading",
                    body=" ".join(" ".join(text.split()) for text in texts if text),
                    context=f"MoU {mou.label}, {theme.title}, {deliverable.short_form}",
                    **common,
                )


def search_refresh_mou(mou: Mou) -> None:
    """What the search holds of an MoU, as the public may read it now."""
    search_refresh(MouSource.name, mou)


def register() -> None:
    registry.register(MouSource())
