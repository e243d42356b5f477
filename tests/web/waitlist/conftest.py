"""Programs with capacity and people waiting, made by hand around one town.

riverbend: outpatient (1.0) with two open places, English and Spanish, Medicaid or none.
The people waiting live a few kilometres away, speak English, have Medicaid and wait for 1.0.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

TOWN = (39.78, -89.65)


def complete_program(name: str, *, level: str = "1.0", slots: int = 2, **facts: Any) -> Any:
    from trellis.people.models import Program
    from trellis.waitlist.models import Capacity

    program, _ = Program.objects.get_or_create(name=name)
    program.latitude = facts.get("lat", TOWN[0])
    program.longitude = facts.get("lon", TOWN[1])
    program.languages = facts.get("languages", ["en", "es"])
    program.insurance = facts.get("insurance", ["medicaid", "none"])
    program.save()
    Capacity.objects.create(
        program=program,
        level=level,
        service=facts.get("service", "outpatient"),
        slots=slots,
        staff_hours_per_week=Decimal("40"),
    )
    return program


def waiting(person: Any, by: Any, *, days: int = 10, level: str = "1.0", **facts: Any) -> Any:
    from trellis.waitlist.models import WaitlistEntry

    return WaitlistEntry.objects.create(
        person=person,
        level=level,
        need_weight=facts.get("need_weight", 1.0),
        needs=facts.get("needs", ""),
        languages=facts.get("languages", ["en"]),
        insurance=facts.get("insurance", "medicaid"),
        max_travel_km=facts.get("max_travel_km", 30.0),
        location={"lat": TOWN[0] + 0.02, "lon": TOWN[1]},
        groups=facts.get("groups", {"sex": "female", "rurality": "urban"}),
        waiting_since=timezone.localdate() - timedelta(days=days),
        created_by=by,
    )


def completed_intake(person: Any, by: Any, *, urgent: bool = False) -> Any:
    """A completed intake for 3.5, Spanish, Medicare, rural, travel up to 35 km."""
    from trellis.assessments.models import Intake

    return Intake.objects.create(
        person=person,
        status="completed",
        document={
            "schema": "trellis.intake/1",
            "person": {
                "age": 36,
                "sex_at_birth": "female",
                "preferred_language": "es",
                "insurance": "medicare",
                "race_ethnicity": ["hispanic"],
                "location": {"lat": 39.81, "lon": -89.62},
            },
            "environment": {"rural": True},
            "preferences": {"max_travel_km": 35, "prefers": ["group", "evening_hours"]},
        },
        level="3.5",
        urgent=urgent,
        created_by=by,
        completed_at=timezone.now(),
    )


def someone(program: Any, given: str) -> Any:
    from datetime import date

    from trellis.people.models import Person

    return Person.objects.create(
        program=program, given_name=given, family_name="Waiting", birth_date=date(1988, 3, 4)
    )


@pytest.fixture
def riverbend(program: Any) -> Any:
    """The conftest's program, made complete, with two open outpatient places."""
    return complete_program(program.name)


@pytest.fixture
def three_waiting(riverbend: Any, sam: Any) -> list[Any]:
    """Three people waiting for two places; Avery has waited longest."""
    return [
        waiting(someone(riverbend, "Avery"), sam.user, days=30),
        waiting(someone(riverbend, "Blake"), sam.user, days=20, groups={"sex": "male"}),
        waiting(someone(riverbend, "Casey"), sam.user, days=10, groups={"sex": "male"}),
    ]
