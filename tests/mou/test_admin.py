"""Officers enter a quarter for a whole theme at once; a mistake saves nothing."""

import re
from html import unescape

import pytest

from mou.models import Deliverable, QuarterlyReturn

pytestmark = pytest.mark.django_db


def row(deliverable, **values):
    prefix = f"d{deliverable.pk}"
    fields = {"figure": "", "not_applicable": "", "milestone_met": "unknown", "narrative": "", "rag": "",
              "commentary": "", "correction_reason": ""}  # fmt: skip
    fields |= values
    return {f"{prefix}-{name}": value for name, value in fields.items() if value != ""}


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_entry_screen_shows_every_deliverable_with_target_and_earlier_quarters(staff_client, mou):
    page = text(staff_client.get(f"/admin/mou/mou/{mou.pk}/quarter/3/?theme=leads").content.decode())
    assert "Leadership, Q3 (Oct–Dec)" in page
    assert "3 Support at least 60 councils." in page  # the reference and the commitment's words
    assert "6 Refresh e-learning." in page
    assert "Target at least 60 councils" in page
    assert "Q1 n/a" in page
    assert "Q2 41 Red" in page
    assert "Total to date 41: 68% of the target" in page  # cumulative: the latest, 41 of 60
    assert "Target No numeric target" in page


def test_a_mistake_in_one_row_saves_nothing_then_the_corrected_quarter_saves(staff_client, mou):
    three, six = Deliverable.objects.filter(theme__key="leads").order_by("order")
    url = f"/admin/mou/mou/{mou.pk}/quarter/3/?theme=leads"
    bad = row(three, figure="-3", rag="green", narrative="Typo") | row(six, narrative="Refreshed modules")
    html = staff_client.post(url, bad, follow=True).content.decode()
    assert "There is a problem" in html
    assert "Nothing was saved." in html
    assert "A figure cannot be negative." in html
    assert "Give the traffic light" in html  # the second row's narrative has no RAG
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()

    lower = row(three, figure="39", rag="amber") | row(six, narrative="Refreshed modules", rag="green")
    html = staff_client.post(url, lower, follow=True).content.decode()
    assert "lower than Q2" in html
    assert not QuarterlyReturn.objects.filter(deliverable__theme__mou=mou, quarter=3).exists()

    good = row(three, figure="47", rag="green", narrative="47 councils") | row(
        six, narrative="Refreshed", rag="green"
    )
    html = staff_client.post(url, good, follow=True).content.decode()
    assert "Leadership, Q3: 2 returns saved." in html
    saved = QuarterlyReturn.objects.get(deliverable=three, quarter=3)
    assert saved.entered_by.username == "clerk-test"

    report = staff_client.get("/mou/2030-31/q3/").content.decode()  # signed in: drafts included
    assert "47 councils" in report
    assert "78%" in report  # 47 of 60, cumulative


def test_history_records_who_changed_a_figure(staff_client, mou):
    three = Deliverable.objects.get(theme__key="leads", reference="3")
    url = f"/admin/mou/mou/{mou.pk}/quarter/2/?theme=leads"
    staff_client.post(url, row(three, figure="43", rag="red", narrative="43 councils"))
    record = QuarterlyReturn.objects.get(deliverable=three, quarter=2)
    history = list(record.history.order_by("history_date"))
    assert [h.figure for h in history][-2:] == [41, 43]
    assert history[-1].history_user.username == "clerk-test"


def test_every_bad_row_shows_its_message_not_only_the_first(staff_client, mou):
    three, six = Deliverable.objects.filter(theme__key="leads").order_by("order")
    url = f"/admin/mou/mou/{mou.pk}/quarter/3/?theme=leads"
    html = staff_client.post(
        url, row(three, figure="-1", rag="green") | row(six, narrative="x")
    ).content.decode()
    assert "A figure cannot be negative." in html
    assert "Give the traffic light" in html


