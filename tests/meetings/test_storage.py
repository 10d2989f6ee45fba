"""Published papers and uploaded annexes are files in storage (lgaboard/storage.py), not database rows.

What publication freezes is named by the hash of its bytes, stored once, and served exactly as
stored with that hash as its ETag; an upload is read only through the view that checks who asks.
The same again in an S3-compatible store (moto's server on 127.0.0.1), where a confidential upload
is reached through an address signed for a minute; and the migration that moved the pages and
PDFs stored in rows into storage."""

import datetime
import hashlib
import io
import logging
import os
import urllib.error
import urllib.request
import uuid
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from lgaboard.settings.base import s3_storages
from lgaboard.storage import papers_storage, read_bytes, save_content_addressed
from meetings.models import Annex, Meeting
from meetings.services import meeting_publish, meeting_publish_changes
from tests import factories


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_copies(content: bytes) -> list[str]:
    _, files = papers_storage.listdir("published")
    return [name for name in files if name.startswith(sha256(content))]


class TestContentAddressing:
    def test_the_same_bytes_are_stored_once_under_their_hash(self):
        content = b"%PDF-1.7 the pack as published"
        name = save_content_addressed(content, extension="pdf")
        assert name == f"published/{sha256(content)}.pdf"
        assert save_content_addressed(content, extension="pdf") == name
        assert stored_copies(content) == [f"{sha256(content)}.pdf"]
        assert save_content_addressed(b"%PDF-1.7 a revision", extension="pdf") != name

    def test_bytes_another_process_stored_meanwhile_are_kept_once(self, monkeypatch):
        content = b"<p>Published by two clerks at once</p>"
        name = save_content_addressed(content, extension="html")
        exists, asked = FileSystemStorage.exists, []

        def not_there_when_first_asked(storage, name):  # stored by the other process just after
            asked.append(name)
            return len(asked) > 1 and exists(storage, name)

        monkeypatch.setattr(FileSystemStorage, "exists", not_there_when_first_asked)
        assert save_content_addressed(content, extension="html") == name
        assert stored_copies(content) == [f"{sha256(content)}.html"]


def published_meeting(publisher) -> Meeting:
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance", body="Spend is 10.")
    return meeting_publish(meeting=meeting, by=publisher)


def member_of(meeting, django_user_model) -> Client:
    person = factories.PersonFactory()
    factories.MembershipFactory(board_year=meeting.board_year, person=person)
    person.user = django_user_model.objects.create_user(
        "member-storage", first_name="Ann", last_name="Member"
    )
    person.save()
    client = Client()
    client.force_login(person.user)
    return client


def confidential_annex(meeting) -> tuple[Annex, bytes]:
    """An uploaded annex to a confidential item added to the meeting."""
    item = factories.AgendaItemFactory(meeting=meeting, number=2, title="Negotiations", confidential=True)
    upload = HTML(string="<p>Uploaded slides, not for publication</p>").write_pdf()
    annex = Annex.objects.create(
        report=factories.ReportFactory(item=item),
        letter="A",
        title="Slides",
        pdf=SimpleUploadedFile("slides.pdf", upload, content_type="application/pdf"),
    )
    return annex, upload


