from django import template

from ..annexes import live_annex_html

register = template.Library()


@register.simple_tag
def live_annex(annex, meeting):
    """The generated table of an annex: frozen once its meeting is published, live before."""
    live = getattr(annex, "live", None)
    if live is None:
        return ""
    return live_annex_html(live, published=meeting.is_published)
