"""Audit and integrity: every change is kept with who and when, and no edit is silently lost."""

import pytest
from django.test import Client

from lgaboard.versioning import STALE_MESSAGE, StaleEdit
from meetings.models import Membership, Report
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerks(django_user_model):
    clients = []
    for name in ("clerk-one", "clerk-two"):
        client = Client()
        client.force_login(django_user_model.objects.create_user(name, is_staff=True, is_superuser=True))
        clients.append(client)
    return clients


@pytest.fixture
def report(november_meeting):
    return Report.objects.get(item__meeting=november_meeting, item__number=4)


def change_url(report):
    return f"/admin/meetings/report/{report.pk}/change/"


class TestNoLostUpdates:
    def test_the_second_of_two_overlapping_edits_is_refused_and_keeps_its_input(self, clerks, report):
        first, second = clerks
        first_form = form_data(first.get(change_url(report)).content.decode(), "report_form")
        second_form = form_data(second.get(change_url(report)).content.decode(), "report_form")

        first_form["summary"] = "The first clerk's summary."
        assert first.post(change_url(report), first_form).status_code == 302

        second_form["summary"] = "The second clerk's summary, typed at length."
        refused = second.post(change_url(report), second_form)
        html = refused.content.decode()
        assert refused.status_code == 200
        assert STALE_MESSAGE.split(",")[0] in html.replace("&#x27;", "'")
        assert "The second clerk&#x27;s summary, typed at length." in html  # kept for reapplying
        report.refresh_from_db()
        assert report.summary == "The first clerk's summary."

    def test_edits_one_after_another_both_save(self, clerks, report):
        first, second = clerks
        data = form_data(first.get(change_url(report)).content.decode(), "report_form")
        data["summary"] = "One."
        assert first.post(change_url(report), data).status_code == 302
        data = form_data(second.get(change_url(report)).content.decode(), "report_form")
        data["summary"] = "Two."
        assert second.post(change_url(report), data).status_code == 302
        report.refresh_from_db()
        assert (report.summary, report.version) == ("Two.", 3)

    def test_the_database_refuses_a_stale_save_too(self, report):
        stale = Report.objects.get(pk=report.pk)
        report.summary = "Saved first."
        report.save()
        stale.summary = "Saved from an old copy."
        with pytest.raises(StaleEdit):
            stale.save()
        assert Report.objects.get(pk=report.pk).summary == "Saved first."


class TestHistory:
    def test_a_change_in_the_admin_is_kept_with_who_and_what(self, clerks, report):
        first, _ = clerks
        data = form_data(first.get(change_url(report)).content.decode(), "report_form")
        data["summary"] = "A new summary."
        first.post(change_url(report), data)
        latest = report.history.latest("history_date")
        assert latest.history_user.username == "clerk-one"
        assert latest.summary == "A new summary."
        change = latest.diff_against(latest.prev_record)
        assert any(c.field == "summary" and c.new == "A new summary." for c in change.changes)
        page = first.get(f"/admin/meetings/report/{report.pk}/history/").content.decode()
        assert "clerk-one" in page

    @pytest.mark.parametrize(
        "model",
        ["meeting", "agendaitem", "report", "minutes", "minuteentry", "membership", "action", "decision"],
    )
    def test_history_is_shown_in_the_admin(self, clerks, model):
        from django.apps import apps

        instance = apps.get_model("meetings", model).objects.first()
        response = clerks[0].get(f"/admin/meetings/{model}/{instance.pk}/history/")
        assert response.status_code == 200
        assert "history" in response.content.decode().lower()

    def test_membership_changes_are_recorded(self):
        membership = Membership.objects.first()
        membership.role = (
            Membership.Role.DEPUTY_CHAIR if hasattr(Membership.Role, "DEPUTY_CHAIR") else membership.role
        )
        membership.save()
        assert membership.history.count() >= 1


def test_a_save_landing_between_the_check_and_the_save_is_refused_without_an_error_page(
    clerks, report, monkeypatch
):
    """The database's own check: simulate another save landing after the form was checked."""
    from lgaboard.versioning import VersionedModelForm

    first, _ = clerks
    data = form_data(first.get(change_url(report)).content.decode(), "report_form")
    data["summary"] = "Mine."
    original_clean = VersionedModelForm.clean

    def clean_then_someone_saves(form):
        cleaned = original_clean(form)
        Report.objects.filter(pk=report.pk).update(version=report.version + 5)
        return cleaned

    monkeypatch.setattr(VersionedModelForm, "clean", clean_then_someone_saves)
    response = first.post(change_url(report), data, follow=True)
    assert response.status_code == 200
    assert "Someone else saved this since you opened it" in response.content.decode().replace("&#x27;", "'")
    report.refresh_from_db()
    assert report.summary != "Mine."
