"""Where clerks build boards, years, memberships, venues, meetings, items, reports and annexes."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from lgaboard.admin import HistoryAdmin, KeepsSearchCurrentMixin
from lgaboard.converters import BIGGEST_ID, parse_id
from lgaboard.pdf import pdf_response
from lgaboard.versioning import StaleEditAdminMixin, VersionedModelForm

from . import notifications, rendering, selectors, services
from .forms import NextMeetingForm, PublishForm
from .meeting_word_admin import ReportsFromWordMeetingMixin
from .models import (
    Action,
    ActionProgress,
    AgendaItem,
    Annex,
    Attendance,
    Authority,
    Board,
    BoardFormerName,
    BoardYear,
    Decision,
    Declaration,
    DiscussionPoint,
    Meeting,
    Membership,
    MinuteEntry,
    Minutes,
    Notification,
    PackRevision,
    Person,
    PoliticalGroup,
    Publishing,
    Recommendation,
    Report,
    ReportContact,
    SeatAllocation,
    Venue,
)
from .report_import_admin import ReportFromWordAdminMixin
from .search import search_refresh_meeting, search_refresh_minutes
from .selectors.notifications import counts_summary, notification_counts, notification_rounds
from .selectors.publishing import changes_to_publish, publication_checks


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "authority_type"]
    list_filter = ["authority_type"]
    search_fields = ["name"]


@admin.register(PoliticalGroup)
class PoliticalGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "office_phone", "office_email"]


@admin.register(Person)
class PersonAdmin(KeepsSearchCurrentMixin, admin.ModelAdmin):
    list_display = ["full_name", "position", "email", "phone"]
    search_fields = ["first_name", "last_name", "position", "email"]
    prepopulated_fields = {"slug": ["first_name", "last_name"]}
    raw_id_fields = ["user"]

    def search_refresh_for(self, obj):
        """The notes naming them as an action's owner."""
        for meeting in Meeting.objects.filter(minutes__entries__actions__owner=obj).distinct():
            search_refresh_minutes(meeting)


class BoardFormerNameInline(admin.TabularInline):
    model = BoardFormerName
    extra = 0


@admin.register(Board)
class BoardAdmin(KeepsSearchCurrentMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "former_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BoardFormerNameInline]

    def search_refresh_for(self, obj):
        """Its name and address are in every entry of its published meetings."""
        for meeting in obj.meetings.filter(status=Meeting.Status.PUBLISHED):
            search_refresh_meeting(meeting)


class SeatAllocationInline(admin.TabularInline):
    model = SeatAllocation
    extra = 0
    verbose_name = "seats in the terms of reference"
    verbose_name_plural = "political composition (terms of reference)"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "authority"]
    fields = ["person", "group", "authority", "organisation", "role", "order"]


