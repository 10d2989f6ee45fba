"""A forgotten password: a one-time link by e-mail, on the portal's own pages, limited per address."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lgaboard.mail import RedirectThenSend

pytestmark = pytest.mark.django_db

FORGOTTEN = "/sign-in/forgotten-password/"
SENT = "/sign-in/forgotten-password/sent/"
EXPIRED = "This link has expired or has been used"
TOO_MANY = "Too many requests to reset a password have been made. Try again in an hour."


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The throttle counts in the default cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member():
    return get_user_model().objects.create_user(
        "judi", email="judi.billing@example.org", password="the-old-long-password", first_name="Judi"
    )


def link_in(message) -> str:
    return re.search(r"http://testserver(/sign-in/reset/\S+/)", message.body).group(1)


def ask_for_link(client, email, address="127.0.0.1"):
    return client.post(FORGOTTEN, {"email": email}, REMOTE_ADDR=address)


def test_a_member_resets_her_password_and_signs_in_with_it(client, member, mailoutbox):
    sign_in = client.get("/sign-in/")
    assert f'<a class="govuk-link" href="{FORGOTTEN}">Forgotten your password?</a>' in sign_in.text

    form = client.get(FORGOTTEN)
    assert '<h1 class="govuk-heading-xl">Reset your password</h1>' in form.text
    assert 'autocomplete="email"' in form.text
    assert "The link works once, and for 1\xa0day." in form.text

    sent = client.post(FORGOTTEN, {"email": "judi.billing@example.org"}, follow=True)
    assert sent.redirect_chain == [(SENT, 302)]
    assert "If an account uses that address, we have sent a link to it" in sent.text
    assert "The link works once, and for 1\xa0day." in sent.text

    [message] = mailoutbox
    assert message.subject == "Reset your password for the board papers portal"
    assert message.from_email == "Board papers <noreply@localhost>"
    assert message.to == ["judi.billing@example.org"]
    assert message.alternatives == []  # plain text only
    assert "Hello Judi," in message.body
    assert "your account on the board papers portal at testserver" in message.body
    assert "The link works once, and for 1\xa0day. Your username is judi." in message.body
    assert "If you did not ask to reset your password, you can ignore this email" in message.body
    link = link_in(message)

    choose = client.get(link, follow=True)
    uid = link.split("/")[3]
    # The token leaves the address before the form shows, so no Referer can carry it away.
    assert choose.redirect_chain == [(f"/sign-in/reset/{uid}/set-password/", 302)]
    assert '<h1 class="govuk-heading-xl">Choose a new password</h1>' in choose.text
    assert choose.text.count('autocomplete="new-password"') == 2
    assert "Your password must contain at least 8 characters." in choose.text

    new = {"new_password1": "quarterly-returns-2017", "new_password2": "quarterly-returns-2017"}
    done = client.post(f"/sign-in/reset/{uid}/set-password/", new, follow=True)
    assert done.redirect_chain == [("/sign-in/reset/done/", 302)]
    assert '<h1 class="govuk-heading-xl">Your password has been changed</h1>' in done.text
    assert 'href="/sign-in/"' in done.text

    old = client.post("/sign-in/", {"username": "judi", "password": "the-old-long-password"})
    assert "Please enter a correct username and password" in old.text
    new_sign_in = {"username": "judi", "password": "quarterly-returns-2017"}
    signed_in = client.post("/sign-in/", new_sign_in, follow=True)
    assert "Signed in as Judi" in signed_in.text

    again = Client().get(link)
    assert again.status_code == 200
    assert f'<h1 class="govuk-heading-xl">{EXPIRED}</h1>' in again.text
    assert f'<a class="govuk-link" href="{FORGOTTEN}">Ask for a new link</a>' in again.text
    assert "new_password1" not in again.text


def test_staff_may_reset_theirs_too(client, django_user_model, mailoutbox):
    django_user_model.objects.create_superuser("clerk-x", email="clerk@example.org", password="x")
    client.post(FORGOTTEN, {"email": "CLERK@example.org"})
    assert [message.to for message in mailoutbox] == [["clerk@example.org"]]


@pytest.mark.parametrize(
    "account",
    [
        None,  # no account uses the address
        {"is_active": False},
        {"password": None},  # no usable password: signs in some other way, if at all
    ],
)
def test_an_address_that_gets_no_email_gets_the_same_answer(client, member, mailoutbox, account):
    if account is not None:
        get_user_model().objects.create_user("other", email="other@example.org", **account)
    known = ask_for_link(client, "judi.billing@example.org")
    mailoutbox.clear()
    unknown = ask_for_link(client, "other@example.org")
    assert mailoutbox == []
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"]) == (302, SENT)
    assert unknown.content == known.content == b""


def test_the_email_goes_once_the_answer_has_been_delivered():
    sent = []
    response = RedirectThenSend(SENT, sends=[lambda: sent.append("e-mail")])
    assert sent == []
    response.close()
    response.close()
    assert sent == ["e-mail"]


@override_settings(PASSWORD_RESET_LIMIT=5)
def test_a_sixth_request_from_one_address_in_an_hour_is_refused(client, member, mailoutbox):
    for n in range(5):
        assert ask_for_link(client, f"someone-{n}@example.org").status_code == 302
    refused = ask_for_link(client, "judi.billing@example.org")
    assert refused.status_code == 429
    assert "<title>Error: Reset your password – Board papers</title>" in refused.text
    assert f'<a href="#id_email">{TOO_MANY}</a>' in refused.text
    assert f'<span class="govuk-visually-hidden">Error:</span> {TOO_MANY}</p>' in refused.text
    assert 'value="judi.billing@example.org"' in refused.text
    assert mailoutbox == []
    # Another address is not held back by it.
    assert ask_for_link(client, "judi.billing@example.org", address="192.0.2.7").status_code == 302
    assert len(mailoutbox) == 1


@override_settings(PASSWORD_RESET_LIMIT=5)
def test_a_sixth_request_for_one_email_address_in_an_hour_is_refused(member, mailoutbox):
    for n in range(5):
        answer = ask_for_link(Client(), "judi.billing@example.org", address=f"198.51.100.{n}")
        assert answer.status_code == 302
    assert len(mailoutbox) == 5
    refused = ask_for_link(Client(), "Judi.Billing@EXAMPLE.org", address="203.0.113.9")
    assert refused.status_code == 429
    assert TOO_MANY in refused.text
    assert len(mailoutbox) == 5


def test_a_request_that_claims_to_be_forwarded_is_counted_by_its_real_address(client, mailoutbox):
    with override_settings(PASSWORD_RESET_LIMIT=1):
        client.post(FORGOTTEN, {"email": "a@example.org"}, HTTP_X_FORWARDED_FOR="192.0.2.1")
        refused = client.post(FORGOTTEN, {"email": "b@example.org"}, HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert refused.status_code == 429


def test_an_address_that_is_not_one_is_reported_beside_the_field(client, mailoutbox):
    response = client.post(FORGOTTEN, {"email": "judi at example"})
    assert response.status_code == 200
    assert '<a href="#id_email">Enter a valid email address.</a>' in response.text
    assert 'id="id_email-error"' in response.text
    assert 'aria-describedby="id_email-error"' in response.text
    assert mailoutbox == []


@pytest.fixture
def choosing(client, member, mailoutbox):
    """A client on the "choose a new password" form, having followed the e-mail's link."""
    ask_for_link(client, "judi.billing@example.org")
    return client.get(link_in(mailoutbox[0])).url


