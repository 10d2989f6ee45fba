import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real 1 November 2017 papers are loaded once; every test runs in a transaction on top.
    Run in parallel (pytest -n), each worker has a test database of its own (pytest-django adds
    the worker to its name) and loads the papers into it once."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture
def november_meeting(db):
    from meetings.models import Meeting

    return Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("clerk-test", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def november_pack_render(django_db_setup, django_db_blocker) -> tuple[bytes, int]:
    """The 1 November 2017 pack as a PDF, rendered once per session (the slowest thing the suite does)
    and shared by the tests that read it; with the number of times WeasyPrint laid it out."""
    from meetings import pdf
    from meetings.models import Meeting
    from meetings.selectors import agenda_pack_for

    layouts = []
    render = pdf.render_document
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "render_document", lambda html: layouts.append(html) or render(html))
        meeting = Meeting.objects.get(board__slug="improvement-and-innovation-board", date="2017-11-01")
        return pdf.render_pack_pdf(agenda_pack_for(meeting)), len(layouts)


@pytest.fixture(scope="session")
def november_pack_pdf(november_pack_render) -> bytes:
    return november_pack_render[0]
