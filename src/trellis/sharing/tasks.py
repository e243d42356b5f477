"""Background tasks of consent-scoped sharing (huey, as configured in settings)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from trellis.sharing import actions


@db_periodic_task(crontab(minute="7"))
def send_milestone_news() -> int:
    """Every hour: tell family members, by an email that names no one, of milestones shared
    with them under a consent in force."""
    return actions.send_milestone_news()
