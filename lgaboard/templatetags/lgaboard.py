from django import template
from django.template.base import token_kwargs
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from lgaboard.markdown import render_markdown
from lgaboard.table_box import table_box
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


# Characters that could end a CSS string or the <style> element holding it: the quote, the backslash,
# newlines (\n, \r, \f) and every other control character, and "<" (as in "</style>").
CSS_STRING_ESCAPES = {code: f"\\{code:x} " for code in [*range(0x20), 0x7F, ord('"'), ord("\\"), ord("<")]}
CSS_STRING_ESCAPES[0] = "\ufffd"  # CSS reads NUL as U+FFFD in any case


@register.filter
def css_string(value) -> str:
    """Text as a quoted CSS string (running headers in PDFs): every character that could end the
    string or the style element is written as a hex escape, "\\d " for a carriage return."""
    return mark_safe(f'"{str(value).translate(CSS_STRING_ESCAPES)}"')  # noqa: S308 - escaped for CSS


@register.filter(name="year_label")
def year_label_filter(start_year) -> str:
    """{{ 2017|year_label }}: '2017/18'."""
    return year_label(int(start_year)) if start_year not in (None, "") else ""


class TableBoxNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist, self.label = nodelist, label

    def render(self, context):
        label = conditional_escape(self.label.resolve(context)) if self.label else ""
        return mark_safe(table_box(self.nodelist.render(context), label))  # noqa: S308 - rendered template, escaped label


@register.tag(name="table_box")
def do_table_box(parser, token):
    """{% table_box %}<table>…</table>{% endtable_box %}: the table in its scrolling box, a region named
    "Table: " and the table's caption; {% table_box label="…" %} names it otherwise."""
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:], parser)
    if len(bits) > 2 or set(kwargs) - {"label"}:
        raise template.TemplateSyntaxError(f'{bits[0]} takes only label="…"')
    nodelist = parser.parse(("endtable_box",))
    parser.delete_first_token()
    return TableBoxNode(nodelist, kwargs.get("label"))
