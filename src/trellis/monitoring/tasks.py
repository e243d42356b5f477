"""Background tasks of measurement-based care (huey, as configured in settings)."""

from __future__ import annotations

from dataclasses import asdict

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from trellis.monitoring import nightly


@db_periodic_task(crontab(hour="2", minute="0"))
def nightly_evaluation() -> dict[str, int]:
    """Every night at 02:00: raise the alerts everyone's history calls for (missed check-ins,
    overdue re-assessments, stalled goals, and anything the day's requests did not raise)."""
    return asdict(nightly.run_night(timezone.localdate()))


@db_periodic_task(crontab(minute="30"))
def nightly_catch_up() -> dict[str, int] | None:
    """Every hour at half past: evaluate if the 02:00 task was missed (the task queue or the
    worker down at that minute) or failed. At half past, so it never starts beside that run."""
    summary = nightly.catch_up(timezone.now())
    return asdict(summary) if summary else None
