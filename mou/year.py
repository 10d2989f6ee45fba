"""The MoU's year: next year's MoU copied from this one as a draft, its deliverables imported from a
spreadsheet, lead officers assigned in bulk, and the draft published.

Those who run the MoU (approvers: the `mou.run_mou` permission, see mou/permissions.py) call
these; each service asks again, so a refusal does not depend on the page that called it. The import
follows the returns import (mou/spreadsheets.py): the same reading, limits and refusal of formulas,
every row checked first, every bad row named by its number, and nothing saved unless all are good.
"""

import datetime
import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Prefetch

from lgaboard.years import year_label
from meetings.models import Person

from .forms import ReturnTextField
from .models import Comparator, Deliverable, Mou, SubTarget, Theme, ThemeOutcome
from .search import search_refresh_mou
from .spreadsheets import ImportRefused, check_headings, read_table, to_csv, to_xlsx

RUN_MOU = "mou.run_mou"


def _check_may_run(by) -> None:
    if not by.has_perm(RUN_MOU):
        raise PermissionDenied("Only those who run the MoU (approvers) may do this.")


# -- copying into a new year ------------------------------------------------------------------------
COPIED_FIELDS = ["reference", "order", "heading", "commitment", "short_title", "target", "comparator",
                 "unit", "rule", "lead_officer_id"]  # fmt: skip


@transaction.atomic
def mou_copy(*, source: Mou, start_year: int, by) -> Mou:
    """A draft MoU for `start_year` holding the source's themes, outcomes and deliverables as written
    (commitment, short form, target, rule, sub-targets, lead officer), for the approver to edit.

    Not copied: the grant and the date signed (next year's are not known yet); the returns (figures
    belong to their year); the links to reports, decisions, actions and programme work (they belong
    to the year's papers); and milestones' due dates, left blank for the approver to set (a date in
    the old year is not the new year's, and shifting it a year would invent a commitment)."""
    _check_may_run(by)
    if Mou.objects.filter(start_year=start_year).exists():
        raise ValidationError(f"There is already an MoU for {year_label(start_year)}.")
    mou = Mou.objects.create(
        start_year=start_year,
        title=source.title.replace(source.label, year_label(start_year)),
        parties=source.parties,
        draft=True,
    )
    deliverables = Deliverable.objects.prefetch_related("sub_targets").order_by("order")
    themes = source.themes.prefetch_related("outcomes", Prefetch("deliverables", queryset=deliverables))
    for theme in themes.order_by("order"):
        _copy_theme(theme, mou)
    return mou


def _copy_theme(theme: Theme, mou: Mou) -> Theme:
    copy = Theme.objects.create(
        mou=mou, key=theme.key, order=theme.order, title=theme.title, introduction=theme.introduction
    )
    ThemeOutcome.objects.bulk_create(
        ThemeOutcome(theme=copy, order=outcome.order, text=outcome.text) for outcome in theme.outcomes.all()
    )
    sources = list(theme.deliverables.all())
    copies = Deliverable.objects.bulk_create(
        Deliverable(theme=copy, **{name: getattr(d, name) for name in COPIED_FIELDS}) for d in sources
    )
    SubTarget.objects.bulk_create(
        SubTarget(deliverable=new, target=s.target, comparator=s.comparator, unit=s.unit)
        for old, new in zip(sources, copies, strict=True)
        for s in old.sub_targets.all()
    )
    return copy


def milestones_without_due(mou: Mou) -> list[Deliverable]:
    """Milestones still to be given the date they are due by (after a copy, all of them)."""
    return list(
        Deliverable.objects.filter(theme__mou=mou, rule=Deliverable.Rule.MILESTONE, due__isnull=True)
        .select_related("theme")
        .order_by("theme__order", "order")
    )


