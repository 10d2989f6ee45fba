"""Two-factor sign-in: staff must use it where required (always in production), members may."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lgaboard.permissions import CLERKS

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def code_for(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code now, or `ahead` steps on (a code once used is refused for its 30 seconds)."""
    t0 = device.t0 - ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):06d}"


@pytest.fixture
def clerk():
    user = get_user_model().objects.create_user("clerk-2fa", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=CLERKS))
    return user


@pytest.fixture
def member():
    return get_user_model().objects.create_user("member-2fa", password=PASSWORD)


def sign_in(client, user, next_url="/"):
    return client.post("/sign-in/", {"username": user.username, "password": PASSWORD, "next": next_url})


def set_up(client):
    """Scan (read the key from the page), confirm with a code; returns the device and the codes page."""
    page = client.get("/account/two-factor/").text
    assert "Scan this QR code" in page
    assert 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r'<p class="govuk-body app-secret-key"><code>([A-Z2-7 ]+)</code>', page).group(1)
    device = TOTPDevice.objects.get(confirmed=False)
    assert secret.replace(" ", "") in device.config_url
    response = client.post("/account/two-factor/", {"action": "confirm", "code": code_for(device)})
    device.refresh_from_db()  # the drift it stored, should the 30 seconds have turned meanwhile
    return device, response


class TestStaffMustUseItWhereRequired:
    @pytest.fixture(autouse=True)
    def required(self, settings):
        settings.LGABOARD_STAFF_TWO_FACTOR = True

    def test_a_clerk_without_it_reaches_nothing_but_the_set_up(self, client, clerk):
        sign_in(client, clerk, "/admin/")
        for url in ["/admin/", "/admin/meetings/meeting/", "/boards/", "/mou/2017-18/q2/"]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/account/two-factor/?next=")
        page = client.get("/account/two-factor/").text
        assert "must use two-factor sign-in. Set it up to continue." in page
        # Posting to the admin is refused the same way: nothing is published without a code.
        response = client.post("/admin/meetings/meeting/", {"action": "publish", "_selected_action": [1]})
        assert response["Location"].startswith("/account/two-factor/")

    def test_set_up_then_sign_in_with_a_code(self, client, clerk):
        sign_in(client, clerk)
        device, codes_page = set_up(client)
        assert "Two-factor sign-in is on" in codes_page.text
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.text)
        assert len(codes) == 10
        assert client.get("/admin/").status_code == 200  # signed in with the code just given

        client.post("/sign-out/")
        sign_in(client, clerk, "/admin/")
        response = client.get("/admin/")
        assert response["Location"] == "/sign-in/code/?next=%2Fadmin%2F"
        wrong = client.post("/sign-in/code/", {"code": "000000", "next": "/admin/"})
        assert "That code is not right" in wrong.text
        assert "There is a problem" in wrong.text
        assert client.get("/admin/").status_code == 302
        device.refresh_from_db()
        device.throttle_reset()  # one wrong code makes the next wait a second
        right = client.post("/sign-in/code/", {"code": code_for(device, ahead=1), "next": "/admin/"})
        assert right["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200

    def test_a_recovery_code_works_once(self, client, clerk):
        sign_in(client, clerk)
        _, codes_page = set_up(client)
        code = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.text)[0]
        client.post("/sign-out/")
        sign_in(client, clerk)
        assert client.post("/sign-in/code/", {"code": code.upper(), "next": "/"})["Location"] == "/"
        client.post("/sign-out/")
        sign_in(client, clerk)
        again = client.post("/sign-in/code/", {"code": code, "next": "/"})
        assert "That code is not right" in again.text

    def test_wrong_codes_are_throttled(self, client, clerk):
        sign_in(client, clerk)
        device, _ = set_up(client)
        client.post("/sign-out/")
        sign_in(client, clerk)
        for _ in range(3):
            client.post("/sign-in/code/", {"code": "000000"})
        device.refresh_from_db()
        assert device.throttling_failure_count >= 1  # the wait doubles with each: 1 s, 2 s, 4 s…
        # Ten wrong codes in a row mean a wait of over eight minutes, whatever the test's speed.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=10)
        response = client.post("/sign-in/code/", {"code": code_for(device, ahead=1)})  # right, too soon
        assert "Too many wrong codes" in response.text
        assert client.get("/admin/").status_code == 302

    def test_staff_cannot_turn_it_off(self, client, clerk):
        sign_in(client, clerk)
        set_up(client)
        response = client.post("/account/two-factor/", {"action": "turn-off"}, follow=True)
        assert "cannot be turned off" in response.text
        assert TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()

    def test_the_next_address_must_be_the_portals_own(self, client, clerk):
        sign_in(client, clerk)
        device, _ = set_up(client)
        client.post("/sign-out/")
        sign_in(client, clerk)
        response = client.post(
            "/sign-in/code/", {"code": code_for(device, 1), "next": "https://evil.example/"}
        )
        assert response["Location"] == "/"


