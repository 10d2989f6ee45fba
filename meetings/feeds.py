"""A board's Atom feed (Django's syndication framework): papers published and revised, minutes
approved. A publication the portal has no time for (the demo's packs, published with the printed
papers) is left out: Atom needs one, and none is invented."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from lgaboard.site import tag_uri

from . import selectors
from .models import Board


class BoardFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Board papers"

    def get_object(self, request, board_slug):
        board = Board.objects.filter(slug=board_slug).first()
        if board is None:
            raise Http404("No such board.")
        return board

    def title(self, board):
        return f"{board.name}: papers and minutes"

    def subtitle(self, board):
        return (
            f"The {board.name}'s agenda papers as they are published and revised, and its minutes as "
            "they are approved."
        )

    def link(self, board):
        return reverse("meetings:board_detail", kwargs={"board_slug": board.slug})

    def feed_url(self, board):
        return reverse("meetings:board_feed", kwargs={"board_slug": board.slug})

    def items(self, board):
        return selectors.board_news(board)

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return linebreaksbr(entry.text)  # escaped, then its lines kept

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        """An identity that stays the entry's wherever the feed is read from (RFC 4151 tag URI)."""
        return tag_uri(entry.guid)

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.when

    def item_updateddate(self, entry):
        return entry.when


BOARD_FEED = BoardFeed()


def board_feed(request, board_slug):
    """The feed; at a former name's address, a permanent redirect to the board's (readers follow it)."""
    board, renamed = selectors.board_by_slug(board_slug)
    if renamed:
        return redirect("meetings:board_feed", board_slug=board.slug, permanent=True)
    return BOARD_FEED(request, board_slug=board_slug)
