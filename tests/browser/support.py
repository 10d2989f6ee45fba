"""What the browser tests share: two ways of driving a page (mouse, or keyboard alone), a watch on
every page for errors, axe-core, and screenshots."""

from pathlib import Path

from django.conf import settings

ARTIFACTS = settings.BASE_DIR / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# The styles that show where focus is, compared with and without focus.
_FOCUS_STYLE = """el => {
  const style = getComputedStyle(el);
  return ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor', 'color',
          'textDecorationLine', 'textDecorationThickness', 'borderColor', 'borderWidth']
    .map(name => style[name]).join('|');
}"""


def screenshot_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def screenshot(page, name: str, max_height: int = 6000) -> Path:
    """Keeps a screenshot under test-artifacts/screenshots/ (ignored by git): the whole page, or for a
    long one (a pack is tens of thousands of pixels) what is in view."""
    path = screenshot_path(name)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=path, full_page=height <= max_height)
    return path


def no_sideways_scroll(page) -> bool:
    """Nothing scrolls sideways but the tables inside their own scrolling boxes."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


class PageWatch:
    """Everything that goes wrong on a page while a test uses it: script errors, Content Security
    Policy violations and other console errors, and failed requests for anything but the page itself
    (a page may rightly be a 404)."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.paused = False  # while axe-core runs: it sets inline styles, which the page's CSP refuses
        page._lgaboard_watch = self
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        # A failed request is reported below, with its address, unless it is the page itself.
        if self.paused:
            return
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def assert_clean(self):
        assert self.problems == [], "\n".join(self.problems)


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules and its best practices, on the page as it is.
    Returns the violations, each with its impact and the elements it found."""
    watch = getattr(page, "_lgaboard_watch", None)
    if watch:
        watch.paused = True
    page.evaluate(axe_source)
    result = page.evaluate(
        """() => axe.run(document, {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                                             'best-practice']},
             resultTypes: ['violations'],
           })"""
    )
    if watch:
        watch.paused = False
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "elements": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


class Pointer:
    """A person with a mouse: clicks and fills."""

    name = "pointer"

    def __init__(self, page):
        self.page = page

    def follow(self, locator):
        locator.click()

    def fill(self, locator, text: str):
        locator.fill(text)

    def choose(self, select, label: str):
        select.select_option(label=label)

    def tick(self, checkbox):
        checkbox.check()


class Keyboard:
    """A person using the keyboard alone: Tab moves focus (which must always be visible), Enter follows
    links and presses buttons, Space ticks boxes, arrow keys pick from a list, and they type."""

    name = "keyboard"
    max_presses = 400

    def __init__(self, page):
        self.page = page

    def focus(self, locator):
        """Presses Tab until the element (or something inside it) has focus, then checks that focus is
        visible: the element must look different focused and unfocused."""
        target = locator.element_handle()
        for _ in range(self.max_presses):
            self.page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement || el.contains(document.activeElement)"):
                self._assert_focus_visible()
                return
        raise AssertionError(f"{self.max_presses} presses of Tab never reached {locator}")

    def _assert_focus_visible(self):
        focused = self.page.evaluate_handle("document.activeElement")
        with_focus = focused.evaluate(_FOCUS_STYLE)
        without_focus = focused.evaluate(f"el => {{ el.blur(); return ({_FOCUS_STYLE})(el); }}")
        focused.evaluate("el => el.focus()")
        description = focused.evaluate("el => el.outerHTML.slice(0, 160)")
        assert with_focus != without_focus, f"focus is not visible on {description}"

    def follow(self, locator):
        self.focus(locator)
        self.page.keyboard.press("Enter")

    def fill(self, locator, text: str):
        self.focus(locator)
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def choose(self, select, label: str):
        self.focus(select)
        labels = select.evaluate("el => [...el.options].map(o => o.label.trim())")
        steps = labels.index(label) - select.evaluate("el => el.selectedIndex")
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        assert select.evaluate("el => el.options[el.selectedIndex].label.trim()") == label

    def tick(self, checkbox):
        self.focus(checkbox)
        if not checkbox.is_checked():
            self.page.keyboard.press("Space")
        assert checkbox.is_checked()
