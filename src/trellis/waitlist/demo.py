"""Demo capacity and waitlist: five fictional programs around the demo town (directory/demo.py)
and 24 fictional people waiting, with varied equity groups, so the allocation page shows
something real. Rows are created in bulk (no intake per person) to keep `make run` fast."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from trellis.core.demographics import age_band, age_on
from trellis.people.models import Person, Program
from trellis.waitlist.models import Capacity, WaitlistEntry

TOWN = (39.78, -89.65)
ALL_PAYERS = ["medicaid", "medicare", "private", "none"]

# name, (lat, lon), languages, insurance, [(level, service, slots, staff hours per week)]
PROGRAMS: list[tuple[str, tuple[float, float], list[str], list[str], list[tuple]]] = [
    (
        "Riverbend Recovery Center",
        (39.801, -89.644),
        ["en", "es"],
        ALL_PAYERS,
        [
            ("1.0", "outpatient", 5, 60),
            ("2.1", "intensive outpatient", 3, 45),
            ("2.5", "partial hospitalization", 1, 30),
        ],
    ),
    (
        "Prairie House",
        (39.952, -89.903),
        ["en"],
        ["medicaid", "private"],
        [("3.1", "residential", 2, 84), ("3.5", "residential", 2, 120)],
    ),
    (
        "Sangamon Valley Opioid Treatment Program",
        (39.752, -89.601),
        ["en", "es"],
        ["medicaid", "medicare", "none"],
        [("1.0", "opioid treatment program", 3, 40)],
    ),
    (
        "Lakeside Medical Withdrawal Unit",
        (39.789, -89.662),
        ["en"],
        ["medicaid", "medicare", "private", "va"],
        [("3.7", "medically monitored inpatient", 1, 168), ("4.0", "inpatient", 1, 168)],
    ),
    (
        "Clínica Esperanza",
        (39.770, -89.680),
        ["es", "en"],
        ["medicaid", "none"],
        [("2.1", "intensive outpatient", 2, 30)],
    ),
]

# given, family, age, sex, race/ethnicity, language, insurance, rural, level, days waiting
WAITING = [
    ("Ana", "Flores", 27, "female", "hispanic", "es", "medicaid", False, "2.1", 41),
    ("Ben", "Hollis", 45, "male", "white", "en", "private", True, "3.5", 38),
    ("Chloe", "Adams", 33, "female", "black", "en", "medicaid", False, "1.0", 35),
    ("Dmitri", "Volkov", 52, "male", "white", "en", "medicare", False, "3.7", 33),
    ("Esperanza", "Cruz", 61, "female", "hispanic", "es", "none", True, "1.0", 30),
    ("Farid", "Rahimi", 29, "male", "asian", "en", "medicaid", False, "2.1", 29),
    ("Gloria", "Tsosie", 38, "female", "american_indian", "en", "medicaid", True, "3.5", 27),
    ("Hector", "Lozano", 24, "male", "hispanic", "es", "medicaid", False, "2.5", 25),
    ("Imani", "Brooks", 31, "female", "black", "en", "private", False, "2.1", 24),
    ("Jake", "Sutter", 22, "male", "white", "en", "none", True, "1.0", 22),
    ("Kim", "Pham", 43, "female", "asian", "en", "private", False, "3.1", 21),
    ("Leon", "Baptiste", 57, "male", "black", "en", "va", False, "4.0", 19),
    ("Mercedes", "Ortiz", 35, "female", "hispanic", "es", "medicaid", True, "2.1", 18),
    ("Nate", "Carlson", 40, "male", "white", "en", "medicaid", True, "3.1", 16),
    ("Olivia", "Greene", 26, "female", "white", "en", "private", False, "1.0", 15),
    ("Pablo", "Reyes", 49, "male", "hispanic", "es", "none", False, "1.0", 13),
    ("Quiana", "Moore", 19, "female", "black", "en", "medicaid", False, "2.5", 12),
    ("Ravi", "Menon", 34, "male", "asian", "en", "private", False, "1.0", 11),
    ("Sierra", "Whitehorse", 28, "female", "american_indian", "en", "medicaid", True, "2.1", 9),
    ("Tyler", "Banks", 37, "male", "black", "en", "medicaid", False, "3.5", 8),
    ("Uma", "Patel", 46, "female", "asian", "en", "medicare", False, "1.0", 6),
    ("Victor", "Santos", 32, "male", "hispanic", "es", "medicaid", True, "1.0", 5),
    ("Wendy", "Lund", 55, "female", "white", "en", "medicare", True, "3.7", 3),
    ("Xavier", "Moreau", 30, "male", "multiple", "en", "medicaid", False, "2.1", 1),
]


def load(home: Program, today: date, *, by: Any) -> int:
    """Programs and capacity, then the people waiting; return how many are waiting."""
    programs = [_program(home if i == 0 else None, row) for i, row in enumerate(PROGRAMS)]
    Capacity.objects.bulk_create(
        Capacity(
            program=program,
            level=level,
            service=service,
            slots=slots,
            staff_hours_per_week=Decimal(hours),
        )
        for program, row in zip(programs, PROGRAMS, strict=True)
        for level, service, slots, hours in row[4]
    )
    rng = random.Random(10)  # noqa: S311 - reproducible fictional data, not secrets
    people = Person.objects.bulk_create(_person(home, row, today) for row in WAITING)
    WaitlistEntry.objects.bulk_create(
        _entry(person, row, today, rng, by) for person, row in zip(people, WAITING, strict=True)
    )
    return len(people)


def _program(existing: Program | None, row: tuple) -> Program:  # type: ignore[type-arg]
    name, (lat, lon), languages, insurance, _rows = row
    program = existing or Program(name=name)
    program.latitude, program.longitude = lat, lon
    program.languages, program.insurance = languages, insurance
    program.save()
    return program


def _person(home: Program, row: tuple, today: date) -> Person:  # type: ignore[type-arg]
    given, family, age, _sex, _race, language, *_ = row
    birth = date(today.year - age - 1, 1 + len(family) % 12, 1 + len(given) % 27)
    return Person(
        program=home,
        given_name=given,
        family_name=family,
        birth_date=birth,
        preferred_language=language,
    )


def _entry(person: Person, row: tuple, today: date, rng: random.Random, by: Any) -> WaitlistEntry:  # type: ignore[type-arg]
    _given, _family, _age, sex, race, language, insurance, rural, level, days = row
    spread = 0.35 if rural else 0.08  # degrees: rural homes lie farther from the town
    location = {
        "lat": round(TOWN[0] + rng.uniform(-spread, spread), 4),
        "lon": round(TOWN[1] + rng.uniform(-spread, spread), 4),
    }
    return WaitlistEntry(
        person=person,
        level=level,
        need_weight=1.0,
        needs="",
        languages=[language] if language == "en" else [language, "en"][: 1 + (days % 2)],
        insurance=insurance,
        max_travel_km=60.0 if rural else 25.0,
        location=location,
        groups={
            "race_ethnicity": race,
            "sex": sex,
            "age_band": age_band(age_on(person.birth_date, today)),
            "insurance": insurance,
            "rurality": "rural" if rural else "urban",
            "language": language,
        },
        waiting_since=today - timedelta(days=days),
        created_by=by,
    )