# -- publishing -------------------------------------------------------------------------------------
@transaction.atomic
def mou_publish(*, mou: Mou, by) -> Mou:
    """Publish a draft MoU: the public sees it from now on. Refused, naming every gap, while a
    deliverable is incomplete (a milestone without its due date, a target without a comparator)."""
    _check_may_run(by)
    if not mou.draft:
        raise ValidationError(f"{mou} is already published.")
    gaps = []
    for deliverable in Deliverable.objects.filter(theme__mou=mou).select_related("theme"):
        try:
            deliverable.clean()
        except ValidationError as error:
            gaps.extend(f"{deliverable}: {message}" for message in error.messages)
    if gaps:
        raise ValidationError(gaps)
    mou.draft = False
    mou.save(update_fields=["draft"])
    search_refresh_mou(mou)
    return mou


# -- lead officers ----------------------------------------------------------------------------------
@transaction.atomic
def leads_assign(*, deliverables, lead_officer: Person, by) -> list[Deliverable]:
    """Make `lead_officer` the lead of every deliverable given; returns those that changed (the
    others already had that lead)."""
    _check_may_run(by)
    changed = [d for d in deliverables if d.lead_officer_id != lead_officer.pk]
    Deliverable.objects.filter(pk__in=[d.pk for d in changed]).update(lead_officer=lead_officer)
    for deliverable in changed:
        deliverable.lead_officer = lead_officer
    return changed


# -- the deliverables as a spreadsheet --------------------------------------------------------------
COLUMNS = [
    ("theme", "Theme"),
    ("theme_title", "Theme title"),
    ("reference", "Reference"),
    ("heading", "Heading"),
    ("commitment", "Commitment"),
    ("short_title", "Short form"),
    ("target", "Target"),
    ("comparator", "Comparator"),
    ("unit", "Unit"),
    ("rule", "Rule"),
    ("due", "Due"),
    ("lead_officer", "Lead officer"),
]
HEADERS = [label for _, label in COLUMNS]
HOW_TO = (
    "One row per deliverable; a new one goes at the end of its theme, in the sheet's order. Theme: its "
    "key (e.g. leadership-and-capacity); Theme title: for a theme new to this MoU. Comparator: at least, "
    "up to or exactly. Rule: additive, cumulative, milestone or narrative. Due: YYYY-MM-DD or "
    "DD/MM/YYYY. Lead officer: their key (e.g. dennis-skinner) or name. A deliverable already in the "
    "MoU (same theme and reference) is updated, the others are added, none is removed; a row the same "
    "as what is stored is left as it is."
)


def export_deliverables(mou: Mou) -> list[list]:
    """The MoU's deliverables in the import's columns: a template, or this year's to edit."""
    deliverables = (
        Deliverable.objects.filter(theme__mou=mou)
        .select_related("theme", "lead_officer")
        .order_by("theme__order", "order")
    )
    return [
        [d.theme.key, d.theme.title, d.reference, d.heading, d.commitment, d.short_title, d.target,
         d.get_comparator_display(), d.unit, d.rule, d.due.isoformat() if d.due else "",
         d.lead_officer.slug if d.lead_officer else ""]
        for d in deliverables
    ]  # fmt: skip


def deliverables_csv(rows: list[list]) -> bytes:
    return to_csv(rows, headers=HEADERS)


def deliverables_xlsx(rows: list[list], title: str) -> bytes:
    return to_xlsx(rows, title, headers=HEADERS)


class DeliverableRowForm(forms.ModelForm):
    """One row of an uploaded deliverables sheet, with the model's own checks (a numeric rule needs a
    target and comparator, a milestone its due date)."""

    class Meta:
        model = Deliverable
        fields = ["order", "heading", "commitment", "short_title", "target", "comparator", "unit", "rule",
                  "due", "lead_officer"]  # fmt: skip
        field_classes = dict.fromkeys(["heading", "commitment", "short_title", "unit"], ReturnTextField)


@dataclass
class ImportResult:
    added: list[Deliverable] = field(default_factory=list)
    updated: list[Deliverable] = field(default_factory=list)
    themes_added: list[Theme] = field(default_factory=list)


