"""Each object as OParl 1.1 writes it, from what the selectors read: plain functions, one per type.

A property without a value is left out, as OParl asks. An object embedded in another leaves out the
link back to it (a meeting's agenda items do not repeat `meeting`); read at its own id it has it.
What OParl has no property for is given under `lgaboard:` names (docs/oparl-api.md).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from meetings.models import (
    Action,
    AgendaItem,
    Annex,
    Board,
    BoardYear,
    Decision,
    Meeting,
    Membership,
    Person,
    Report,
    Venue,
)
from mou.models import QUARTERS, Deliverable
from mou.selectors import DeliverableProgress

from .links import BODY, api, listed, of, page
from .selectors import published, published_annex

OPARL = "https://schema.oparl.org/1.1/"
PDF = "application/pdf"
BODY_NAME, BODY_SHORT_NAME = "Local Government Association", "LGA"  # whose boards these are
SYSTEM_NAME = "Board papers"


def _kept(properties: dict) -> dict:
    """Without the properties that have no value."""
    return {key: value for key, value in properties.items() if value is not None and value != ""}


def _oparl(kind: str, id_: str, **properties) -> dict:
    return _kept({"id": id_, "type": f"{OPARL}{kind}", **properties})


def _when(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _day(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _times(record) -> dict:
    """`created` and `modified` where the record keeps them (selectors.with_times)."""
    return {
        "created": _when(getattr(record, "api_created", None)),
        "modified": _when(getattr(record, "api_modified", None)),
    }


def _number(value: Decimal | None) -> int | float | None:
    """A figure as a JSON number: 110, not 110.00."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _published_on(meeting: Meeting) -> str | None:
    return _day(timezone.localdate(meeting.published_at)) if meeting.published_at else None


# -- the system and the body ----------------------------------------------------------------------------
def system() -> dict:
    return _oparl(
        "System",
        api("system"),
        oparlVersion=OPARL,
        body=api("body_list"),
        name=SYSTEM_NAME,
        website=page("meetings:home"),
        web=page("meetings:home"),
    )


def body(board_years: list[BoardYear]) -> dict:
    return _oparl(
        "Body",
        api("body", body=BODY),
        system=api("system"),
        name=BODY_NAME,
        shortName=BODY_SHORT_NAME,
        organization=listed("organization"),
        person=listed("person"),
        meeting=listed("meeting"),
        paper=listed("paper"),
        agendaItem=listed("agenda-item"),
        consultation=listed("consultation"),
        membership=listed("membership"),
        locationList=listed("location"),
        legislativeTermList=listed("legislative-term"),
        legislativeTerm=[legislative_term(year, embedded=True) for year in board_years],
        web=page("meetings:board_list"),
        **{
            "lgaboard:deliverable": listed("deliverable"),
            "lgaboard:decision": listed("decision"),
            "lgaboard:action": listed("action"),
        },
    )


# -- boards, their years and members --------------------------------------------------------------------
def organization(board: Board) -> dict:
    years = list(board.years.all())
    return _oparl(
        "Organization",
        of("organization", board.pk),
        body=api("body", body=BODY),
        name=board.name,
        organizationType="Gremium",  # OParl's word for a committee
        classification="Board",
        membership=[of("membership", m.pk) for year in years for m in year.memberships.all()],
        meeting=api("organization_meetings", pk=board.pk),
        web=page("meetings:board_detail", board_slug=board.slug),
        **{"lgaboard:legislativeTerm": [of("legislative-term", year.pk) for year in years]},
    )


def legislative_term(year: BoardYear, *, embedded: bool = False) -> dict:
    """A board's year (OParl's terms are the body's; ours are each board's, April to March)."""
    return _oparl(
        "LegislativeTerm",
        of("legislative-term", year.pk),
        body=None if embedded else api("body", body=BODY),
        name=f"{year.board.name} {year.label}",
        startDate=_day(datetime.date(year.start_year, 4, 1)),
        endDate=_day(datetime.date(year.start_year + 1, 3, 31)),
        web=page("meetings:attendance_register", board_slug=year.board.slug, year=year.slug),
        **{"lgaboard:organization": of("organization", year.board_id)},
    )


