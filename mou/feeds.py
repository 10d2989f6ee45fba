"""The MoU's quarterly reports as an Atom feed: each quarter of a published MoU as its returns are
approved (the public read approved figures only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from lgaboard.site import tag_uri

from . import selectors


class QuarterlyReportsFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Board papers"
    title = "Memorandum of Understanding: quarterly progress reports"
    subtitle = "Each quarter's progress report as its deliverables' returns are approved."

    def link(self):
        return reverse("mou:mou_list")

    def feed_url(self):
        return reverse("mou:quarterly_reports_feed")

    def items(self):
        return selectors.quarterly_report_news()

    def item_title(self, news):
        approved = f"{news.approved} of {news.deliverables} returns approved"
        return f"Quarter {news.quarter} of {news.mou.label}: {approved}"

    def item_description(self, news):
        return (
            f"The progress report on {news.mou.title}, quarter {news.quarter}: the figures of the "
            f"{news.approved} deliverables whose returns are approved, with totals and percentages to date."
        )

    def item_link(self, news):
        return reverse("mou:quarterly_report", kwargs={"year": news.mou.slug, "quarter": news.quarter})

    def item_guid(self, news):
        return tag_uri(f"mou-{news.mou.slug}-q{news.quarter}")

    item_guid_is_permalink = False

    def item_updateddate(self, news):
        return news.approved_at

    def item_pubdate(self, news):
        return news.approved_at
