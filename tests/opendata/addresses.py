"""The open data API's addresses for a meeting, for the confidential marker test
(tests/meetings/test_confidential.py): every list, and each object the meeting has or touches,
confidential ones included (the public receive a 404 for those)."""

import datetime

from meetings.models import Annex, Meeting, Membership
from mou.models import Deliverable

API = "/api/oparl/v1.1/"
LISTS = ["organization", "legislative-term", "person", "membership", "meeting", "agenda-item", "paper"]
LISTS += ["consultation", "location", "deliverable", "decision", "action"]


def api_urls(day: datetime.date) -> list[str]:
    urls = [API, f"{API}body/", f"{API}body/lga/"] + [f"{API}body/lga/{kind}/?limit=100" for kind in LISTS]
    meeting = Meeting.objects.filter(board__slug="improvement-and-innovation-board", date=day).first()
    if meeting is None:
        return urls
    urls += [f"{API}organization/{meeting.board_id}/", f"{API}organization/{meeting.board_id}/meeting/"]
    urls += [f"{API}legislative-term/{meeting.board_year_id}/", f"{API}location/{meeting.venue_id}/"]
    urls += [
        f"{API}meeting/{meeting.pk}/",
        f"{API}file/pack-{meeting.pk}/",
        f"{API}file/minutes-{meeting.pk}/",
    ]
    for item in meeting.items.all():
        urls += [f"{API}agenda-item/{item.pk}/", f"{API}file/item-{item.pk}/"]
        for entry in item.minute_entries.all():
            urls += [f"{API}decision/{d.pk}/" for d in entry.decisions.all()]
            urls += [f"{API}action/{a.pk}/" for a in entry.actions.all()]
    for report_pk in meeting.items.filter(report__isnull=False).values_list("report", flat=True):
        urls += [f"{API}paper/{report_pk}/", f"{API}consultation/{report_pk}/"]
    urls += [
        f"{API}file/annex-{pk}/"
        for pk in Annex.objects.filter(report__item__meeting=meeting).values_list("pk", flat=True)
    ]
    member = Membership.objects.filter(board_year=meeting.board_year).first()
    urls += [f"{API}membership/{member.pk}/", f"{API}person/{member.person_id}/"] if member else []
    deliverables = Deliverable.objects.filter(reports__item__meeting=meeting).values_list("pk", flat=True)
    return urls + [f"{API}deliverable/{pk}/" for pk in deliverables]