def person(record: Person) -> dict:
    return _oparl(
        "Person",
        of("person", record.pk),
        body=api("body", body=BODY),
        name=record.full_name,
        familyName=record.last_name,
        givenName=record.first_name,
        formOfAddress=record.title,
        affix=record.honours,
        membership=[membership(m, embedded=True) for m in record.memberships.all()],
        **{"lgaboard:position": record.position},
    )


def membership(record: Membership, *, embedded: bool = False) -> dict:
    year = record.board_year
    return _oparl(
        "Membership",
        of("membership", record.pk),
        person=None if embedded else of("person", record.person_id),
        organization=of("organization", year.board_id),
        role=record.get_role_display(),
        **_times(record),
        **{
            "lgaboard:legislativeTerm": of("legislative-term", year.pk),
            "lgaboard:holdsSeat": record.holds_seat,
            "lgaboard:politicalGroup": record.group.name if record.group_id else None,
            "lgaboard:represents": record.represents,
        },
    )


def location(venue: Venue, *, embedded: bool = False) -> dict:
    lines = [line.strip().rstrip(",") for line in venue.address.splitlines() if line.strip()]
    meetings = None if embedded else [of("meeting", m.pk) for m in venue.meeting_set.all()]
    return _oparl(
        "Location",
        of("location", venue.pk),
        description=venue.one_line,
        streetAddress=", ".join(lines),
        room=venue.room,
        postalCode=venue.postcode,
        meetings=meetings,
        **{"lgaboard:name": venue.name, "lgaboard:building": venue.building},
    )


# -- meetings and their papers ----------------------------------------------------------------------------
def meeting(record: Meeting) -> dict:
    minutes = getattr(record, "minutes", None)
    start = None
    if record.start_time:  # no time is given where the papers give none
        start = _when(timezone.make_aware(datetime.datetime.combine(record.date, record.start_time)))
    return _oparl(
        "Meeting",
        of("meeting", record.pk),
        name=f"{record.board_name}, {record.date:%-d %B %Y}",
        start=start,
        location=location(record.venue, embedded=True) if record.venue_id else None,
        organization=[of("organization", record.board_id)],
        participant=[of("person", a.person_id) for a in getattr(minutes, "present", [])],
        invitation=pack_file(record, embedded=True),
        resultsProtocol=minutes_file(record, embedded=True) if minutes else None,
        agendaItem=[agenda_item(item, embedded=True) for item in record.items.all()],
        web=page("meetings:meeting_detail", board_slug=record.board.slug, date=record.date),
        **_times(record),
        **{
            "lgaboard:date": _day(record.date),
            "lgaboard:minutesStatus": minutes.status if minutes else None,
        },
    )


def agenda_item(item: AgendaItem, *, embedded: bool = False) -> dict:
    """An item as the public received it (selectors.published): a confidential one is its number
    and title, `public: false`, whatever its flag says now."""
    shown = published(item)
    given = _oparl(
        "AgendaItem",
        of("agenda-item", item.pk),
        meeting=None if embedded else of("meeting", item.meeting_id),
        number=str(shown["number"]),
        order=shown["number"],
        name=shown["title"],
        public=not shown["confidential"],
        **_times(item),
    )
    if shown["confidential"]:
        return given
    report = shown["report"]
    entries = list(item.minute_entries.all())
    meeting = item.meeting
    return given | _kept(
        {
            "consultation": of("consultation", report["id"]) if report else None,
            "web": page(
                "meetings:item_detail",
                board_slug=meeting.board.slug,
                date=meeting.date,
                number=shown["number"],
            ),
            "lgaboard:note": shown["note"],
            "lgaboard:paper": of("paper", report["id"]) if report else None,
            "lgaboard:decision": [of("decision", d.pk) for e in entries for d in e.decisions.all()],
            "lgaboard:action": [of("action", a.pk) for e in entries for a in e.actions.all()],
        }
    )


def _paper_of(report: Report) -> tuple[dict, dict]:
    """The item and the paper as the public received them (a public report's item has one)."""
    shown = published(report.item)
    return shown, shown["report"]


