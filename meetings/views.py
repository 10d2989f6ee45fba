"""Thin views: parse the request, call a selector, render."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from django_tables2 import RequestConfig

from lgaboard import storage
from lgaboard.pdf import PdfMixin, pdf_response

from . import calendars, permissions, rendering, selectors, services
from .filters import ActionFilter, MeetingFilter, with_filters
from .models import Annex, Board, FrozenAnnex, FrozenItem
from .rendering import breadcrumbs_for
from .tables import ActionTable, MeetingTable


class HomeView(TemplateView):
    template_name = "meetings/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(**kwargs) | selectors.home_meetings(self.request.user, today)


class FrontPageView(LoginRequiredMixin, TemplateView):
    """A signed-in reader's own front page, where signing in lands: their boards' next meetings
    with what changed in each pack since they last opened it, and their actions."""

    template_name = "meetings/front_page.html"

    def get_context_data(self, **kwargs):
        page = selectors.front_page(self.request.user, timezone.localdate())
        return super().get_context_data(page=page, **kwargs)


class BoardListView(TemplateView):
    template_name = "meetings/board_list.html"

    def get_context_data(self, **kwargs):
        boards = Board.objects.prefetch_related("former_names").order_by("name")
        return super().get_context_data(boards=boards, breadcrumbs=breadcrumbs_for(), **kwargs)


class BoardMixin:
    """Resolves the board in the address; a former name's address redirects to the current one."""

    def dispatch(self, request, *args, **kwargs):
        self.board, renamed = selectors.board_by_slug(kwargs["board_slug"])
        if renamed:
            kwargs["board_slug"] = self.board.slug
            return redirect(request.resolver_match.view_name, permanent=True, **kwargs)
        return super().dispatch(request, *args, **kwargs)


def paginate_table(request, table, *, per_page: int) -> None:
    """Sorting and the page come from the address (a page that is not a number shows the first, one
    past the end the last); the page size is ours. django-tables2 also took ?per_page=, and -1 made
    its paginator fail with a 500."""
    RequestConfig(request, paginate=False).configure(table)
    table.paginate(per_page=per_page)
    table.page = table.paginator.get_page(request.GET.get(table.prefixed_page_field))


class BoardDetailView(BoardMixin, TemplateView):
    template_name = "meetings/board_detail.html"

    def get_context_data(self, **kwargs):
        board_year = selectors.current_board_year(self.board)
        meetings = selectors.meetings_visible_to(self.request.user).filter(board=self.board)
        meeting_filter = MeetingFilter(self.request.GET or None, queryset=meetings, board=self.board)
        table = MeetingTable(meeting_filter.qs)
        paginate_table(self.request, table, per_page=25)
        calendar_url = self.request.build_absolute_uri(
            reverse("meetings:board_calendar", kwargs={"board_slug": self.board.slug})
        )
        return super().get_context_data(
            board=self.board,
            board_year=board_year,
            membership=selectors.board_membership(board_year) if board_year else None,
            filter=meeting_filter,
            table=table,
            breadcrumbs=breadcrumbs_for(self.board),
            calendar_url=calendar_url,
            calendar_subscribe="webcal://" + calendar_url.split("://", 1)[1],
            csv_url=with_filters(
                reverse("meetings:board_meetings_csv", args=[self.board.slug]), meeting_filter
            ),
            **kwargs,
        )


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class BoardCalendarView(BoardMixin, View):
    """A board's published meetings as an iCalendar file to subscribe to."""

    def get(self, request, **kwargs):
        entries = selectors.calendar_meetings(timezone.localdate(), board=self.board)
        body = calendars.meetings_calendar(entries, name=self.board.name, absolute=request.build_absolute_uri)
        return calendar_response(body, f"{self.board.slug}-meetings.ics")


class CalendarView(View):
    """Every board's published meetings as one iCalendar file."""

    def get(self, request):
        entries = selectors.calendar_meetings(timezone.localdate())
        body = calendars.meetings_calendar(
            entries, name="Board meetings", absolute=request.build_absolute_uri
        )
        return calendar_response(body, "board-meetings.ics")


class MeetingMixin(BoardMixin):
    def get_meeting(self):
        if not hasattr(self, "_meeting"):
            self._meeting = selectors.meeting_for(self.request.user, self.board, self.kwargs["date"])
        return self._meeting


