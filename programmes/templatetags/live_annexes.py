from django import template
from django.template.loader import render_to_string

from ..annexes import figures_taken, live_annex_html

register = template.Library()


@register.simple_tag
def live_annex(annex, meeting):
    """The generated table of an annex: frozen once its meeting is published, live before."""
    live = getattr(annex, "live", None)
    if live is None:
        return ""
    return live_annex_html(live, published=meeting.is_published)


@register.simple_tag
def figures_taken_note(items, meeting):
    """On paper, once per pack or item: when the figures of its generated annexes were taken (on
    screen each annex says so itself). `items`: the pack's agenda items, or one item."""
    items = items if isinstance(items, list | tuple) else [items]
    moments = figures_taken(items, published=meeting.is_published)
    if not moments:
        return ""
    return render_to_string("programmes/annexes/_figures_taken.html", {"moments": moments})