@pytest.mark.django_db
class TestPublishedFilesAreServedAsStored:
    @pytest.fixture
    def published(self, django_user_model):
        return published_meeting(django_user_model.objects.create_user("publisher"))

    def test_the_pack_pdf_is_the_stored_file_with_its_hash_as_etag(self, published):
        revision = published.revisions.get()
        stored = read_bytes(revision.pdf_file)
        assert revision.pdf_file.name == f"published/{sha256(stored)}.pdf"
        url = published.get_absolute_url() + "pack.pdf"
        response = Client().get(url)
        assert response.getvalue() == stored
        assert response["ETag"] == f'"{sha256(stored)}"'
        assert Client().get(url + "?again").getvalue() == stored
        assert Client().get(published.get_absolute_url() + "revisions/1.pdf").getvalue() == stored
        unchanged = Client().get(url, headers={"If-None-Match": response["ETag"]})
        assert (unchanged.status_code, unchanged.getvalue()) == (304, b"")

    def test_the_public_page_carries_the_stored_page_hash_and_a_member_their_own(
        self, published, django_user_model
    ):
        revision, url = published.revisions.get(), published.get_absolute_url()
        response = Client().get(url)
        assert "Spend is 10." in response.content.decode()
        assert response["ETag"] == f'"{sha256(read_bytes(revision.html_file))}"'
        assert Client().get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304
        # A member receives the same frozen pack with their own header: never the public's copy.
        member = member_of(published, django_user_model).get(url, headers={"If-None-Match": response["ETag"]})
        assert member.status_code == 200
        assert "Signed in as Ann Member" in member.content.decode()
        assert not member.has_header("ETag")

    def test_an_item_page_is_its_stored_page(self, published):
        item = published.revisions.get().items.get(number=1)
        response = Client().get(published.get_absolute_url() + "items/1/")
        assert "Spend is 10." in response.content.decode()
        assert response["ETag"] == f'"{sha256(read_bytes(item.html_file))}"'
        assert item.pdf_html_file.name.startswith("published/")
        assert Client().get(published.get_absolute_url() + "items/1.pdf").getvalue().startswith(b"%PDF")


@pytest.mark.django_db
class TestAConfidentialUpload:
    @pytest.fixture
    def annex(self):
        meeting = published_meeting(publisher=None)
        return confidential_annex(meeting)

    def test_the_public_are_refused_and_never_shown_where_it_is_stored(self, annex):
        annex, _ = annex
        response = Client().get(annex.get_pdf_url())
        assert response.status_code == 404
        assert not response.has_header("Location")
        assert annex.pdf.name not in response.content.decode()

    def test_a_member_and_a_clerk_receive_it_streamed(self, annex, django_user_model, staff_client):
        annex, upload = annex
        meeting = annex.report.item.meeting
        for reader in (member_of(meeting, django_user_model), staff_client):
            response = reader.get(annex.get_pdf_url())
            assert response.status_code == 200
            assert response.getvalue() == upload
            assert f"{meeting.date}-item-2-annex-a.pdf" in response["Content-Disposition"]


def slides(text: str) -> bytes:
    return HTML(string=f"<p>{text}</p>").write_pdf()


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
class TestAnUploadedAnnexReachesThePublicWithItsRevision:
    """An annex replaced or added after publication is not public until that change is published:
    the public receive the file frozen with the latest revision, alone and in the item's PDF."""

    @pytest.fixture
    def meeting(self):
        meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT)
        report = factories.ReportFactory(item__meeting=meeting, item__number=1, item__title="Finance")
        Annex.objects.create(
            report=report,
            letter="A",
            title="Slides",
            pdf=SimpleUploadedFile("slides.pdf", slides("First slides"), content_type="application/pdf"),
        )
        return meeting_publish(meeting=meeting)

    def change_the_annexes(self, meeting):
        report = meeting.items.get(number=1).report
        annex = report.annexes.get(letter="A")
        annex.pdf = SimpleUploadedFile("slides.pdf", slides("Second slides"), content_type="application/pdf")
        annex.save()
        Annex.objects.create(
            report=report,
            letter="B",
            title="Budget",
            pdf=SimpleUploadedFile("budget.pdf", slides("The budget, not yet published")),
        )

    def test_the_public_receive_the_frozen_file_until_the_change_is_published(self, meeting, staff_client):
        url = meeting.get_absolute_url() + "items/1/"
        first = Client().get(url + "annex-a.pdf")
        received = first.getvalue()
        assert "First slides" in pdf_text(received)
        assert first["ETag"] == f'"{sha256(received)}"'
        assert meeting.revisions.get().items.get().annexes.get().pdf.name.startswith("published/")

        self.change_the_annexes(meeting)
        public = Client()
        assert "First slides" in pdf_text(public.get(url + "annex-a.pdf").getvalue())
        assert public.get(url + "annex-b.pdf").status_code == 404
        item_pdf = pdf_text(public.get(meeting.get_absolute_url() + "items/1.pdf").getvalue())
        assert "First slides" in item_pdf
        assert "Second slides" not in item_pdf
        assert "not yet published" not in item_pdf
        # The clerk reads the live pack: the new files.
        assert "Second slides" in pdf_text(staff_client.get(url + "annex-a.pdf").getvalue())
        assert "not yet published" in pdf_text(staff_client.get(url + "annex-b.pdf").getvalue())

        meeting_publish_changes(meeting=meeting)
        assert "Second slides" in pdf_text(public.get(url + "annex-a.pdf").getvalue())
        assert "not yet published" in pdf_text(public.get(url + "annex-b.pdf").getvalue())
        item_pdf = pdf_text(public.get(meeting.get_absolute_url() + "items/1.pdf").getvalue())
        assert "Second slides" in item_pdf
        assert "First slides" not in item_pdf
        first_revision = meeting.revisions.get(number=1).items.get().annexes.get()
        assert "First slides" in pdf_text(read_bytes(first_revision.pdf))  # kept with its revision

    def test_an_annex_of_a_confidential_item_is_not_frozen(self, meeting):
        annex, _ = confidential_annex(meeting)
        meeting_publish_changes(meeting=meeting)
        frozen = meeting.revisions.get(number=2).items.get(number=2)
        assert not frozen.annexes.exists()
        assert Client().get(annex.get_pdf_url()).status_code == 404


