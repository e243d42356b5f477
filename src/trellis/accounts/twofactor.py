"""TOTP enrolment and verification (django-otp), with single-use recovery codes."""

from __future__ import annotations

import secrets
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trellis.audit import log as audit

RECOVERY_CODE_COUNT = 10


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def base32_secret(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()


@transaction.atomic
def confirm_enrolment(user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device when `code` matches; return fresh recovery codes, or None."""
    if not device.verify_token(code):
        audit.record(user, "enrol_second_factor", user, outcome="denied")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    audit.record(user, "enrol_second_factor", user)
    return codes


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with ten new single-use ones."""
    static, _ = StaticDevice.objects.get_or_create(user=user, name="recovery codes")
    static.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def verify_code(user: Any, code: str) -> Any:
    """Return the device that accepts `code` (a TOTP code or an unused recovery code), or None.

    TOTP devices refuse a code already used (django-otp keeps the last time step) and slow
    down repeated failures; recovery codes are deleted when used.
    """
    code = code.strip().replace(" ", "")
    with transaction.atomic():
        device = next((d for d in _devices(user) if d.verify_token(code)), None)
    audit.record(user, "verify_second_factor", user, outcome="allowed" if device else "denied")
    return device


def is_throttled(user: Any) -> bool:
    """True while django-otp makes the user wait after wrong codes (the wait doubles each time)."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    return any(not device.verify_is_allowed()[0] for device in devices)


def _devices(user: Any) -> list[Any]:
    totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
    static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
    return [*totp, *static]
