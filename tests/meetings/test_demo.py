"""The demo data is the real paper: check it against what the 1 November 2017 pack prints."""

import pytest
from django.core.management import CommandError, call_command

from meetings.models import AgendaItem, Annex, Membership, Person, Report

pytestmark = pytest.mark.django_db

PURPOSES = {
    2: "For discussion and decision.",
    3: "For discussion and direction.",
    5: "For information and decision.",
    6: "For discussion.",
    7: "For discussion and direction.",
    8: "For direction.",
    9: "For discussion.",
}


def counts():
    return (
        Person.objects.count(),
        Membership.objects.count(),
        AgendaItem.objects.count(),
        Report.objects.count(),
        Annex.objects.count(),
    )


def test_loading_twice_changes_nothing():
    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before


def test_the_november_pack_as_printed(november_meeting):
    items = {item.number: item for item in november_meeting.items.select_related("report")}
    assert sorted(items) == list(range(1, 11))
    assert {n for n, item in items.items() if hasattr(item, "report")} == set(range(2, 10))
    assert {n: items[n].report.purpose_label for n in PURPOSES} == PURPOSES
    assert items[4].report.purpose_label == ""
    assert items[4].report.purpose_text.startswith("This report updates the Board")
    annexes = Annex.objects.filter(report__item__meeting=november_meeting).values_list(
        "report__item__number", "letter", "on_agenda"
    )
    assert sorted(annexes) == [
        (3, "A", True),
        (3, "B", True),
        (4, "A", False),
        (4, "B", False),
        (6, "A", True),
        (9, "1", False),
    ]


def test_the_2017_18_membership_as_printed():
    memberships = Membership.objects.filter(board_year__start_year=2017)
    assert memberships.count() == 34
    assert memberships.filter(role="substitute").count() == 10
    assert memberships.filter(role="observer").count() == 6


def test_demo_users_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="never created with DEBUG off"):
        call_command("load_demo", "--with-demo-users", verbosity=0)


def test_demo_users_in_development(settings, django_user_model):
    settings.DEBUG = True
    call_command("load_demo", "--with-demo-users", verbosity=0)
    clerk = django_user_model.objects.get(username="clerk")
    assert clerk.is_staff
    assert clerk.check_password("clerk-demo-2017")
    assert clerk.has_perm("meetings.change_meeting")
    member = django_user_model.objects.get(username="member")
    assert not member.is_staff
    assert member.get_full_name() == "Judi Billing"
    assert member.person.slug == "judi-billing"


def test_the_demo_packs_do_not_say_they_were_published_today(november_meeting, client):
    """The papers do not give the date they were published: the frozen pack, its page and the record
    say it was not recorded, with no late or after-the-meeting warning, and no date of the day the
    demo was loaded."""
    from django.utils import timezone

    revision = november_meeting.revisions.get()
    assert (november_meeting.published_at, november_meeting.notice_clear_days) == (None, None)
    assert revision.published_at is None
    page = client.get(november_meeting.get_absolute_url()).content.decode()
    assert "<dt>Published</dt><dd>Date not recorded</dd>" in page
    assert "After the meeting" not in page
    assert "Published late" not in page
    assert timezone.localdate().strftime("%-d %B %Y") not in page


def test_the_demos_people_are_not_emailed_about_papers(november_meeting):
    """The papers print real officers' addresses: nobody trying the demo writes to them."""
    from meetings.models import Person

    assert Person.objects.exclude(email="").exists()
    assert not Person.objects.filter(papers_by_email=True).exists()