@dataclass
class _Sheet:
    """What the rows read so far say: the themes they name and the deliverables they give."""

    mou: Mou
    themes: dict[str, Theme]
    deliverables: dict[tuple[str, str], Deliverable]
    people: "People"
    forms: list[DeliverableRowForm] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    new_themes: list[Theme] = field(default_factory=list)
    seen: set = field(default_factory=set)
    last_order: dict[str, int] = field(default_factory=dict)  # per theme key

    def order_for(self, key: str, reference: str) -> int:
        """A deliverable keeps its place; a new one goes at the end of its theme, in the sheet's order."""
        if (key, reference) in self.deliverables:
            return self.deliverables[key, reference].order
        if key not in self.last_order:
            orders = [d.order for (theme, _), d in self.deliverables.items() if theme == key]
            self.last_order[key] = max(orders, default=0)
        self.last_order[key] += 1
        return self.last_order[key]


class People:
    """Lead officers as a sheet names them: by key (slug), or by name if only one person has it."""

    def __init__(self):
        self.by_key, self.by_name = {}, {}
        for person in Person.objects.all():
            self.by_key[person.slug.casefold()] = person
            for name in {f"{person.first_name} {person.last_name}", person.full_name}:
                self.by_name.setdefault(" ".join(name.split()).casefold(), []).append(person)

    def find(self, text: str) -> tuple[Person | None, str]:
        """The person, or None and why not."""
        wanted = " ".join(text.split()).casefold()
        if wanted in self.by_key:
            return self.by_key[wanted], ""
        found = self.by_name.get(wanted, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            keys = ", ".join(p.slug for p in found)
            return None, f"more than one person is called {text}; give their key ({keys})."
        return None, f"there is nobody called {text}; give their key (e.g. dennis-skinner) or name."


@transaction.atomic
def import_deliverables(*, mou: Mou, upload, by) -> ImportResult:
    """Add and update a draft MoU's deliverables (and themes new to it) from a CSV or XLSX sheet in
    the columns of `export_deliverables`: every row checked first, then all saved or none. A row the
    same as the deliverable stored is no change, neither checked nor saved, as in the returns import."""
    check_may_import(mou=mou, by=by)
    sheet = parse_deliverables(mou, read_table(upload, HEADERS))
    for theme in sheet.new_themes:
        theme.save()
    result = ImportResult(themes_added=sheet.new_themes)
    for form in sheet.forms:
        (result.updated if form.instance.pk else result.added).append(form.save())
    return result


def check_may_import(*, mou: Mou, by) -> None:
    """Only those who run the MoU import deliverables, and only into a draft."""
    _check_may_run(by)
    if not mou.draft:
        raise ImportRefused([
            f"{mou} is published; deliverables are imported into a draft MoU (copy this one into a "
            "new year, or add a new MoU, then import into it)."
        ])  # fmt: skip


def describe_import(result: ImportResult) -> str:
    """'12 deliverables added, 3 updated, 1 themes added'."""
    done = f"{len(result.added)} deliverables added, {len(result.updated)} updated"
    if result.themes_added:
        done += f", {len(result.themes_added)} themes added"
    return done


def parse_deliverables(mou: Mou, table: list[list[str]]) -> _Sheet:
    """Check the headings and every row; raise ImportRefused listing every problem found."""
    check_headings(table, HEADERS)
    themes = {theme.key: theme for theme in mou.themes.all()}
    existing = Deliverable.objects.filter(theme__mou=mou).select_related("theme")
    sheet = _Sheet(mou, themes, {(d.theme.key, d.reference): d for d in existing}, People())
    for line, cells in enumerate(table[1:], start=2):
        if any(cell.strip() for cell in cells):
            _parse_row(sheet, line, dict(zip([key for key, _ in COLUMNS], cells, strict=False)))
    if sheet.problems:
        raise ImportRefused(sheet.problems)
    return sheet


def _parse_row(sheet: _Sheet, line: int, values: dict[str, str]) -> None:
    key, reference = values.get("theme", "").strip(), values.get("reference", "").strip()
    problem = _key_problem(sheet, key, reference)
    theme, theme_problem = (None, "") if problem else _theme_for(sheet, key, values)
    problem = problem or theme_problem
    if problem:
        sheet.problems.append(f"Row {line}: {problem}")
        return
    sheet.seen.add((key, reference))
    data, lead_problem = _form_data(sheet, values, order=sheet.order_for(key, reference))
    if lead_problem:
        sheet.problems.append(f"Row {line} ({reference}, lead officer): {lead_problem}")
    instance = sheet.deliverables.get((key, reference)) or Deliverable(theme=theme, reference=reference)
    form = DeliverableRowForm(data, instance=instance)
    if instance.pk and not form.has_changed():
        return  # as stored: no change, so not checked (a download uploads back as it is)
    if not form.is_valid():
        sheet.problems.extend(
            f"Row {line} ({reference}, {'row' if name == '__all__' else form.fields[name].label.lower()}): "
            f"{error}"
            for name, errors in form.errors.items()
            for error in errors
        )
    sheet.forms.append(form)


def _key_problem(sheet: _Sheet, key: str, reference: str) -> str:
    if not key or not reference:
        return "give the theme's key and the deliverable's reference."
    if len(reference) > Deliverable._meta.get_field("reference").max_length:
        return f"the reference {reference[:20]} is longer than 10 characters."
    try:
        validate_slug(key)
    except ValidationError:
        return f"the theme key {key[:40]} may hold only letters, numbers, hyphens and underscores."
    if (key, reference) in sheet.seen:
        return f"deliverable {reference} of {key} appears twice."
    return ""


def _theme_for(sheet: _Sheet, key: str, values: dict[str, str]) -> tuple[Theme | None, str]:
    """The row's theme: one of the MoU's, or a new one (which needs its title)."""
    title = " ".join(values.get("theme_title", "").split())
    theme = sheet.themes.get(key)
    if theme is None:
        if not title:
            return None, f"theme {key} is new to this MoU; give its title in the Theme title column."
        if len(title) > Theme._meta.get_field("title").max_length:
            return None, "the theme title is longer than 200 characters."
        order = max([t.order for t in sheet.themes.values()], default=0) + 1
        theme = sheet.themes[key] = Theme(mou=sheet.mou, key=key, title=title, order=order)
        sheet.new_themes.append(theme)
    elif title and title != " ".join(theme.title.split()):
        return None, f"theme {key} is called {theme.title}; leave its title blank or give the same."
    return theme, ""


DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _form_data(sheet: _Sheet, values: dict[str, str], *, order: int) -> tuple[dict, str]:
    data = {name: values.get(name, "") for name in ["heading", "commitment", "short_title", "unit"]}
    data["order"] = order
    data["target"] = re.sub(r"[\s,£]", "", values.get("target", ""))
    data["comparator"] = _choice(values.get("comparator", ""), Comparator.choices)
    data["rule"] = _choice(values.get("rule", "").split(":")[0], Deliverable.Rule.choices) or "narrative"
    data["due"] = _date(values.get("due", "").strip())
    lead, problem = (None, "")
    if values.get("lead_officer", "").strip():
        lead, problem = sheet.people.find(values["lead_officer"])
    data["lead_officer"] = lead.pk if lead else ""
    return data, problem


def _choice(text: str, choices) -> str:
    """A choice's stored value from its value or its words ('at least' → 'at_least')."""
    wanted = " ".join(text.split()).casefold()
    for value, label in choices:
        if wanted in {value, value.replace("_", " "), str(label).casefold()}:
            return value
    return text.strip()  # not a choice: the form says so


def _date(text: str) -> str:
    """'31/07/2018' or a workbook's '2018-07-31 00:00:00' as '2018-07-31'; anything else as given."""
    found = DAY_MONTH_YEAR.fullmatch(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        try:
            return datetime.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text[:10] if re.fullmatch(r"\d{4}-\d\d-\d\d 00:00:00", text) else text
