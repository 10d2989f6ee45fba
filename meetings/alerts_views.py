"""The public's e-mail alerts: asking for them (one address, one board), confirming them from the
e-mail (double opt-in), and unsubscribing in one click, also from the mail program (RFC 8058).
Thin views: the services are in meetings/notifications.py."""

import ipaddress

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from lgaboard.throttle import Throttle, client_address

from . import notifications
from .models import Board, Subscription
from .rendering import breadcrumbs_for
from .selectors import board_by_slug

ASKS_AN_HOUR = 5  # per client (an IPv6 client by its /64) and per mailbox, as for password resets
ASKS_AN_HOUR_PER_BOARD = 200  # however many clients and addresses: no board's form sends a flood


def client_key(request) -> str:
    """The client as one host: an IPv6 address by its /64, which one host may hold whole."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


def mailbox_key(email: str) -> str:
    """One mailbox however it is written: 'Name+1@Example.org' is 'name@example.org'."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


class AlertsForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )


def _board(slug: str) -> Board:
    return board_by_slug(slug)[0]  # a former name's address still reaches the board


class AlertsView(View):
    """/boards/<slug>/alerts/: the form, and what happens when it is sent."""

    def get(self, request, board_slug):
        board, renamed = board_by_slug(board_slug)
        if renamed:
            return redirect("meetings:alerts", board_slug=board.slug, permanent=True)
        return self._page(request, board, AlertsForm())

    def post(self, request, board_slug):
        board = _board(board_slug)
        form = AlertsForm(request.POST)
        if not form.is_valid():
            return self._page(request, board, form, status=400)
        email = form.cleaned_data["email"]
        throttle = Throttle("alerts", limit=ASKS_AN_HOUR, period=60 * 60)
        board_throttle = Throttle("alerts-board", limit=ASKS_AN_HOUR_PER_BOARD, period=60 * 60)
        if throttle.allow(client_key(request), mailbox_key(email)) and board_throttle.allow(board.slug):
            notifications.subscription_request(board=board, email=email)
        # The same answer whatever became of it: it tells no one whether an address is subscribed.
        return self._page(request, board, form, sent_to=email)

    def _page(self, request, board, form, *, sent_to=None, status=200):
        context = {"board": board, "form": form, "sent_to": sent_to, "breadcrumbs": breadcrumbs_for(board)}
        return render(request, "meetings/alerts.html", context, status=status)


class AlertsConfirmView(View):
    """The link in the confirming e-mail: a page with a button (fetching the link confirms nothing)."""

    def get(self, request, token):
        subscription = _subscription(token)
        return render(request, "meetings/alerts_link.html", {"subscription": subscription, "step": "confirm"})

    def post(self, request, token):
        subscription = notifications.subscription_confirm(token=token)
        if subscription is None:
            raise Http404("That link is unknown or too old.")
        return render(
            request, "meetings/alerts_link.html", {"subscription": subscription, "step": "confirmed"}
        )


@method_decorator(csrf_exempt, name="dispatch")  # mail programs POST without a form token (RFC 8058)
class AlertsUnsubscribeView(View):
    """The link in every alert: a page with a button, or one click from the mail program. The
    secret token in the address is what proves the right to unsubscribe."""

    def get(self, request, token):
        subscription = _subscription(token)
        return render(
            request, "meetings/alerts_link.html", {"subscription": subscription, "step": "unsubscribe"}
        )

    def post(self, request, token):
        notifications.subscription_cancel(token=token)  # already gone: the same answer
        return render(request, "meetings/alerts_link.html", {"subscription": None, "step": "unsubscribed"})


def _subscription(token: str) -> Subscription:
    subscription = Subscription.objects.select_related("board").filter(token=token).first()
    if subscription is None:
        raise Http404("That link is unknown or too old.")
    return subscription
