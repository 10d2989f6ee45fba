"""A base table so every list in the portal looks and sorts the same way (GOV.UK table styles)."""

import django_tables2 as tables


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
