"""Each person's equity groups (core.demographics) from their latest completed intake.

One query for all the people asked about; the intake documents are decrypted in this process
and nothing but the six group labels leaves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from trellis.assessments.models import Intake, IntakeStatus
from trellis.core.demographics import Groups, groups
from trellis.people.models import Person


def groups_by_person(people: Iterable[Person], today: date) -> dict[int, Groups]:
    """{person pk: Groups}; a person without a completed intake has every group "unknown"
    except the age band (from the date of birth) and the language (from the person record)."""
    people = list(people)
    latest: dict[int, dict] = {}
    intakes = (
        Intake.objects.filter(person__in=people, status=IntakeStatus.COMPLETED)
        .order_by("person_id", "-completed_at", "-pk")
        .only("person_id", "document")
    )
    for intake in intakes.iterator(chunk_size=500):
        latest.setdefault(intake.person_id, intake.document)
    result = {}
    for person in people:
        document = latest.get(person.pk)
        if document is None:
            document = {"person": {"preferred_language": person.preferred_language}}
        result[person.pk] = groups(document, person.birth_date, today)
    return result
