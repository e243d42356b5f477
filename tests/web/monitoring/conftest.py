from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def checkin_row(person, days_ago: int, **fields):
    from trellis.recovery.models import CheckIn

    values = {"craving": 2, "mood": 6, "sleep_hours": 7, "used": False} | fields
    return CheckIn.objects.create(
        person=person, day=timezone.localdate() - timedelta(days=days_ago), **values
    )


def score_row(person, instrument: str, responses: list, days_ago: int, by):
    from trellis.assessments import actions as assessments

    return assessments.record_score(
        person,
        instrument,
        responses,
        by=by,
        source="api",
        taken_at=timezone.now() - timedelta(days=days_ago),
    )