def paper(report: Report) -> dict:
    shown, paper_shown = _paper_of(report)
    meeting = report.item.meeting
    return _oparl(
        "Paper",
        of("paper", report.pk),
        body=api("body", body=BODY),
        name=paper_shown["title"],
        date=_published_on(meeting),
        paperType="Report",
        mainFile=item_file(report, embedded=True),
        auxiliaryFile=[
            _annex_file(report, annex, embedded=True) for annex in paper_shown["annexes"] if annex["pdf"]
        ],
        consultation=[consultation(report, embedded=True)],
        originatorPerson=[of("person", person) for person in paper_shown["contacts"]],
        web=page(
            "meetings:item_detail", board_slug=meeting.board.slug, date=meeting.date, number=shown["number"]
        ),
        **_times(report),
        **{
            "lgaboard:purpose": paper_shown["purposes"],
            "lgaboard:deliverable": [of("deliverable", d.pk) for d in report.deliverables.all()],
        },
    )


def consultation(report: Report, *, embedded: bool = False) -> dict:
    """The report's item on a meeting's agenda: the paper considered there, and for what."""
    item = report.item
    return _oparl(
        "Consultation",
        of("consultation", report.pk),
        paper=None if embedded else of("paper", report.pk),
        agendaItem=of("agenda-item", item.pk),
        meeting=of("meeting", item.meeting_id),
        organization=[of("organization", item.meeting.board_id)],
        role=_paper_of(report)[1]["purpose_label"],
    )


# -- files: the PDFs the public receive -------------------------------------------------------------------
def _file(key: str, *, name: str, file_name: str, url: str, **properties) -> dict:
    return _oparl(
        "File",
        of("file", key),
        name=name,
        fileName=file_name,
        mimeType=PDF,
        accessUrl=url,
        downloadUrl=url,
        **properties,
    )


def pack_file(record: Meeting, *, embedded: bool = False) -> dict:
    day = {"board_slug": record.board.slug, "date": record.date}
    return _file(
        f"pack-{record.pk}",
        name=f"Agenda pack: {record.board_name}, {record.date:%-d %B %Y}",
        file_name=f"{record.board.slug}-{record.date}-agenda-pack.pdf",
        url=page("meetings:pack_pdf", **day),
        date=_published_on(record),
        meeting=None if embedded else [of("meeting", record.pk)],
    )


def minutes_file(record: Meeting, *, embedded: bool = False) -> dict:
    day = {"board_slug": record.board.slug, "date": record.date}
    return _file(
        f"minutes-{record.pk}",
        name=f"Note of the meeting: {record.board_name}, {record.date:%-d %B %Y}",
        file_name=f"{record.board.slug}-{record.date}-minutes.pdf",
        url=page("meetings:minutes_pdf", **day),
        meeting=None if embedded else [of("meeting", record.pk)],
    )


def item_file(report: Report, *, embedded: bool = False) -> dict:
    item, meeting = report.item, report.item.meeting
    shown, paper_shown = _paper_of(report)
    day = {"board_slug": meeting.board.slug, "date": meeting.date}
    return _file(
        f"item-{item.pk}",
        name=f"Item {shown['number']}: {paper_shown['title']}",
        file_name=f"{meeting.board.slug}-{meeting.date}-item-{shown['number']}.pdf",
        url=page("meetings:item_pdf", **day, number=shown["number"]),
        date=_published_on(meeting),
        agendaItem=[of("agenda-item", item.pk)],
        paper=None if embedded else [of("paper", report.pk)],
    )


def annex_file(annex: Annex) -> dict:
    """An annex uploaded as a PDF, read at its own id (views._file has checked that the published
    particulars give it: selectors.published_annex)."""
    return _annex_file(annex.report, published_annex(annex))


