from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def mood_plan(pat, dana):
    """Pat's plan from an intake with alcohol use disorder and depression, begun 60 days ago."""
    from trellis.assessments import actions as assessments
    from trellis.plans.models import Plan

    intake = assessments.start_intake(pat.person, by=dana.user)
    document = {
        **intake.document,
        "assessed_on": (timezone.localdate() - timedelta(days=60)).isoformat(),
        "substances": [{"substance": "alcohol", "dsm5_criteria_count": 6}],
        "mental_health": {"diagnoses": ["depression"], "trauma_history": False},
    }
    assessments.save_document(intake, document, by=dana.user, what="test")
    assessments.complete_intake(intake, by=dana.user)
    plan = Plan.objects.get(person=pat.person)
    Plan.objects.filter(pk=plan.pk).update(created=timezone.now() - timedelta(days=60))
    plan.refresh_from_db()
    return plan


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
