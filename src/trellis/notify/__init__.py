"""Reminders by e-mail or text message, carrying only fixed texts that name no one.

`deliver` sends one reminder by the chosen channel; `trellis.notify.sms` sends text messages
through `settings.SMS_BACKEND`; `trellis.notify.backends` holds the SMS backends.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mail
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trellis.core.errors import InvalidInput
from trellis.notify import sms

logger = logging.getLogger(__name__)

MAX_LENGTH = 320  # two SMS segments of 160 characters
SAFE_ALLOWED = (
    f"a fixed text of at most {MAX_LENGTH} characters, with no digits outside the site address"
)
DIGIT = re.compile(r"\d")


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True, slots=True)
class Notice:
    subject: Promise
    body: Promise


# The only texts reminders carry. A reminder may show on a lock screen or reach a shared inbox,
# so it names no person, no instrument, no score and no date: it asks the reader to sign in.
CHECKIN_DUE = Notice(
    _("Time for your Trellis check-in"),
    _("You have a check-in or questionnaire due in Trellis. Sign in to see it."),
)
FAMILY_NEWS = Notice(
    _("Trellis: news to celebrate"),
    _("Someone you support has news they chose to share with you. Sign in to Trellis to see it."),
)
NOTICES = (CHECKIN_DUE, FAMILY_NEWS)


def safe_body(text: str) -> str:
    """Return `text` if it may be sent as a reminder; raise InvalidInput (a ValueError) if not.

    A score, a date, a dose or a count all need digits, so refusing every digit outside
    `settings.SITE_URL` keeps them out without knowing what they mean. This is a backstop:
    the guarantee is that callers pass only the fixed texts in `NOTICES`.
    """
    if len(text) > MAX_LENGTH or DIGIT.search(text.replace(settings.SITE_URL, "")):
        raise InvalidInput("body", SAFE_ALLOWED)
    return text


def deliver(*, email: str | None, phone: str | None, channel: str, subject: str, body: str) -> bool:
    """Send one reminder by `channel` ("email" or "sms"); return whether it went.

    The channel's address must be given. A failed send is logged without the address and
    gives False, so one bad address does not stop a batch.
    """
    if channel not in tuple(Channel):
        raise InvalidInput("channel", "email or sms")
    safe_body(subject)
    safe_body(body)
    if channel == Channel.SMS:
        return sms.send_sms(phone or "", body)
    return _send_email(email, subject, body)


def _send_email(email: str | None, subject: str, body: str) -> bool:
    if not email:
        raise InvalidInput("email", "an e-mail address")
    try:
        return send_mail(subject, body, None, [email]) == 1
    except OSError as exc:  # smtplib's errors are OSErrors too
        logger.warning("E-mail not sent: %s", type(exc).__name__)
        return False
