"""A base table so every list in the portal looks and sorts the same way (GOV.UK table styles)."""

import django_tables2 as tables

from lgaboard.fingerprints import fingerprint


class PortalTable(tables.Table):
    class Meta:
        template_name = "django_tables2/govuk_table.html"
        attrs = {
            "class": "govuk-table",
            "thead": {"class": "govuk-table__head"},
            "tbody": {"class": "govuk-table__body"},
            "th": {"class": "govuk-table__header", "scope": "col"},
            "td": {"class": "govuk-table__cell"},
        }
        row_attrs = {"class": "govuk-table__row"}

    def fingerprint(self) -> str:
        """What the rendered table shows, to keep it under (`{% cache %}`): its rows on this page with
        what was loaded with them, its order, where the page is in the list, and the address's query,
        which its sorting and page links keep. Rendering a table costs far more than this."""
        rows = list(self.paginated_rows.data)  # the records: making rows would move their odd/even
        page = getattr(self, "page", None)
        request = getattr(self, "request", None)
        return fingerprint(
            type(self).__qualname__,
            rows,
            [str(self.order_by)],
            [page.number, self.paginator.count] if page else [],
            sorted(request.GET.lists()) if request else [],
        )