def _annex_file(report: Report, annex: dict, *, embedded: bool = False) -> dict:
    """`annex` as the published particulars give it: {"id", "letter", "title", "pdf"}."""
    item, meeting = report.item, report.item.meeting
    number, slug = published(item)["number"], annex["letter"].lower()  # a PDF's letter is its slug
    return _file(
        f"annex-{annex['id']}",
        name=f"Annex {annex['letter']}: {annex['title']}",
        file_name=f"{meeting.board.slug}-{meeting.date}-item-{number}-annex-{slug}.pdf",
        url=page(
            "meetings:annex_pdf", board_slug=meeting.board.slug, date=meeting.date, number=number, letter=slug
        ),
        date=_published_on(meeting),
        agendaItem=[of("agenda-item", item.pk)],
        paper=None if embedded else [of("paper", report.pk)],
    )


# -- the extension: decisions, actions, the MoU -------------------------------------------------------------
def _minuted(record: Decision | Action) -> dict:
    item = record.entry.agenda_item
    return {
        "meeting": of("meeting", item.meeting_id),
        "agendaItem": of("agenda-item", item.pk),
        "number": record.number,
        "text": record.text,
        "minutesStatus": record.entry.minutes.status,
        "deliverable": [of("deliverable", d.pk) for d in record.deliverables.all()],
    }


def decision(record: Decision) -> dict:
    votes = {}
    if record.vote_taken:  # counts only where the note records a vote
        votes = {
            "votesFor": record.votes_for,
            "votesAgainst": record.votes_against,
            "abstentions": record.abstentions,
        }
    return _kept(
        {
            "id": of("decision", record.pk),
            "type": "lgaboard:Decision",
            **_minuted(record),
            "outcome": record.outcome,
            "outcomeLabel": record.get_outcome_display(),
            **votes,
            **_times(record),
        }
    )


def action(record: Action) -> dict:
    return _kept(
        {
            "id": of("action", record.pk),
            "type": "lgaboard:Action",
            **_minuted(record),
            "owner": of("person", record.owner_id) if record.owner_id else None,
            "ownerName": record.owner_display,
            "status": record.status,
            "statusLabel": record.get_status_display(),
            "dueDate": _day(record.due_date),
            "progress": [{"date": _day(p.date), "text": p.text} for p in record.progress.all()],
            **_times(record),
        }
    )


def _quarterly_return(record) -> dict:
    short, months, _ = QUARTERS[record.quarter]
    return _kept(
        {
            "quarter": record.quarter,
            "quarterLabel": f"{short} ({months})",
            "figure": _number(record.figure),
            "notApplicable": record.not_applicable,
            "milestoneMet": record.milestone_met,
            "rag": record.rag,
            "narrative": record.narrative,
            "commentary": record.commentary,
        }
    )


def deliverable(record: Deliverable) -> dict:
    """A commitment of a published MoU with its approved returns; the total to date and % achieved
    are mou.rules' (through mou.selectors.DeliverableProgress), from approved returns only."""
    returns = list(record.returns.all())
    progress = DeliverableProgress(record, {r.quarter: r for r in returns}, up_to_quarter=4)
    theme = record.theme
    sub_targets = [
        {"target": _number(s.target), "comparator": s.comparator, "unit": s.unit, "label": str(s)}
        for s in record.sub_targets.all()
    ]
    return _kept(
        {
            "id": of("deliverable", record.pk),
            "type": "lgaboard:Deliverable",
            "body": api("body", body=BODY),
            "mou": theme.mou.label,
            "theme": theme.title,
            "reference": record.reference,
            "heading": record.heading,
            "commitment": record.commitment,
            "shortForm": record.short_form,
            "rule": record.rule,
            "comparator": record.comparator,
            "target": _number(record.target),
            "unit": record.unit,
            "targetLabel": record.target_label,
            "due": _day(record.due),
            "subTarget": sub_targets,
            "quarterlyReturn": [_quarterly_return(r) for r in returns],
            "totalToDate": _number(progress.total),
            "percentAchieved": progress.percent,
            "rag": progress.rag,
            "paper": [of("paper", r.pk) for r in record.reports.all()],
            "decision": [of("decision", d.pk) for d in record.decisions.all()],
            "action": [of("action", a.pk) for a in record.actions.all()],
            "web": page(
                "mou:deliverable_detail", year=theme.mou.slug, theme=theme.key, reference=record.reference
            ),
        }
    )
