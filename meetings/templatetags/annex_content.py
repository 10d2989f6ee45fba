"""Annex content provided by a later app (see meetings/annex_content.py): `{% load annex_content %}`."""

from django import template

from .. import annex_content as providers

register = template.Library()


@register.simple_tag
def annex_content(annex, meeting):
    """An annex's provided content (a generated table): frozen once its meeting is published, live
    before; "" if no provider has it."""
    return providers.annex_html(annex, published=meeting.is_published)


@register.simple_tag
def figures_taken_note(items, meeting):
    """On paper, once per pack or item: when the figures of its generated annexes were taken (on
    screen each annex says so itself). `items`: the pack's agenda items, or one item."""
    items = items if isinstance(items, list | tuple) else [items]
    return providers.figures_taken(items, published=meeting.is_published)