class TestSignOff:
    @pytest.fixture
    def record(self, mou):
        return QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="3", quarter=2)

    def post_action(self, client, action, record, **extra):
        data = {"action": action, "_selected_action": [record.pk], **extra}
        return client.post("/admin/mou/quarterlyreturn/", data, follow=True).content.decode()

    def test_submit_approve_lock_and_recorded_reopening(self, staff_client, record, mou):
        assert "submitted" in self.post_action(staff_client, "submit", record)
        assert "approved and locked" in self.post_action(staff_client, "approve", record)
        record.refresh_from_db()
        assert record.status == "approved"

        from mou.models import ReturnApprovalLocked

        record.figure = 50
        with pytest.raises(ReturnApprovalLocked):
            record.save()
        three = record.deliverable
        url = f"/admin/mou/mou/{mou.pk}/quarter/2/?theme=leads"
        shown = staff_client.get(url).content.decode()
        assert f'name="d{three.pk}-figure"' not in shown  # shown as text, not as inputs
        assert "This return is approved and locked; an approver must reopen it" in shown
        html = staff_client.post(
            url, row(three, figure="50", rag="red", narrative="41 councils"), follow=True
        ).content.decode()  # as if posted from a screen opened before it was approved
        assert "approved and locked; an approver must reopen it to change it. What was typed" in html
        record.refresh_from_db()
        assert record.figure == 41

        html = self.post_action(staff_client, "reopen", record)
        assert "Reason for reopening" in html
        html = self.post_action(staff_client, "reopen", record, apply="1", reason="Two councils were missed.")
        assert "reopened" in html
        record.refresh_from_db()
        assert record.status == "draft"
        event = record.events.get(kind="reopened")
        assert (event.by.username, event.reason) == ("clerk-test", "Two councils were missed.")
        assert [e.kind for e in record.events.all()] == ["submitted", "approved", "reopened"]

    def test_a_draft_cannot_be_approved_or_reopened(self, staff_client, record):
        assert "Only a submitted return can be approved." in self.post_action(staff_client, "approve", record)
        assert "Only an approved return can be reopened." in self.post_action(
            staff_client, "reopen", record, apply="1", reason="x"
        )


def test_two_officers_entering_the_same_quarter_the_second_is_refused_with_input_kept(mou, django_user_model):
    from django.test import Client

    from lgaboard.versioning import STALE_MESSAGE
    from tests.forms import form_data

    url = f"/admin/mou/mou/{mou.pk}/quarter/2/?theme=leads"
    officers = []
    for name in ("officer-one", "officer-two"):
        client = Client()
        client.force_login(django_user_model.objects.create_user(name, is_staff=True, is_superuser=True))
        officers.append(client)
    forms = [form_data(officer.get(url).content.decode()) for officer in officers]
    three = Deliverable.objects.get(theme__key="leads", reference="3")
    field = f"d{three.pk}-narrative"

    forms[0][field] = "43 councils (first officer)"
    forms[0][f"d{three.pk}-figure"] = "43"
    officers[0].post(url, forms[0])
    forms[1][field] = "44 councils (second officer)"
    forms[1][f"d{three.pk}-figure"] = "44"
    html = officers[1].post(url, forms[1]).content.decode().replace("&#x27;", "'")

    assert STALE_MESSAGE.split(",")[0] in html
    assert "44 councils (second officer)" in html
    record = QuarterlyReturn.objects.get(deliverable=three, quarter=2)
    assert (record.figure, record.narrative) == (43, "43 councils (first officer)")


def test_saving_a_theme_leaves_an_unchanged_approved_return_alone(staff_client, mou):
    """Posting the theme's screen as it was shown (an approved row untouched) saves the other rows."""
    from tests.forms import form_data

    record = QuarterlyReturn.objects.get(deliverable__theme__mou=mou, deliverable__reference="3", quarter=2)
    record.status = QuarterlyReturn.Status.APPROVED
    record.save(update_fields=["status"], sign_off=True)
    history = record.history.count()
    url = f"/admin/mou/mou/{mou.pk}/quarter/2/?theme=leads"
    data = form_data(staff_client.get(url).content.decode())
    six = Deliverable.objects.get(theme__mou=mou, theme__key="leads", reference="6")
    data |= row(six, narrative="Refreshed modules", rag="green")
    html = staff_client.post(url, data, follow=True).content.decode()
    assert "1 returns saved" in html
    record.refresh_from_db()
    assert (record.status, record.figure, record.history.count()) == ("approved", 41, history)
