"""Plain text of a page as its reader reads it, for the search index: the page's main content, split
into its parts (an item's report, then each annex in its own <section id="…">), without navigation,
the links to download it or anything marked not to print."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCKS = {
    "p", "li", "ol", "ul", "dl", "dt", "dd", "div", "section", "article", "table", "tr", "td", "th",
    "caption", "h1", "h2", "h3", "h4", "h5", "h6", "br", "blockquote", "pre", "figcaption",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED_TAGS = {"nav", "script", "style", "template", "button", "form"}
SKIPPED_CLASSES = {"app-no-print", "govuk-caption-l", "govuk-visually-hidden", "app-contents-list"}


@dataclass
class Part:
    anchor: str  # "" for the page's own text, else the section's id ("item-3-a")
    title: str = ""
    words: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.words).split())


class _Reader(HTMLParser):
    def __init__(self, section_class: str):
        super().__init__(convert_charrefs=True)
        self.section_class = section_class
        self.parts = [Part(anchor="")]
        self.stack: list[tuple[str, bool, bool]] = []  # tag, skipped, starts a section
        self.in_main = False
        self.heading: str | None = None  # the tag of the heading whose text titles the part
        self.title_words: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "main":
            self.in_main = True
        if tag in VOID:
            if tag == "br" and self.in_main:
                self.parts[-1].words.append(" ")
            return
        starts = tag == "section" and self.section_class in classes and bool(attributes.get("id"))
        if starts and not self.skipping:
            self.parts.append(Part(anchor=attributes["id"]))
        hidden = attributes.get("hidden") is not None
        skipped = tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES) or hidden
        self.stack.append((tag, skipped, starts))
        part = self.parts[-1]
        if self.heading is None and not part.title and tag in ("h1", "h2") and not self.skipping:
            self.heading, self.title_words = tag, []
        if tag in BLOCKS and self.in_main:
            part.words.append(" ")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:  # close what the markup left open, up to this tag
            opened, _, _ = self.stack.pop()
            if opened == tag:
                break
        if tag == self.heading:
            self.parts[-1].title = " ".join("".join(self.title_words).split())
            self.heading = None
        if tag == "main":
            self.in_main = False
        if tag in BLOCKS and self.in_main:
            self.parts[-1].words.append(" ")

    def handle_data(self, data):
        if not self.in_main or self.skipping:
            return
        self.parts[-1].words.append(data)
        if self.heading is not None:
            self.title_words.append(data)


def page_parts(html: str, section_class: str = "app-annex") -> list[Part]:
    """The main content of a page: first its own text (titled by its first heading), then each
    <section class="{section_class}" id="…"> in order, titled by its own first heading."""
    reader = _Reader(section_class)
    reader.feed(html)
    reader.close()
    return reader.parts


def html_text(html: str) -> str:
    """The text of an HTML fragment (a rendered Markdown field), in one line."""
    return " ".join(part.text for part in page_parts(f"<main>{html}</main>", section_class="\0"))
