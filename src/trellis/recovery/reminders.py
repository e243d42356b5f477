"""Daily reminders: the check-in and any questionnaire the plan has due. Who is due now, and the
message, which names no health information (trellis.notify carries only fixed texts)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from trellis import notify
from trellis.audit import log as audit
from trellis.recovery.models import CheckIn, Reminder


def due(reminder: Reminder, now: datetime) -> bool:
    """Due once a day, at or after the chosen local time, unless already sent, or unless the
    person has checked in that day and has no questionnaire due."""
    local = now.astimezone(ZoneInfo(reminder.time_zone))
    if not reminder.enabled or local.time() < reminder.at or reminder.last_sent_on == local.date():
        return False
    checked_in = CheckIn.objects.filter(person=reminder.person, day=local.date()).exists()
    return not checked_in or questionnaire_due(reminder, local.date())


def questionnaire_due(reminder: Reminder, day: date) -> bool:
    from trellis.monitoring.actions import schedule

    return any(
        d.instrument != "checkin" and d.due_on <= day for d in schedule(reminder.person, today=day)
    )


def send_due(now: datetime) -> int:
    """Send every reminder that is due at `now`; return how many were sent."""
    sent = 0
    candidates = Reminder.objects.filter(enabled=True).select_related("person__user")
    for reminder in candidates:
        user = reminder.person.user
        if user is None or not user.is_active or not _reachable(reminder) or not due(reminder, now):
            continue
        local_day = now.astimezone(ZoneInfo(reminder.time_zone)).date()
        with transaction.atomic():
            locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
            if locked.last_sent_on == local_day:  # another worker sent it
                continue
            if not _send(reminder):
                continue  # kept due: the next run tries again
            locked.last_sent_on = local_day
            locked.save(update_fields=["last_sent_on"])
            audit.record(
                None,
                "notify",
                object_type="Reminder",
                object_id=str(reminder.person.public_id),
                detail={"channel": reminder.channel},
            )
        sent += 1
    return sent


def _reachable(reminder: Reminder) -> bool:
    user = reminder.person.user
    return bool(reminder.phone) if reminder.channel == "sms" else bool(user and user.email)


def _send(reminder: Reminder) -> bool:
    with translation.override(reminder.person.preferred_language or "en"):
        notice = notify.CHECKIN_DUE
        body = str(notice.body)
        if reminder.channel == notify.Channel.EMAIL:
            url = settings.SITE_URL + reverse("recovery:home")
            body = "\n\n".join(
                [
                    body,
                    url,
                    _("You chose this reminder; change or stop it on your reminders page."),
                ]
            )
        return notify.deliver(
            email=reminder.person.user.email if reminder.person.user else None,
            phone=reminder.phone or None,
            channel=reminder.channel,
            subject=str(notice.subject),
            body=body,
        )
