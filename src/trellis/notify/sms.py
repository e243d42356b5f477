"""Text messages through a pluggable backend, chosen the way Django chooses e-mail backends.

`settings.SMS_BACKEND` names the backend class (see `trellis.notify.backends`). Every number is
checked as E.164 before a backend sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.module_loading import import_string

from trellis.core.errors import InvalidInput

if TYPE_CHECKING:
    from trellis.notify.backends import BaseBackend

# [0-9], not \d: \d also matches other scripts' digits, which no gateway dials.
E164 = re.compile(r"\+[1-9][0-9]{7,14}")
E164_ALLOWED = "an E.164 number: + and 8-15 digits, the first not 0"


@dataclass(frozen=True, slots=True)
class TextMessage:
    to: str
    body: str


# What LocmemBackend sent, like django.core.mail.outbox; the `sms_outbox` fixture clears it.
outbox: list[TextMessage] = []


def check_phone(phone: str) -> str:
    """Return `phone` if it is an E.164 number; raise InvalidInput naming `phone` otherwise."""
    if not isinstance(phone, str) or not E164.fullmatch(phone):
        raise InvalidInput("phone", E164_ALLOWED)
    return phone


def get_backend(path: str | None = None, **options: Any) -> BaseBackend:
    """Return an instance of the backend at dotted `path`, by default `settings.SMS_BACKEND`."""
    return import_string(path or settings.SMS_BACKEND)(**options)


def send_sms(to: str, body: str) -> bool:
    """Send one text message; return whether the backend accepted it."""
    message = TextMessage(check_phone(to), body)
    return get_backend().send_messages([message]) == 1
