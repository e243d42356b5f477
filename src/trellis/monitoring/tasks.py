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
    return asdict(nightly.evaluate_everyone(timezone.localdate()))