@admin.register(BoardYear)
class BoardYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meetings_per_year"]
    list_filter = ["board"]
    inlines = [SeatAllocationInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["person", "board_year", "group", "authority", "role"]
    list_filter = ["board_year", "group", "role"]
    search_fields = ["person__first_name", "person__last_name", "authority__name"]
    autocomplete_fields = ["person", "authority"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "room", "postcode"]
    search_fields = ["name", "room", "address", "postcode"]


class AgendaFormSet(BaseInlineFormSet):
    """Each row's fields named for their item: a table's column heading is no label to a screen
    reader (axe's 'label' rule), so "Title of item 3", "Delete item 3"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        item = form.instance
        which = f"item {item.number}" if item.pk else "the new item"
        form.fields["title"].widget.attrs["aria-label"] = f"Title of {which}"
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete {which}"


class AgendaItemInline(admin.TabularInline):
    """The agenda in one place, in order: each item's title, what kind of item it is, and from its
    row its own page, its report, and Move up / Move down (buttons of the meeting's form, so they
    work without JavaScript and keep whatever else was typed). The numbers follow the order: a new
    item goes at the end, and the agenda closes up when one is deleted (MeetingAdmin.save_formset)."""

    model = AgendaItem
    formset = AgendaFormSet
    extra = 0
    fields = ["number", "title", "about", "tools"]
    readonly_fields = ["number", "about", "tools"]
    classes = ["app-agenda"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("report")

    def get_formset(self, request, obj=None, **kwargs):
        self.last_number = obj.items.aggregate(last=Max("number"))["last"] if obj is not None else None
        self.can_change = self.has_change_permission(request, obj)  # a reader is offered no moves
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="Kind")
    def about(self, item):
        tags = []
        if item.kind == AgendaItem.Kind.PREVIOUS_MINUTES:
            tags.append("Note of the previous meeting")
        if item.standing:
            tags.append("Standing item")
        if item.confidential:
            tags.append("Not for publication")
        if item.pk:
            tags.append("Report" if hasattr(item, "report") else "No report")
        return format_html_join(mark_safe("<br>"), "{}", ((tag,) for tag in tags)) or "–"

    @admin.display(description="Item, report and place")
    def tools(self, item):
        if not item.pk:
            return "Saved at the end of the agenda"
        number = item.number
        if hasattr(item, "report"):
            report = format_html(
                '<a href="{}">Edit report<span class="visually-hidden"> of item {}</span></a>',
                reverse("admin:meetings_report_change", args=[item.report.pk]),
                number,
            )
        elif not self.can_change:
            report = ""
        else:
            report = format_html(
                '<a href="{}?item={}">Add report<span class="visually-hidden"> to item {}</span></a>',
                reverse("admin:meetings_report_add"),
                item.pk,
                number,
            )
        if self.can_change:  # the report's sections filled from the clerk's .docx, previewed first
            report = format_html(
                '{} <a href="{}">Report from Word…<span class="visually-hidden"> for item {}</span></a>',
                report,
                reverse("admin:meetings_report_from_word", args=[item.pk]),
                number,
            )
        moves = [
            format_html(
                '<button type="submit" class="button" name="_move" value="{}:{}">{}'
                '<span class="visually-hidden"> item {}</span></button>',
                item.pk,
                direction,
                label,
                number,
            )
            for direction, label, possible in [
                ("up", "Move up", number > 1),
                ("down", "Move down", self.last_number is not None and number < self.last_number),
            ]
            if possible and self.can_change
        ]
        edit = format_html(
            '<a href="{}">Edit item<span class="visually-hidden"> {}</span></a>',
            reverse("admin:meetings_agendaitem_change", args=[item.pk]),
            number,
        )
        return format_html(
            '<span class="app-agenda__tools">{}</span>',
            format_html_join(" ", "{}", ((p,) for p in [edit, report, *moves])),
        )


class PackRevisionInline(admin.TabularInline):
    """The pack's published versions: read only; new ones come from the 'publish the changes' action."""

    model = PackRevision
    extra = 0
    can_delete = False
    fields = ["number", "published_at", "published_by", "note", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(KeepsSearchCurrentMixin, ReportsFromWordMeetingMixin, HistoryAdmin):
    list_display = ["__str__", "date", "venue", "status", "published_at"]
    list_filter = ["board", "board_year", "status"]
    search_fields = ["board__name", "items__title"]
    date_hierarchy = "date"
    # Plain lists rather than autocomplete boxes: they work without JavaScript and have their labels.
    readonly_fields = [
        "status",
        "published_at",
        "published_by",
        "notice_clear_days",
        "last_publishing",
        "papers",
        "emails",
    ]
    inlines = [AgendaItemInline, PackRevisionInline]
    actions = ["publish", "publish_changes"]

    @admin.display(description="Last publication")
    def last_publishing(self, meeting):
        """What became of the last request to publish (it runs in the background), with its page."""
        last = meeting.publishings.first() if meeting.pk else None
        if last is None:
            return "–"
        state = "Taking too long" if last.timed_out else last.get_status_display()
        return format_html('<a href="{}">{}: {}</a>', publishing_url(last), last, state)

    @admin.display(description="Board papers")
    def papers(self, meeting):
        """Export for the clerk: the pack as a PDF, and the pages it is made from."""
        if not meeting.pk:
            return "–"
        kwargs = {"board_slug": meeting.board.slug, "date": meeting.date}
        return format_html(
            '<a href="{}">Export the agenda pack (PDF)</a> · <a href="{}">View the pack</a>',
            reverse("meetings:pack_pdf", kwargs=kwargs),
            reverse("meetings:meeting_detail", kwargs=kwargs),
        )

    @admin.display(description="E-mails")
    def emails(self, meeting):
        """Who was told that its papers are out, counted, with the page that names each."""
        if not meeting.pk:
            return "–"
        counts = notification_counts(meeting)
        if not counts:
            return "None yet: members and contact officers are e-mailed when it is published or released."
        return format_html(
            '{}. <a href="{}">Who was e-mailed, and any that failed</a>',
            counts_summary(counts).capitalize(),
            reverse("admin:meetings_meeting_emails", args=[meeting.pk]),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "released_to_members" in form.changed_data and form.instance.released_to_members:
            self._release_to_members(request, form.instance)

    def _release_to_members(self, request, meeting):
        """The box newly ticked, once the agenda is saved too: the members are told by e-mail."""
        if meeting.is_published:
            return
        told = services.meeting_release_to_members(meeting=meeting)
        sending = sum(notification.status == Notification.Status.QUEUED for notification in told)
        self.message_user(
            request,
            f"The draft is released to the board's members: {sending} e-mailed, {len(told) - sending} "
            "not told (no address, or e-mails turned off). The meeting's “E-mails” says what became of them.",
            messages.SUCCESS,
        )

    @admin.action(description="Publish the selected meetings")
    def publish(self, request, queryset):
        return self._request_publishing(request, queryset, Publishing.Kind.PUBLISH)

    @admin.action(description="Publish the changes to the selected packs as a revision")
    def publish_changes(self, request, queryset):
        return self._request_publishing(request, queryset, Publishing.Kind.CHANGES)

    def _request_publishing(self, request, queryset, kind):
        """Publishing runs in the background: the clerk is sent to its page, which says how it is
        going and refreshes itself until it is done (one meeting), or given a link to each."""
        started = []
        for meeting in queryset:
            try:
                started.append(services.publishing_request(meeting=meeting, kind=kind, by=request.user))
            except ValidationError as error:
                level = messages.ERROR if kind == Publishing.Kind.PUBLISH else messages.WARNING
                self.message_user(request, f"{meeting} was not published: {' '.join(error.messages)}", level)
        if len(started) == 1 and len(queryset) == 1:
            return redirect(publishing_url(started[0]))
        if started:
            links = format_html_join(
                ", ", '<a href="{}">{}</a>', ((publishing_url(p), p.meeting) for p in started)
            )
            self.message_user(request, format_html("Publishing in the background: {}.", links), messages.INFO)
        return None

    def save_formset(self, request, form, formset, change):
        """Agenda items: a new one is numbered at the end, and the agenda closes up over a deleted one."""
        if formset.model is not AgendaItem:
            return super().save_formset(request, form, formset, change)
        meeting = form.instance
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one agenda save at a time
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            item.delete()
        last = meeting.items.aggregate(last=Max("number"))["last"] or 0
        for item in items:
            if item.pk is None:
                last += 1
                item.number = last
            item.save()
        formset.save_m2m()
        if formset.deleted_objects:
            services.agenda_number_in_order(meeting)

    def response_change(self, request, obj):
        """Move up / Move down on an item's row: the meeting's form is saved first (nothing typed is
        lost), then the item moves and the clerk is back at the agenda."""
        if "_move" not in request.POST:
            return super().response_change(request, obj)
        item_id, _, direction = request.POST["_move"].partition(":")
        item_id = parse_id(item_id)
        item = (
            obj.items.filter(pk=item_id).first()
            if item_id is not None and direction in ("up", "down")
            else None
        )
        if item is None:
            self.message_user(request, "That item is not on this agenda: nothing was moved.", messages.ERROR)
        elif services.agenda_move(item=item, up=direction == "up"):
            item.refresh_from_db(fields=["number"])
            self.message_user(request, f"{item.title} is now item {item.number}.", messages.SUCCESS)
        else:
            place = "first" if direction == "up" else "last"
            self.message_user(request, f"{item.title} is already {place}.", messages.WARNING)
        return redirect(reverse("admin:meetings_meeting_change", args=[obj.pk]) + "#items-group")

    def get_urls(self):
        return [
            path(
                "<int:meeting_id>/next/",
                self.admin_site.admin_view(self.next_meeting_view),
                name="meetings_meeting_next",
            ),
            path(
                "<int:meeting_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="meetings_meeting_publish",
            ),
            path(
                "<int:meeting_id>/publish/preview.pdf",
                self.admin_site.admin_view(self.publish_preview_view),
                name="meetings_meeting_publish_preview",
            ),
            path(
                "<int:meeting_id>/publishing/<int:publishing_id>/",
                self.admin_site.admin_view(self.publishing_view),
                name="meetings_meeting_publishing",
            ),
            path(
                "<int:meeting_id>/emails/",
                self.admin_site.admin_view(self.emails_view),
                name="meetings_meeting_emails",
            ),
            *super().get_urls(),
        ]

    def _meeting_to_publish(self, request, meeting_id) -> Meeting:
        if meeting_id > BIGGEST_ID:  # beyond what a database can hold: no such row
            raise Http404("No such meeting.")
        meeting = get_object_or_404(Meeting.objects.select_related("board", "venue"), pk=meeting_id)
        if not self.has_change_permission(request, meeting):
            raise Http404("No such meeting.")
        return meeting

    def next_meeting_view(self, request, meeting_id):
        """Make the board's next meeting from this one: its arrangements and standing items."""
        if not self.has_add_permission(request):
            raise Http404("No such meeting.")
        previous = self._meeting_to_publish(request, meeting_id)
        form = NextMeetingForm(request.POST or None)
        if form.is_valid():
            try:
                meeting = services.meeting_from_previous(previous=previous, on=form.cleaned_data["date"])
            except ValidationError as error:
                form.add_error("date", error)
            else:
                self.log_addition(request, meeting, f"Made from {previous}.")
                items = meeting.items.count()
                self.message_user(
                    request,
                    f"{meeting} made from {previous.date:%-d %B %Y}: its arrangements and {items} standing "
                    f"item{'s' if items != 1 else ''}. Change what differs and add the new items.",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        standing = list(previous.items.filter(standing=True).order_by("number"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Make the next meeting from {previous}",
            "opts": self.opts,
            "previous": previous,
            "form": form,
            "standing": standing,
            "carried": [
                previous._meta.get_field(name).verbose_name for name in services.CARRIED_ARRANGEMENTS
            ],
        }
        return TemplateResponse(request, "admin/meetings/meeting/next_meeting.html", context)

    def publish_view(self, request, meeting_id):
        """The meeting's own Publish page: the check list (what refuses publishing, what to know
        first), a preview of the pack PDF as the public will receive it, then Publish. For a
        published meeting, what changed since its last revision and the clerk's own words on what
        changed and why, then Publish the changes."""
        meeting = self._meeting_to_publish(request, meeting_id)
        kind = Publishing.Kind.CHANGES if meeting.is_published else Publishing.Kind.PUBLISH
        form = PublishForm(
            request.POST if request.method == "POST" else None, revision=kind == Publishing.Kind.CHANGES
        )
        if request.method == "POST" and form.is_valid():
            try:
                started = services.publishing_request(
                    meeting=meeting, kind=kind, by=request.user, note=form.cleaned_data.get("note", "")
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(publishing_url(started))
        checks = publication_checks(meeting, timezone.localdate()) if kind == Publishing.Kind.PUBLISH else []
        context = {
            **self.admin_site.each_context(request),
            "title": f"Publish the changes to {meeting}" if meeting.is_published else f"Publish {meeting}",
            "opts": self.opts,
            "meeting": meeting,
            "form": form,
            "checks": checks,
            "refused": any(check.ok is False for check in checks),
            "changes": changes_to_publish(meeting) if kind == Publishing.Kind.CHANGES else [],
            "latest": meeting.revisions.order_by("-number").first(),
        }
        return TemplateResponse(request, "admin/meetings/meeting/publish.html", context)

    def publish_preview_view(self, request, meeting_id):
        """The pack PDF exactly as a member of the public will receive it once published (no
        confidential item; generated annexes with the figures as they stand now)."""
        meeting = self._meeting_to_publish(request, meeting_id)
        filename = f"{meeting.board.slug}-{meeting.date}-agenda-pack-preview.pdf"
        return pdf_response(rendering.render_pack_pdf(meeting, reader=selectors.ANONYMOUS), filename)

    def publishing_view(self, request, meeting_id, publishing_id):
        """How a publication is going: refreshes itself (no JavaScript) until it is done; says why
        if it failed, with a button to try again."""
        if max(meeting_id, publishing_id) > BIGGEST_ID:  # beyond what a database can hold: no such row
            raise Http404("No such publication.")
        publishing = get_object_or_404(
            Publishing.objects.select_related("meeting__board", "revision", "requested_by"),
            pk=publishing_id,
            meeting_id=meeting_id,
        )
        if not self.has_change_permission(request, publishing.meeting):
            raise Http404("No such publication.")
        if request.method == "POST":
            try:
                again = services.publishing_retry(publishing=publishing, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                return redirect(publishing_url(again))
        meeting = publishing.meeting
        context = {
            **self.admin_site.each_context(request),
            "title": f"{publishing.get_kind_display()} of {meeting}",
            "opts": self.opts,
            "meeting": meeting,
            "publishing": publishing,
            "late_warning": services.late_publication_warning(meeting)
            if publishing.status == Publishing.Status.DONE and publishing.kind == Publishing.Kind.PUBLISH
            else "",
            # Refreshing is the clerk's to stop (WCAG 2.2.1): "?refresh=off" keeps the page still.
            "refreshing": publishing.is_active and not publishing.timed_out,
            "refresh_seconds": REFRESH_SECONDS if request.GET.get("refresh") != "off" else None,
            "email_rounds": (
                notification_rounds(meeting, publishing.revision) if publishing.revision_id else []
            ),
        }
        return TemplateResponse(request, "admin/meetings/meeting/publishing.html", context)

    def emails_view(self, request, meeting_id):
        """Who was e-mailed that the meeting's papers are out, occasion by occasion: how many were
        sent, each that failed with its address and error, and who was not told and why; "Send
        again" (POST) queues the failed ones again, and those of people who now have an address."""
        meeting = self._meeting_to_publish(request, meeting_id)
        if request.method == "POST":
            queued = notifications.notifications_send_again(meeting=meeting)
            self.log_change(request, meeting, f"E-mails about its papers sent again: {queued}.")
            self.message_user(
                request, f"Sending {queued} e-mail{'s' if queued != 1 else ''} again.", messages.SUCCESS
            )
            back = request.POST.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                back, {request.get_host()}, require_https=request.is_secure()
            )
            return redirect(back if safe and back else request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": f"E-mails about {meeting}",
            "opts": self.opts,
            "meeting": meeting,
            "email_rounds": notification_rounds(meeting),
        }
        return TemplateResponse(request, "admin/meetings/meeting/emails.html", context)

    def search_refresh_for(self, obj):
        search_refresh_meeting(obj)


REFRESH_SECONDS = 3  # how often the page of a publication under way reloads itself


def publishing_url(publishing: Publishing) -> str:
    return reverse("admin:meetings_meeting_publishing", args=[publishing.meeting_id, publishing.pk])


class ReportInline(admin.StackedInline):
    model = Report
    extra = 0
    max_num = 1
    show_change_link = True
    form = VersionedModelForm
    # The clerk writes a short report here, on the item's page; the rest of the front sheet,
    # recommendations, contacts and annexes are on the report's own page ("Change").
    fields = [
        "title",
        ("for_information", "for_discussion", "for_decision", "for_direction"),
        "purpose_text",
        "summary",
        "body",
        "edit_version",
    ]


@admin.register(AgendaItem)
class AgendaItemAdmin(KeepsSearchCurrentMixin, HistoryAdmin):
    """An item and its report. Saving goes back to the item's meeting, where the agenda is."""

    list_display = ["__str__", "meeting", "confidential"]
    list_filter = ["meeting__board", "meeting", "confidential"]
    search_fields = ["title", "report__body"]
    inlines = [ReportInline]
    fieldsets = [
        (None, {"fields": ["meeting", "number", "title", "kind", "note", "standing"]}),
        (
            "Not for publication",
            {
                "fields": ["confidential", "exemption", "exemption_reason"],
                "description": "The public sees the title, the category and the reason; members of "
                "the board and clerks see the report, marked confidential.",
            },
        ),
    ]

    def response_change(self, request, obj):
        if {"_continue", "_addanother", "_saveasnew", "_popup"} & set(request.POST):
            return super().response_change(request, obj)
        self.message_user(request, f"Item {obj.number} ({obj.title}) was changed.", messages.SUCCESS)
        return redirect(reverse("admin:meetings_meeting_change", args=[obj.meeting_id]))

    def search_refresh_for(self, obj):
        search_refresh_minutes(obj.meeting)


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class ReportContactInline(admin.TabularInline):
    model = ReportContact
    extra = 0
    autocomplete_fields = ["person"]


class AnnexInline(admin.StackedInline):
    model = Annex
    extra = 0


# Inlines from later apps: an app that links its own rows to reports or actions (mou: the MoU
# deliverables a paper or action concerns) adds its inline to `ReportAdmin.inlines` or
# `ActionAdmin.inlines` from its own admin.py, after these; meetings imports no later app. Admin
# modules are imported in INSTALLED_APPS order (meetings first), before the first request.


@admin.register(Report)
class ReportAdmin(ReportFromWordAdminMixin, StaleEditAdminMixin, HistoryAdmin):
    form = VersionedModelForm
    list_display = ["__str__", "item", "purpose_label"]
    list_filter = ["item__meeting__board", "item__meeting"]
    search_fields = ["title", "item__title", "summary", "body"]
    inlines = [RecommendationInline, ReportContactInline, AnnexInline]  # and later apps' (see above)
    fieldsets = [
        # edit_version: the version opened, so a save over someone else's newer one is refused.
        (None, {"fields": ["item", "title", "edit_version"]}),
        (
            "Purpose",
            {
                "fields": [
                    ("for_information", "for_discussion", "for_decision", "for_direction"),
                    "purpose_text",
                ]
            },
        ),
        ("Front sheet", {"fields": ["summary", "recommendations_intro", "action"]}),
        ("Report", {"fields": ["body", "implications_for_wales", "financial_implications", "next_steps"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Adding a report from an item's row (?item=…): the list holds that item alone, not every
        meeting's items; otherwise the items that have no report yet, latest meeting first."""
        if db_field.name == "item":
            items = AgendaItem.objects.select_related("meeting__board").order_by("-meeting__date", "number")
            chosen = parse_id(request.GET.get("item", ""))
            if chosen is not None and items.filter(pk=chosen).exists():
                kwargs["queryset"] = items.filter(pk=chosen)
            elif request.resolver_match and request.resolver_match.url_name.endswith("_add"):
                kwargs["queryset"] = items.filter(report__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _back_to_the_agenda(self, request, obj, response):
        if {"_continue", "_addanother", "_saveasnew", "_popup"} & set(request.POST):
            return response
        return redirect(reverse("admin:meetings_meeting_change", args=[obj.item.meeting_id]) + "#items-group")

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_the_agenda(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._back_to_the_agenda(request, obj, super().response_change(request, obj))


class LockedWhenApprovedMixin:
    """Approved minutes are read-only here; changes go through a recorded correction."""

    def _approved(self, obj) -> bool:
        minutes = obj.minutes_for_lock() if obj is not None and hasattr(obj, "minutes_for_lock") else obj
        return bool(minutes is not None and getattr(minutes, "is_approved", False))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._approved(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._approved(obj)

    def has_add_permission(self, request, obj=None):
        # Inlines are asked about their parent; a model admin only about the model.
        if isinstance(self, admin.options.InlineModelAdmin):
            allowed = super().has_add_permission(request, obj)
        else:
            allowed = super().has_add_permission(request)
        return allowed and not self._approved(obj)


class AttendanceInline(LockedWhenApprovedMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "authority", "substitute_for"]
    fields = [
        "order", "person", "category", "status", "role", "authority",
        "substitute_for", "organisation", "position",
    ]  # fmt: skip


class DeclarationInline(LockedWhenApprovedMixin, admin.TabularInline):
    model = Declaration
    extra = 0
    autocomplete_fields = ["person"]


class MinuteEntryInline(LockedWhenApprovedMixin, admin.TabularInline):
    model = MinuteEntry
    extra = 0
    fields = ["agenda_item", "order", "heading", "introduced_by", "entry_link"]
    readonly_fields = ["entry_link"]
    autocomplete_fields = ["introduced_by"]

    @admin.display(description="Discussion, decisions, actions")
    def entry_link(self, entry):
        if not entry.pk:
            return "–"
        url = reverse("admin:meetings_minuteentry_change", args=[entry.pk])
        return format_html('<a href="{}">Write the note of this item</a>', url)


@admin.register(Minutes)
class MinutesAdmin(KeepsSearchCurrentMixin, LockedWhenApprovedMixin, HistoryAdmin):
    """Attendance for the whole meeting in one form, declarations, and the items of the note."""

    list_display = ["__str__", "status", "approved_at_meeting"]
    list_filter = ["status", "meeting__board"]
    readonly_fields = ["status", "approved_at_meeting", "approved_at"]
    inlines = [AttendanceInline, DeclarationInline, MinuteEntryInline]
    actions = ["approve_at_next_meeting"]

    @admin.action(description="Agreed as a correct record at the board's next meeting")
    def approve_at_next_meeting(self, request, queryset):
        for minutes in queryset.select_related("meeting"):
            later = selectors.next_meeting(minutes.meeting)
            try:
                if later is None:
                    raise ValidationError("The board has no later meeting to approve them.")
                services.minutes_approve(minutes=minutes, at_meeting=later, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{minutes}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{minutes} approved at the meeting of {later.date:%-d %B %Y}.")

    def search_refresh_for(self, obj):
        search_refresh_minutes(obj.meeting)


class DiscussionPointInline(LockedWhenApprovedMixin, admin.TabularInline):
    model = DiscussionPoint
    extra = 0


class DecisionInline(LockedWhenApprovedMixin, admin.TabularInline):
    model = Decision
    extra = 0


class ActionInline(LockedWhenApprovedMixin, admin.TabularInline):
    model = Action
    extra = 0
    autocomplete_fields = ["owner"]
    fields = ["number", "text", "owner", "owner_label", "due_date", "status"]


@admin.register(Decision)
class DecisionAdmin(KeepsSearchCurrentMixin, LockedWhenApprovedMixin, HistoryAdmin):
    """Decisions are entered with their minute entry; listed here to find and link them."""

    list_display = ["text", "outcome", "entry"]
    list_filter = ["outcome", "entry__minutes__meeting__board", "entry__minutes__meeting"]
    search_fields = ["text", "entry__agenda_item__title"]

    def search_refresh_for(self, obj):
        search_refresh_minutes(obj.entry.minutes.meeting)


@admin.register(MinuteEntry)
class MinuteEntryAdmin(KeepsSearchCurrentMixin, LockedWhenApprovedMixin, HistoryAdmin):
    """One item of the note, with its discussion points, decisions and actions inline."""

    list_display = ["__str__", "minutes"]
    list_filter = ["minutes__meeting__board", "minutes"]
    search_fields = ["narrative", "heading", "agenda_item__title"]
    autocomplete_fields = ["introduced_by"]
    inlines = [DiscussionPointInline, DecisionInline, ActionInline]

    def search_refresh_for(self, obj):
        search_refresh_minutes(obj.minutes.meeting)


class ActionProgressInline(admin.TabularInline):
    model = ActionProgress
    extra = 1
    fields = ["date", "text", "entered_by"]
    readonly_fields = ["entered_by"]


@admin.register(Action)
class ActionAdmin(KeepsSearchCurrentMixin, HistoryAdmin):
    """Progress on actions stays open after the minutes are approved: it is not part of them."""

    list_display = ["text", "owner_display", "status", "due_date", "entry"]
    list_filter = ["status", "entry__minutes__meeting__board", "entry__minutes__meeting"]
    search_fields = ["text", "owner__last_name", "owner_label"]
    inlines = [ActionProgressInline]  # and later apps' ("Inlines from later apps", above ReportAdmin)

    def get_readonly_fields(self, request, obj=None):
        # The action's wording is part of the approved note; only its status moves on.
        if obj is not None and obj.entry.minutes.is_approved:
            return ["entry", "number", "text", "owner", "owner_label", "due_date"]
        return []

    def save_model(self, request, obj, form, change):
        # The status lives outside the note's wording, so it may change after approval.
        obj.save(allow_correction=set(form.changed_data) <= {"status"})

    def save_formset(self, request, form, formset, change):
        for progress in formset.save(commit=False):
            progress.entered_by = progress.entered_by or request.user
            progress.save()
        for removed in formset.deleted_objects:
            removed.delete()

    def search_refresh_for(self, obj):
        search_refresh_minutes(obj.entry.minutes.meeting)
