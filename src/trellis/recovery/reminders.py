"""Daily check-in reminders: who is due now, and the message, which names no health information."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from trellis.audit import log as audit
from trellis.recovery.models import CheckIn, Reminder


def due(reminder: Reminder, now: datetime) -> bool:
    """Due once a day, at or after the chosen local time, unless already sent or checked in."""
    local = now.astimezone(ZoneInfo(reminder.time_zone))
    if not reminder.enabled or local.time() < reminder.at or reminder.last_sent_on == local.date():
        return False
    return not CheckIn.objects.filter(person=reminder.person, day=local.date()).exists()


def send_due(now: datetime) -> int:
    """Send every reminder that is due at `now`; return how many were sent."""
    sent = 0
    candidates = Reminder.objects.filter(enabled=True).select_related("person__user")
    for reminder in candidates:
        user = reminder.person.user
        if user is None or not user.email or not user.is_active or not due(reminder, now):
            continue
        local_day = now.astimezone(ZoneInfo(reminder.time_zone)).date()
        with transaction.atomic():
            locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
            if locked.last_sent_on == local_day:  # another worker sent it
                continue
            with translation.override(reminder.person.preferred_language or "en"):
                send_mail(
                    _("Time for your Trellis check-in"),
                    _(
                        "This is your daily reminder to check in: %(url)s\n\nYou chose this reminder; change or stop it on your reminders page."
                    )
                    % {"url": settings.SITE_URL + reverse("recovery:checkin")},
                    None,
                    [user.email],
                )
            locked.last_sent_on = local_day
            locked.save(update_fields=["last_sent_on"])
            audit.record(
                None,
                "notify",
                object_type="Reminder",
                object_id=str(reminder.person.public_id),
                detail={"channel": "email"},
            )
        sent += 1
    return sent
