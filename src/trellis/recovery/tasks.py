"""Background tasks of the person's app (huey: SQLite in-process by default, Redis in production)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from trellis.recovery import reminders


@db_periodic_task(crontab(minute="*"))
def send_checkin_reminders() -> int:
    """Every minute: send the daily check-in reminders that have come due."""
    return reminders.send_due(timezone.now())
