"""The MoU's quarterly reports as an Atom feed, read back as a feed reader would: a quarter appears
as its returns are approved, never with a draft or submitted one counted."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from mou import services
from mou.models import Deliverable
from tests.factories import QuarterlyReturnFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries() -> list[dict]:
    response = Client().get("/mou/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (the portal's own response)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in feed.iter(f"{ATOM}entry")
    ]


def ours(mou) -> list[dict]:
    return [entry for entry in entries() if f"/mou/{mou.slug}/" in entry["link"]]


def test_a_quarter_appears_once_a_return_is_approved_counting_only_approved_ones(mou, django_user_model):
    approver = django_user_model.objects.create_user("approver-feed", is_superuser=True)
    first, second = (
        QuarterlyReturnFactory(deliverable=deliverable, quarter=4, rag="green")
        for deliverable in Deliverable.objects.filter(theme__mou=mou).order_by("pk")[:2]
    )
    assert not [entry for entry in ours(mou) if "Quarter 4" in entry["title"]]  # drafts: nothing
    services.return_submit(quarterly_return=first, by=approver)
    services.return_approve(quarterly_return=first, by=approver)
    services.return_submit(quarterly_return=second, by=approver)  # submitted, not yet public
    (entry,) = [entry for entry in ours(mou) if "Quarter 4" in entry["title"]]
    total = Deliverable.objects.filter(theme__mou=mou).count()
    assert entry["title"] == f"Quarter 4 of {mou.label}: 1 of {total} returns approved"
    assert entry["link"] == f"http://testserver/mou/{mou.slug}/q4/"
    assert entry["updated"] is not None  # when it was approved
