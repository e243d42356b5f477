"""Fixtures shared by the web tests (the personas live in tests/conftest.py)."""

from __future__ import annotations

import pytest

from trellis.assessments import actions as assessments
from trellis.plans.models import Plan


@pytest.fixture
def plan(pat, dana):
    intake = assessments.start_intake(pat.person, by=dana.user)
    document = {
        **intake.document,
        "assessed_on": "2026-11-20",
        "substances": [{"substance": "heroin", "dsm5_criteria_count": 7}],
        "preferences": {"goals_in_own_words": "Be there for my kids"},
    }
    assessments.save_document(intake, document, by=dana.user, what="test")
    assessments.complete_intake(intake, by=dana.user)
    return Plan.objects.get(person=pat.person)
