"""Episodes to export: a cohort of people who share every quasi-identifier, and helpers.

Each cohort member is a woman born in 1990, white, living in ZIP 62704, with a completed intake
that also carries identifiers a de-identified export must drop (name, phone, e-mail, street).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from trellis.assessments.models import Intake, IntakeStatus
from trellis.people.models import Episode, Person

PHONE = "(217) 555-0143"
EMAIL = "zeb.q@example.org"
STREET = "1600 Pennsylvania Avenue"


def intake_document(person: Person, **person_fields: Any) -> dict[str, Any]:
    return {
        "schema": "trellis.intake/1",
        "person": {
            "id": str(person.public_id),
            "sex_at_birth": "female",
            "race_ethnicity": ["White"],
            "insurance": "medicaid",
            "preferred_language": "en",
            "location": {"postal_code": "62704", "lat": 39.78, "lon": -89.65},
            **person_fields,
        },
        "substances": [
            {"substance": "alcohol", "primary": True, "route": "oral", "days_used_past_30": 30}
        ],
        "environment": {"housing": "stable", "employment": "full_time"},
        "preferences": {"goals_in_own_words": f"Call me at {PHONE} or {EMAIL}, {STREET}"},
    }


def cohort_member(program: Any, by: Any, n: int, **person_fields: Any) -> Episode:
    person = Person.objects.create(
        program=program,
        given_name=f"Zebulon{n}",
        family_name="Quackenbush",
        birth_date=date(1990, 5, 17),
    )
    Intake.objects.create(
        person=person,
        status=IntakeStatus.COMPLETED,
        document=intake_document(person, **person_fields),
        created_by=by,
        completed_at=person.created,
    )
    return Episode.objects.create(
        person=person,
        program=program,
        admitted_on=date(2026, 2, 1 + n),
        level_of_care="2.1",
        discharged_on=date(2026, 3, 15) if n % 2 == 0 else None,
        discharge_reason="completed" if n % 2 == 0 else "",
    )