def test_the_validators_messages_are_shown_beside_the_new_password(client, member, choosing):
    response = client.post(choosing, {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 200
    assert "<title>Error: Choose a new password – Board papers</title>" in response.text
    assert "There is a problem" in response.text
    assert '<a href="#id_new_password1">This password is too common.</a>' in response.text
    beside = '<span class="govuk-visually-hidden">Error:</span> This password is too common.'
    assert f'id="id_new_password1-error">{beside}' in response.text
    assert 'aria-describedby="id_new_password1-hint id_new_password1-error"' in response.text
    member.refresh_from_db()
    assert member.check_password("the-old-long-password")


def test_two_different_passwords_are_reported_beside_the_confirmation(client, choosing):
    different = {"new_password1": "board-papers-2017", "new_password2": "board-papers-2018"}
    response = client.post(choosing, different)
    assert '<a href="#id_new_password2">The two password fields didn’t match.</a>' in response.text
    assert 'id="id_new_password2-error"' in response.text


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("MQ", "not-a-token"),
        ("zz", "set-password"),  # the form's own address, without the token in the session
        ("!!!", "abc-def"),
        (urlsafe_base64_encode(b"\xff\xfe"), "abc-def"),  # not UTF-8
        (urlsafe_base64_encode(b"judi"), "abc-def"),  # not a number
        (urlsafe_base64_encode(force_bytes(10**40)), "abc-def"),  # too large for the database
        ("A" * 500, "B" * 500),
    ],
)
def test_a_malformed_or_wrong_link_gets_the_expired_page(client, member, uidb64, token):
    response = client.get(f"/sign-in/reset/{uidb64}/{token}/")
    assert response.status_code == 200
    assert f"<title>{EXPIRED} – Board papers</title>" in response.text
    assert f'<h1 class="govuk-heading-xl">{EXPIRED}</h1>' in response.text
    assert "A link to reset a password works once, and for 1\xa0day." in response.text
    assert "<form" not in response.text.split('id="main-content"')[1]


def test_a_link_past_its_time_gets_the_expired_page(client, member, mailoutbox):
    ask_for_link(client, "judi.billing@example.org")
    with override_settings(PASSWORD_RESET_TIMEOUT=-1):
        response = client.get(link_in(mailoutbox[0]))
    assert response.status_code == 200
    assert EXPIRED in response.text


@pytest.mark.parametrize("url", [FORGOTTEN, SENT, "/sign-in/reset/MQ/x/", "/sign-in/reset/done/"])
def test_the_pages_have_one_heading_and_nothing_inline(client, url):
    page = client.get(url).text
    assert page.count("<h1") == 1
    assert "<script" not in page
    assert "style=" not in page


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
)
def test_the_email_is_handed_to_the_background_worker_not_sent_by_the_request(client, member, mailoutbox):
    from lgaboard.tasks import send_email

    assert ask_for_link(client, "judi.billing@example.org").status_code == 302
    assert mailoutbox == []  # the request never talks to the mail server
    [queued] = send_email.get_backend().results
    subject, body, to, _ = queued.args
    assert (subject, to) == ("Reset your password for the board papers portal", ["judi.billing@example.org"])
    assert "/sign-in/reset/" in body