ACCOUNT_START, ACCOUNT_END = "<!-- account -->", "<!-- /account -->"


def frozen_page(request, stored) -> HttpResponse:
    """A page stored when its pack was published (`stored`, a file named by its content), with the
    header's account part (who is signed in, the sign-out button and its CSRF token) made afresh for
    this reader. Every member of the public receives the same page: its file's hash is their ETag."""
    public = not request.user.is_authenticated
    if public and (unchanged := storage.not_modified(request, stored)):
        return unchanged
    html = storage.read_text(stored)
    start, end = html.find(ACCOUNT_START), html.find(ACCOUNT_END)
    if 0 <= start < end:
        account = render_to_string("_account.html", request=request)
        html = html[: start + len(ACCOUNT_START)] + account + html[end:]
    response = HttpResponse(html)
    if public:
        response.headers["ETag"] = f'"{storage.content_hash(stored)}"'
    return response


def stored_pdf(request, stored, filename: str):
    """A PDF stored when its pack was published, streamed from storage (its hash its ETag)."""
    return storage.stored_file_response(request, stored, filename=filename, content_type="application/pdf")


class FrozenPackMixin(MeetingMixin):
    """The public receive a published pack as it was frozen (its latest revision), and so do members
    when it has no confidential item; clerks, and members when it has, receive it live."""

    def frozen_revision(self, meeting):
        """The latest revision (its page and PDF load when asked for), or None: serve it live."""
        if not meeting.is_published:
            return None
        user = self.request.user
        if permissions.can_read_confidential(user, meeting) and (
            permissions.reads_everything(user) or meeting.items.filter(confidential=True).exists()
        ):
            return None
        return meeting.revision_notes[-1] if meeting.revision_notes else None


class MeetingDetailView(FrozenPackMixin, View):
    """The agenda pack to read in a browser."""

    def get(self, request, **kwargs):
        meeting = self.get_meeting()
        if request.user.is_authenticated:  # their front page says what changed since
            services.pack_opened(user=request.user, meeting=meeting)
        if revision := self.frozen_revision(meeting):
            return frozen_page(request, revision.html_file)
        return HttpResponse(rendering.render_pack_html(meeting, reader=request.user, request=request))


class AgendaItemDetailView(FrozenPackMixin, View):
    """One item's report on its own; the public receive it as frozen in the latest revision."""

    def frozen_item(self):
        revision = self.frozen_revision(self.get_meeting())
        if revision is None:
            return None
        return get_object_or_404(FrozenItem, revision_id=revision.pk, number=self.kwargs["number"])

    def get(self, request, **kwargs):
        if frozen := self.frozen_item():
            return frozen_page(request, frozen.html_file)
        html = rendering.render_item_html(
            self.get_meeting(), kwargs["number"], reader=request.user, request=request
        )
        return HttpResponse(html)


class AnnexPdfView(FrozenPackMixin, View):
    """An annex uploaded as a PDF, served only through this view (never from a public media URL).
    The public receive the file frozen with the latest revision (an annex replaced or added since
    reaches them when that change is published), with its hash as ETag; readers of the live pack
    receive the upload as it is, streamed, or where the storage signs addresses (S3), through one
    that expires within a minute."""

    def get(self, request, **kwargs):
        meeting = self.get_meeting()
        filename = (
            f"{meeting.board.slug}-{meeting.date}-item-{kwargs['number']}-annex-{kwargs['letter']}.pdf"
        ).lower()
        if revision := self.frozen_revision(meeting):
            frozen = FrozenAnnex.objects.filter(
                item__revision=revision, item__number=kwargs["number"], letter__iexact=kwargs["letter"]
            ).first()
            if frozen is None:
                raise Http404("No such annex.")
            return stored_pdf(request, frozen.pdf, filename)
        item = selectors.agenda_item_for(meeting, kwargs["number"], request.user)
        annex = Annex.objects.filter(report__item=item, letter__iexact=kwargs["letter"]).first()
        if annex is None or not annex.pdf or item.withheld:
            raise Http404("No such annex.")
        if url := storage.signed_url(annex.pdf, filename=filename, content_type="application/pdf"):
            return redirect(url)
        return FileResponse(annex.pdf.open("rb"), content_type="application/pdf", filename=filename)


