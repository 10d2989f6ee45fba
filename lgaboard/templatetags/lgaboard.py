from django import template
from django.utils.safestring import mark_safe

from lgaboard.markdown import render_markdown
from lgaboard.years import year_label

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str, top_heading: int = 3):
    """{{ report.body|markdown:3 }}: sanitised HTML, headings starting at the given level."""
    return mark_safe(render_markdown(text, top_heading=int(top_heading)))  # noqa: S308 - sanitised by nh3


@register.filter(expects_localtime=True)
def clock(value) -> str:
    """A time as the papers print it: 11.00am, 1.30pm."""
    if not value:
        return ""
    hour = value.hour % 12 or 12
    return f"{hour}.{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


@register.filter
def lookup(mapping, key):
    """{{ page_ranges|lookup:item.anchor }}: a value from a dict, or ''."""
    return (mapping or {}).get(key, "")


@register.filter
def css_string(value) -> str:
    """Text made safe inside a CSS "string" (for running headers in PDFs)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return mark_safe(f'"{text}"')  # noqa: S308 - quoted and escaped for CSS


@register.filter(name="year_label")
def year_label_filter(start_year) -> str:
    """{{ 2017|year_label }}: '2017/18'."""
    return year_label(int(start_year)) if start_year not in (None, "") else ""