class TestMembersMayTurnItOn:
    def test_a_member_is_not_asked_until_she_turns_it_on(self, client, member, settings):
        settings.LGABOARD_STAFF_TWO_FACTOR = True
        sign_in(client, member)
        assert client.get("/boards/").status_code == 200
        assert "Two-factor sign-in keeps your account safe" in client.get("/account/two-factor/").text
        set_up(client)
        client.post("/sign-out/")
        sign_in(client, member)
        assert client.get("/boards/")["Location"] == "/sign-in/code/?next=%2Fboards%2F"

    def test_a_member_turns_it_off_again(self, client, member):
        sign_in(client, member)
        set_up(client)
        response = client.post("/account/two-factor/", {"action": "turn-off"}, follow=True)
        assert "Two-factor sign-in is off." in response.text
        assert not TOTPDevice.objects.filter(user=member, confirmed=True).exists()

    def test_new_recovery_codes_replace_the_old(self, client, member):
        sign_in(client, member)
        _, first = set_up(client)
        old = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", first.text))
        new_page = client.post("/account/two-factor/", {"action": "new-codes"})
        new = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", new_page.text))
        assert len(new) == 10
        assert not old & new

    def test_the_public_are_sent_to_sign_in(self, client):
        assert client.get("/account/two-factor/")["Location"].startswith("/sign-in/")


def test_production_settings_require_it_of_staff():
    """Whatever the environment says: production settings always require it of staff."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lgaboard.settings.prod",
        "DJANGO_SECRET_KEY": "a-throwaway-key-for-this-test-only-" * 2,
        "DJANGO_ALLOWED_HOSTS": "papers.example.org",
        "LGABOARD_STAFF_TWO_FACTOR": "off",
    }
    code = "from django.conf import settings; print(settings.LGABOARD_STAFF_TWO_FACTOR)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_a_password_alone_cannot_replace_a_second_factor(client, member):
    """Someone who knows only the password is sent to the code page, not allowed to set up a new app."""
    sign_in(client, member)
    set_up(client)
    client.post("/sign-out/")
    sign_in(client, member)
    response = client.get("/account/two-factor/")
    assert response["Location"] == "/sign-in/code/?next=%2Faccount%2Ftwo-factor%2F"
    response = client.post("/account/two-factor/", {"action": "turn-off"})
    assert response["Location"].startswith("/sign-in/code/")
    assert TOTPDevice.objects.filter(user=member, confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(user=member, confirmed=False).exists()


def test_wrong_codes_while_setting_up_count_against_the_device(client, member):
    sign_in(client, member)
    client.get("/account/two-factor/")
    client.post("/account/two-factor/", {"action": "confirm", "code": "000000"})
    assert TOTPDevice.objects.get(user=member, confirmed=False).throttling_failure_count == 1