class MinutesDetailView(MeetingMixin, TemplateView):
    """The note of a meeting, with attendance as its appendix."""

    template_name = "meetings/minutes_detail.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_meeting()
        record = selectors.minutes_of(meeting, self.request.user)
        if record is None:
            raise Http404("No note of this meeting has been written.")
        crumbs = breadcrumbs_for(self.board, meeting, current="Note of the meeting")
        header = [meeting.board_name, f"Note of the meeting of {meeting.date:%-d %B %Y}"]
        return super().get_context_data(
            meeting=meeting, record=record, breadcrumbs=crumbs, pdf_header=header, **kwargs
        )


class AttendanceRegisterView(BoardMixin, TemplateView):
    """Members down, meetings across, for one board-year."""

    template_name = "meetings/attendance_register.html"

    def get_context_data(self, **kwargs):
        board_year = selectors.board_year_by_slug(self.board, self.kwargs["year"])
        register = selectors.attendance_register(self.request.user, board_year)
        crumbs = breadcrumbs_for(self.board, current=f"Attendance {board_year.label}")
        header = [self.board.name, f"Attendance register {board_year.label}"]
        return super().get_context_data(
            register=register, board=self.board, breadcrumbs=crumbs, pdf_header=header, **kwargs
        )


class ActionListView(BoardMixin, TemplateView):
    """Every action of the board, with owner, meeting, status and latest progress."""

    template_name = "meetings/action_list.html"

    def get_context_data(self, **kwargs):
        actions = selectors.board_actions(self.request.user, self.board)
        action_filter = ActionFilter(self.request.GET or None, queryset=actions, board=self.board)
        table = ActionTable(action_filter.qs)
        paginate_table(self.request, table, per_page=50)
        crumbs = breadcrumbs_for(self.board, current="Actions")
        return super().get_context_data(
            board=self.board,
            filter=action_filter,
            table=table,
            breadcrumbs=crumbs,
            csv_url=with_filters(reverse("meetings:actions_csv", args=[self.board.slug]), action_filter),
            **kwargs,
        )


class PackPdfView(FrozenPackMixin, View):
    """The agenda pack as one PDF, rendered from the same template as the page; the public receive
    the PDF frozen at publication (the same document every time)."""

    def get(self, request, **kwargs):
        meeting = self.get_meeting()
        filename = f"{meeting.board.slug}-{meeting.date}-agenda-pack.pdf"
        if revision := self.frozen_revision(meeting):
            return stored_pdf(request, revision.pdf_file, filename)
        return pdf_response(rendering.render_pack_pdf(meeting, reader=request.user), filename)


class PackRevisionView(MeetingMixin, View):
    """An earlier published version of a pack, page or PDF, exactly as it was published."""

    as_pdf = False

    def get(self, request, **kwargs):
        meeting = self.get_meeting()
        revision = get_object_or_404(meeting.revisions, number=kwargs["number"])
        if self.as_pdf:
            filename = f"{meeting.board.slug}-{meeting.date}-agenda-pack-revision-{revision.number}.pdf"
            return stored_pdf(request, revision.pdf_file, filename)
        return frozen_page(request, revision.html_file)


class AgendaItemPdfView(AgendaItemDetailView):
    """One item as a PDF, its uploaded PDF annexes merged onto the pages reserved for them; the
    public receive it made from the page stored with the latest revision."""

    def get(self, request, **kwargs):
        meeting, number = self.get_meeting(), kwargs["number"]
        filename = f"{meeting.board.slug}-{meeting.date}-item-{number}.pdf"
        frozen = self.frozen_item()
        if frozen is None:
            return pdf_response(rendering.render_item_pdf(meeting, number, reader=request.user), filename)
        if frozen.pdf_file:  # stored before item PDFs were made when asked for
            return stored_pdf(request, frozen.pdf_file, filename)
        # Made from the page and annexes frozen at publication, each time; a GET stores nothing.
        return pdf_response(rendering.render_frozen_item_pdf(frozen), filename)


class MinutesPdfView(PdfMixin, MinutesDetailView):
    def get_pdf_filename(self, context):
        return f"{context['meeting'].board.slug}-{context['meeting'].date}-minutes.pdf"


class AttendanceRegisterPdfView(PdfMixin, AttendanceRegisterView):
    def get_pdf_filename(self, context):
        return f"{context['board'].slug}-attendance-{context['register'].board_year.slug}.pdf"