# -- An S3-compatible store --------------------------------------------------------------------------


def moto_server():
    """moto's S3-compatible server on 127.0.0.1 (a free port); skipped without moto or
    django-storages, unless LGABOARD_S3_TESTS=required (.ci/run), when that fails."""
    try:
        import storages.backends.s3  # noqa: F401
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        reason = f"the S3 storage tests need moto[server] and django-storages[s3] ({error})"
        if os.environ.get("LGABOARD_S3_TESTS") == "required":
            pytest.fail(f"{reason}, and LGABOARD_S3_TESTS=required")
        pytest.skip(reason)
    return ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server()
    werkzeug = logging.getLogger("werkzeug")
    level, werkzeug.level = werkzeug.level, logging.ERROR  # not a line per request
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    werkzeug.setLevel(level)


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """A new bucket, with both storages in it as the settings make them from LGABOARD_S3_*."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    bucket = f"lgaboard-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-2")
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    storages = s3_storages(bucket, endpoint_url=s3_endpoint, region="eu-west-2")
    settings.STORAGES = {**storages, "staticfiles": settings.STORAGES["staticfiles"]}
    return SimpleNamespace(client=client, bucket=bucket, endpoint=s3_endpoint)


def fetch(url: str) -> tuple[int, bytes, str]:
    """GET from the store as a browser would: the status, the body, its Content-Disposition."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local test server
            return response.status, response.read(), response.headers.get("Content-Disposition", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


@pytest.mark.django_db
class TestInAnS3Store:
    def test_a_published_pack_is_stored_by_content_and_served_byte_identical(self, s3, django_user_model):
        meeting = published_meeting(django_user_model.objects.create_user("publisher"))
        revision = meeting.revisions.get()
        item = revision.items.get(number=1)
        listed = s3.client.list_objects_v2(Bucket=s3.bucket, Prefix="published/")["Contents"]
        keys = {entry["Key"] for entry in listed}
        assert {revision.html_file.name, revision.pdf_file.name, item.html_file.name} <= keys
        stored = s3.client.get_object(Bucket=s3.bucket, Key=revision.pdf_file.name)["Body"].read()
        assert stored.startswith(b"%PDF")
        assert revision.pdf_file.name == f"published/{sha256(stored)}.pdf"

        url = meeting.get_absolute_url()
        response = Client().get(url + "pack.pdf")
        assert response.getvalue() == stored
        assert response["ETag"] == f'"{sha256(stored)}"'
        assert Client().get(url + "revisions/1.pdf").getvalue() == stored
        assert "Spend is 10." in Client().get(url).content.decode()
        assert "Spend is 10." in Client().get(url + "items/1/").content.decode()
        assert Client().get(url + "items/1.pdf").getvalue().startswith(b"%PDF")  # from its stored page

    def test_a_confidential_upload_is_reached_only_through_an_address_signed_for_a_minute(
        self, s3, django_user_model
    ):
        meeting = published_meeting(publisher=None)
        annex, upload = confidential_annex(meeting)
        assert s3.client.get_object(Bucket=s3.bucket, Key=annex.pdf.name)["Body"].read() == upload

        refused = Client().get(annex.get_pdf_url())
        assert refused.status_code == 404
        assert s3.endpoint not in refused.get("Location", "") + refused.content.decode()

        started = timezone.now()
        response = member_of(meeting, django_user_model).get(annex.get_pdf_url())
        assert response.status_code == 302
        signed = response["Location"]
        assert signed.startswith(f"{s3.endpoint}/{s3.bucket}/{annex.pdf.name}?")
        query = parse_qs(urlsplit(signed).query)
        assert query["X-Amz-Expires"] == ["60"]
        signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%S%z")
        assert abs(signed_at - started) < datetime.timedelta(seconds=60)
        status, body, disposition = fetch(signed)
        assert (status, body) == (200, upload)
        assert f'inline; filename="{meeting.board.slug}-{meeting.date}-item-2-annex-a.pdf"' == disposition
        assert fetch(signed.split("?")[0])[0] == 403  # the bucket gives nothing without a signature

    def test_an_upload_of_the_same_name_is_stored_beside_the_first(self, s3):
        report = factories.ReportFactory()
        first, second = (
            Annex.objects.create(
                report=report, letter=letter, title="Slides", pdf=SimpleUploadedFile("slides.pdf", content)
            )
            for letter, content in (("A", b"%PDF first"), ("B", b"%PDF second"))
        )
        assert first.pdf.name != second.pdf.name
        read = [
            s3.client.get_object(Bucket=s3.bucket, Key=annex.pdf.name)["Body"].read()
            for annex in (first, second)
        ]
        assert read == [b"%PDF first", b"%PDF second"]


# -- The migration that moved the rows into storage ----------------------------------------------------

BEFORE = [("meetings", "0012_annex_letter_validator")]
AFTER = [("meetings", "0013_published_files_in_storage")]
PACK_HTML, PACK_PDF, ITEM_PDF = "<p>The pack</p>", b"%PDF-1.7 the pack", b"%PDF-1.7 item 2, kept"


def rows_as_they_were(apps, db: str):
    """A published revision as stored before files: its page and PDF in the row, an item whose PDF
    was kept and one whose was not (its page the same bytes as the pack's)."""
    board = apps.get_model("meetings", "Board").objects.using(db).create(name="Board", slug="board")
    year = apps.get_model("meetings", "BoardYear").objects.using(db).create(board=board, start_year=2017)
    meeting = (
        apps.get_model("meetings", "Meeting")
        .objects.using(db)
        .create(board=board, board_year=year, date=datetime.date(2017, 11, 1))
    )
    revision = (
        apps.get_model("meetings", "PackRevision")
        .objects.using(db)
        .create(meeting=meeting, number=1, published_at=timezone.now(), html=PACK_HTML, pdf=PACK_PDF)
    )
    items = apps.get_model("meetings", "FrozenItem").objects.using(db)
    items.create(revision=revision, number=1, html="<p>Item 1</p>", pdf_html="<p>Item 1, to print</p>")
    items.create(
        revision=revision, number=2, html=PACK_HTML, pdf_html="<p>Item 2, to print</p>", pdf=ITEM_PDF
    )
    return revision.pk


def columns(db: str, table: str) -> set[str]:
    with connections[db].cursor() as cursor:
        return {column.name for column in connections[db].introspection.get_table_description(cursor, table)}


@pytest.fixture
def empty_database(django_db_modify_db_settings, django_db_blocker):
    """An empty database of its own ("migrations" in lgaboard/settings/test.py), made and dropped
    here, with only the papers' migrations applied, up to the one before the move: SQLite cannot
    alter tables inside a test's transaction, and flushing the default test database would lose the
    demo the other tests read. (Django's create_test_db would run every app's migrations, some of
    which read the default database.)"""
    connection = connections["migrations"]
    real_name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        test_name = connection.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        connection.close()
        connection.settings_dict["NAME"] = test_name
        MigrationExecutor(connection).migrate(BEFORE)
        yield connection
        connection.creation.destroy_test_db(real_name, verbosity=0)


def test_the_migration_moves_stored_pages_and_pdfs_into_storage_and_back(empty_database):
    """A revision stored in rows as before: migrating moves each page and PDF into storage, named by
    its content, and drops the columns; migrating back puts the content in the rows again."""
    executor = MigrationExecutor(empty_database)
    pk = rows_as_they_were(executor.loader.project_state(BEFORE).apps, "migrations")

    executor = MigrationExecutor(empty_database)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    revision = apps.get_model("meetings", "PackRevision").objects.using("migrations").get(pk=pk)
    assert revision.html_file.name == f"published/{sha256(PACK_HTML.encode())}.html"
    assert revision.pdf_file.name == f"published/{sha256(PACK_PDF)}.pdf"
    assert read_bytes(revision.html_file) == PACK_HTML.encode()
    assert read_bytes(revision.pdf_file) == PACK_PDF
    first, second = revision.items.order_by("number")
    assert read_bytes(first.pdf_html_file) == b"<p>Item 1, to print</p>"
    assert not first.pdf_file
    assert read_bytes(second.pdf_file) == ITEM_PDF
    assert second.html_file.name == revision.html_file.name  # the same bytes: one file
    assert not {"html", "pdf"} & columns("migrations", "meetings_packrevision")
    assert not {"html", "pdf_html", "pdf"} & columns("migrations", "meetings_frozenitem")

    executor = MigrationExecutor(empty_database)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    revision = apps.get_model("meetings", "PackRevision").objects.using("migrations").get(pk=pk)
    assert (revision.html, bytes(revision.pdf)) == (PACK_HTML, PACK_PDF)
    first, second = revision.items.order_by("number")
    assert (first.pdf_html, first.pdf) == ("<p>Item 1, to print</p>", None)
    assert (second.html, bytes(second.pdf)) == (PACK_HTML, ITEM_PDF)


def test_the_migration_freezes_the_annexes_the_public_receive_today(empty_database):
    """Before annexes were frozen, the public received the live upload of an item of the latest
    revision: migrating freezes that file with it; earlier revisions and confidential items get none."""
    before, after = [("meetings", "0014_publishing_in_the_background")], [("meetings", "0015_frozen_annexes")]
    executor = MigrationExecutor(empty_database)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    db = "migrations"
    model = lambda name: apps.get_model("meetings", name).objects.using(db)  # noqa: E731
    board = model("Board").create(name="Board", slug="board")
    year = model("BoardYear").create(board=board, start_year=2017)
    meeting = model("Meeting").create(board=board, board_year=year, date=datetime.date(2017, 11, 1))
    public = model("AgendaItem").create(meeting=meeting, number=1, title="Finance")
    secret = model("AgendaItem").create(
        meeting=meeting, number=2, title="Negotiations", confidential=True, exemption=3
    )
    upload = slides("Slides as uploaded")
    for item in (public, secret):
        report = model("Report").create(item=item)
        model("Annex").create(
            report=report, letter="A", title="Slides", pdf=SimpleUploadedFile("slides.pdf", upload)
        )
    for number in (1, 2):
        revision = model("PackRevision").create(meeting=meeting, number=number, published_at=timezone.now())
        for item_number in (1, 2):
            model("FrozenItem").create(revision=revision, number=item_number)

    executor = MigrationExecutor(empty_database)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    frozen = list(
        apps.get_model("meetings", "FrozenAnnex").objects.using(db).select_related("item__revision")
    )
    assert [(f.item.revision.number, f.item.number, f.letter, f.anchor) for f in frozen] == [
        (2, 1, "A", "item-1-a")
    ]
    assert read_bytes(frozen[0].pdf) == upload
    assert frozen[0].pdf.name == f"published/{sha256(upload)}.pdf"
