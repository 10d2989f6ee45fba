"""Two-factor sign-in (django-otp): a six-digit code from an authenticator app (TOTP), with one-time
recovery codes for a lost phone.

Staff (clerks, approvers, officers: they publish papers and sign off figures) must use it where
`LGABOARD_STAFF_TWO_FACTOR` is on, which production settings always are; members may turn it on
for themselves. Anyone who has it is asked for a code after their password, and until they give
one, `TwoFactorMiddleware` lets them reach nothing but the code page, its set-up and sign-out."""

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def staff_must_use_it(user) -> bool:
    return bool(user.is_staff and settings.LGABOARD_STAFF_TWO_FACTOR)


def is_required(user) -> bool:
    """Whether this signed-in user must give a code: they set it up, or staff must."""
    return user.is_authenticated and (staff_must_use_it(user) or user_has_device(user, confirmed=True))


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# -- setting it up --------------------------------------------------------------------------------
def app_setup_start(*, user) -> TOTPDevice:
    """A new secret for the user's authenticator app, unconfirmed until they type a code from it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def pending_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The app's set-up address as a QR code (SVG), for an <img> (the CSP allows data: images)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def app_setup_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with a code from it; the user is then signed in with it, and given new
    recovery codes (returned once, to be shown once). A wrong code counts against the device (its
    throttle), so the check is outside the transaction that a refusal would roll back."""
    if not device.verify_token(_digits(code)):
        raise ValidationError("That code is not right. Type the 6-digit code your app shows now.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return recovery_codes_replace(user=device.user)


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_turn_off(*, user) -> None:
    if staff_must_use_it(user):
        raise ValidationError("Staff accounts must use two-factor sign-in; it cannot be turned off.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# -- signing in with it ---------------------------------------------------------------------------
def _digits(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def _devices_for(user, token: str, *, for_verify: bool = False):
    """The devices a code is meant for: digits are from the app, anything else a recovery code (so
    a wrong code counts against the one it was meant for, not both)."""
    model = TOTPDevice if token.isdigit() else StaticDevice
    devices = model.objects.devices_for_user(user, confirmed=True)
    return devices.select_for_update() if for_verify else devices


def wait_message(user, code: str) -> str:
    """Why this code cannot be tried now (too many wrong ones in a row), or ''."""
    for device in _devices_for(user, _digits(code).lower()):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            return (
                "Too many wrong codes. Wait a minute before trying again; each wrong code makes the "
                "wait longer."
            )
    return ""


@transaction.atomic
def verify(*, request, code: str) -> bool:
    """Sign the request in with a code from the app or a recovery code (which then stops working).
    Each device throttles wrong codes itself (django-otp: a wait that doubles with every failure),
    and an app's code is refused a second time within its 30 seconds."""
    token = _digits(code).lower()
    if not token:
        return False
    for device in _devices_for(request.user, token, for_verify=True):
        if device.verify_token(token):
            otp_login(request, device)
            return True
    return False


# -- keeping everyone else out until they have given a code ---------------------------------------
OPEN_TO_UNVERIFIED = {"two_factor_verify", "two_factor_setup", "sign_out"}


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a user who must give a code and has not reaches only the
    code page, the set-up page and sign-out; every other address sends them there and back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and is_required(user):
            match = getattr(request, "resolver_match", None) or _resolve(request.path_info)
            if match is None or match.url_name not in OPEN_TO_UNVERIFIED:
                target = "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _resolve(path: str):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None
