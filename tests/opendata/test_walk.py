"""Done when: the whole API, walked from the System object by following every link in it, gives
objects that each validate against their OParl 1.1 schema (and the extension's types against
theirs), each at its own id."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker

from .conftest import SECRET

pytestmark = pytest.mark.django_db

SYSTEM = "/api/oparl/v1.1/"
OPARL = "https://schema.oparl.org/1.1/"

# The extension's types (docs/oparl-api.md): what each must have, and of what type.
URL, URLS = {"type": "string", "pattern": "^https?://"}, {"type": "array", "items": {"type": "string"}}
MINUTED = {
    "id": URL,
    "type": {"type": "string"},
    "meeting": URL,
    "agendaItem": URL,
    "number": {"type": "integer"},
    "text": {"type": "string"},
    "minutesStatus": {"enum": ["draft", "approved"]},
    "deliverable": URLS,
}
EXTENSION = {
    "lgaboard:Decision": {
        "properties": MINUTED
        | {
            "outcome": {"enum": ["agreed", "noted", "approved", "commented", "deferred", "refused"]},
            "outcomeLabel": {"type": "string"},
            "votesFor": {"type": "integer"},
            "votesAgainst": {"type": "integer"},
            "abstentions": {"type": "integer"},
        },
        "required": ["id", "type", "meeting", "agendaItem", "number", "text", "outcome", "outcomeLabel"],
    },
    "lgaboard:Action": {
        "properties": MINUTED
        | {
            "owner": URL,
            "ownerName": {"type": "string"},
            "status": {"enum": ["open", "done", "closed"]},
            "dueDate": {"type": "string", "format": "date"},
            "progress": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["date", "text"],
                    "properties": {"date": {"type": "string", "format": "date"}, "text": {"type": "string"}},
                },
            },
        },
        "required": [
            "id",
            "type",
            "meeting",
            "agendaItem",
            "number",
            "text",
            "ownerName",
            "status",
            "progress",
        ],
    },
    "lgaboard:Deliverable": {
        "properties": {
            "id": URL,
            "body": URL,
            "mou": {"type": "string", "pattern": r"^\d{4}/\d{2}$"},
            "reference": {"type": "string"},
            "commitment": {"type": "string"},
            "rule": {"enum": ["additive", "cumulative", "milestone", "narrative"]},
            "target": {"type": "number"},
            "totalToDate": {"type": "number"},
            "percentAchieved": {"type": "integer"},
            "quarterlyReturn": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["quarter"],
                    "properties": {"quarter": {"enum": [1, 2, 3, 4]}},
                },
            },
            "paper": URLS,
            "decision": URLS,
            "action": URLS,
        },
        "required": [
            "id",
            "type",
            "body",
            "mou",
            "theme",
            "reference",
            "commitment",
            "rule",
            "quarterlyReturn",
        ],
    },
}


def oparl_schemas() -> dict[str, dict]:
    """The standard's schemas, which CI keeps beside the repository (shared/oparl-1.1/schema)."""
    folder = Path(settings.BASE_DIR).parent / "shared" / "oparl-1.1" / "schema"
    if not folder.is_dir():
        pytest.fail(
            f"The OParl 1.1 JSON schemas were not found at {folder}: the API cannot be checked against "
            "the standard without them (they belong in shared/oparl-1.1/schema beside the repository)."
        )
    return {path.name: json.loads(path.read_text()) for path in folder.glob("*.json")}


def validate(value: dict, schema: dict, schemas: dict) -> None:
    """Validate `value`, and every object it embeds against the schema its property names
    (OParl writes "schema": "File.json" beside an embedded object's type)."""
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(value)
    for name, spec in schema.get("properties", {}).items():
        if name not in value:
            continue
        if spec.get("type") == "object" and "schema" in spec:
            validate(value[name], schemas[spec["schema"]], schemas)
        if spec.get("type") == "array" and "schema" in spec.get("items", {}):
            for embedded in value[name]:
                validate(embedded, schemas[spec["items"]["schema"]], schemas)


def schema_of(kind: str, schemas: dict) -> dict:
    if kind.startswith(OPARL):
        return schemas[f"{kind.removeprefix(OPARL)}.json"]
    return EXTENSION[kind] | {"type": "object"}


def links_in(value) -> list[str]:
    """Every address of the API in a response: ids, links to objects and lists, `next` and the rest."""
    if isinstance(value, dict):
        return [link for item in value.values() for link in links_in(item)]
    if isinstance(value, list):
        return [link for item in value for link in links_in(item)]
    if isinstance(value, str) and value.startswith(settings.LGABOARD_SITE_URL + SYSTEM):
        return [value]
    return []


def walk(client) -> dict[str, dict]:
    """Every address reachable from the System object, with what it answered."""
    answers, waiting = {}, [settings.LGABOARD_SITE_URL + SYSTEM]
    while waiting:
        url = waiting.pop()
        if url in answers:
            continue
        response = client.get(url.removeprefix(settings.LGABOARD_SITE_URL))
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        assert response["Content-Type"] == "application/json; charset=utf-8"
        answers[url] = response.json()
        waiting += links_in(answers[url])
    return answers


@pytest.fixture
def walked(api_meeting, client):
    return walk(client)


def test_every_object_reached_from_the_system_validates_against_its_schema(walked):
    schemas = oparl_schemas()
    objects, lists = {}, 0
    for url, answer in walked.items():
        if "pagination" in answer:  # a list: its objects are checked where they live, and here
            lists += 1
            assert set(answer["links"]) >= {"first", "last"}
            for record in answer["data"]:
                validate(record, schema_of(record["type"], schemas), schemas)
            continue
        assert answer["id"] == url  # an object's id is its own address
        validate(answer, schema_of(answer["type"], schemas), schemas)
        objects.setdefault(answer["type"].removeprefix(OPARL), []).append(answer)
    kinds = {kind: len(found) for kind, found in objects.items()}
    every = {"System", "Body", "Organization", "LegislativeTerm", "Person", "Membership", "Meeting"}
    every |= {"AgendaItem", "Paper", "Consultation", "File", "Location"}
    every |= {"lgaboard:Decision", "lgaboard:Action", "lgaboard:Deliverable"}
    assert set(kinds) == every, kinds
    assert kinds["Meeting"] == 3  # 11 July 2017, 1 November 2017, 14 March 2018; not the draft
    assert lists >= 14


def test_the_walk_finds_every_kind_of_file(walked):
    files = [answer for answer in walked.values() if answer.get("type") == f"{OPARL}File"]
    names = {
        file["fileName"].rsplit("-", 2)[-2] + "-" + file["fileName"].rsplit("-", 2)[-1] for file in files
    }
    assert {"agenda-pack.pdf", "annex-a.pdf"} <= names
    assert any(file["fileName"].endswith("-minutes.pdf") for file in files)
    assert any(file["fileName"].endswith("-item-2.pdf") for file in files)


def test_nothing_withheld_is_anywhere_in_the_api(walked):
    everything = json.dumps(walked, ensure_ascii=False)
    assert SECRET not in everything
    assert "Commercial negotiations" in everything  # the confidential item's title is public
    assert "The financial affairs of a supplier." not in everything  # title only
