"""Generated people with their histories, for load tests (`trellis demo generate`).

On top of the demo data (loaded first when the database is empty): `n` fictional people in
recovery, each with a login, an intake gathered the adaptive way, the plan it produces, an
episode of care, 90 days of check-ins ending 30 days ago (so a load test can add recent ones
without meeting "one check-in a day") and a few journal entries; and the staff who care for them,
each with a confirmed authenticator, so that a load test signs in the way people do. Everything
is written through the same actions the pages use, so it is audited like real work.

The logins, their one password and the authenticator keys go to a credentials file (mode 0600)
that only the load test reads. They open fictional records in a scratch database; never point
this at a database with real people in it.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from trellis.accounts.models import User
from trellis.core.access import Role
from trellis.people import actions, demo, demo_intakes
from trellis.people.models import Person, Program
from trellis.recovery.models import CheckIn, JournalEntry

GIVEN = (
    "Avery", "Blake", "Casey", "Dakota", "Emerson", "Finley", "Harper", "Jordan", "Kendall",
    "Logan", "Morgan", "Parker", "Quinn", "Reese", "Riley", "Rowan", "Sage", "Skyler", "Taylor",
    "Ximena", "Yusuf", "Zainab", "Mateo", "Lucía", "Minh", "Amara", "Tariq", "Ingrid",
)  # fmt: skip
FAMILY = (
    "Abbott", "Baptiste", "Castillo", "Dubois", "Eriksen", "Fontaine", "Garza", "Holloway",
    "Ibarra", "Jensen", "Kowalski", "Lachance", "Mbeki", "Novak", "Okonkwo", "Pereira", "Quintero",
    "Rasmussen", "Sandoval", "Takahashi", "Umarov", "Valdez", "Whitfield", "Yilmaz", "Zamora",
)  # fmt: skip
HISTORY_DAYS = 90  # days of check-ins
FREE_DAYS = 30  # the most recent days are left without a check-in
PEOPLE_PER_CLINICIAN = 40  # a caseload
PEOPLE_PER_NAVIGATOR = 125
MIN_CLINICIANS, MIN_NAVIGATORS = 8, 4  # enough for a small load test's users
TRIGGERS = ("stress", "boredom", "loneliness", "conflict", "people-places", "money")
COPING = ("paced-breathing", "exercise", "called-someone", "urge-surfing", "mutual-help-meeting")
JOURNAL = (
    "Rough afternoon at work; took a walk at lunch and it eased.",
    "Saw an old friend who still uses. Left early and called my sponsor.",
    "Good day. Cooked dinner and went to bed on time.",
    "Craving after an argument at home. Breathing exercise, then a meeting.",
)


@dataclass
class Generated:
    people: int = 0
    password: str = ""
    users: list[dict[str, Any]] = field(default_factory=list)

    def write(self, path: Path) -> None:
        """The credentials file, readable by its owner only from the moment it exists."""
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump({"password": self.password, "users": self.users}, out, indent=1)

    def summary(self) -> str:
        staff = sum(1 for user in self.users if user["role"] != Role.PERSON)
        return f"Generated {self.people} people with their histories and {staff} staff logins"


def generate(n: int, credentials: Path, today: date | None = None, seed: int = 1) -> Generated:
    """Add `n` people and their care teams; write the logins to `credentials`."""
    today = today or timezone.localdate()
    if demo.database_is_empty():
        demo.load(today)
    rng = random.Random(seed)  # noqa: S311 - reproducible fictional data, not secrets
    generated = Generated(password=secrets.token_urlsafe(12))
    hashed = make_password(generated.password)  # one hash for all: hashing 1,000 is minutes
    program = Program.objects.order_by("pk").first()
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    run = secrets.token_hex(3)  # a second run adds new logins beside the first one's
    count = {
        Role.CLINICIAN: max(-(-n // PEOPLE_PER_CLINICIAN), MIN_CLINICIANS),
        Role.NAVIGATOR: max(-(-n // PEOPLE_PER_NAVIGATOR), MIN_NAVIGATORS),
    }
    clinicians = _staff(generated, hashed, Role.CLINICIAN, count[Role.CLINICIAN], run)
    navigators = _staff(generated, hashed, Role.NAVIGATOR, count[Role.NAVIGATOR], run)
    for index in range(n):
        with transaction.atomic():
            person = _person(program, index, hashed, rng, today, run)
            clinician = clinicians[index % len(clinicians)]
            team = [clinician]
            if index % 5 == 0:
                team.append(navigators[index % len(navigators)])
            for member in team:
                actions.add_to_care_team(person, member, by=admin)
            _history(person, index, clinician, rng, today)
        generated.users.append(_login(person.user, person=person, caseload_of=clinician))
        generated.people += 1
    generated.write(credentials)
    return generated


def _staff(generated: Generated, hashed: str, role: Role, count: int, run: str) -> list[User]:
    made = []
    for number in range(1, count + 1):
        user = User.objects.create(
            username=f"load-{role.value}-{run}-{number:03d}",
            role=role,
            first_name=role.value.capitalize(),
            last_name=f"{number:03d}",
            email=f"load-{role.value}-{run}-{number:03d}@example.org",
            password=hashed,
        )
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        generated.users.append(_login(user, totp_key=device.key))
        made.append(user)
    return made


def _login(user: User, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"username": user.username, "role": str(user.role)}
    if person := extra.pop("person", None):
        entry["person_id"] = str(person.public_id)
    if clinician := extra.pop("caseload_of", None):
        entry["clinician"] = clinician.username
    return entry | extra


def _person(
    program: Program, index: int, hashed: str, rng: random.Random, today: date, run: str
) -> Person:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    user = User.objects.create(
        username=f"load-person-{run}-{index + 1:04d}",
        role=Role.PERSON,
        first_name=given,
        last_name=family,
        password=hashed,
    )
    age = rng.randint(18, 75)
    return Person.objects.create(
        user=user,
        program=program,
        given_name=given,
        family_name=family,
        birth_date=date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
        preferred_language="es" if rng.random() < 0.2 else "en",
    )


def _history(person: Person, index: int, clinician: User, rng: random.Random, today: date) -> None:
    from trellis.assessments import actions as assessments

    age = assessments.age_on(person.birth_date, today)
    sex = "female" if rng.random() < 0.4 else "male"
    document, _battery = demo_intakes.document_for(index, str(person.public_id), age, sex)
    admitted = today - timedelta(days=FREE_DAYS + HISTORY_DAYS + 7)
    intake = assessments.start_intake(person, by=clinician)
    assessments.save_document(
        intake, {**document, "assessed_on": admitted.isoformat()}, by=clinician, what="generated"
    )
    level = assessments.complete_intake(intake, by=clinician).level
    actions.admit(person, level_of_care=level, on=admitted, by=clinician)
    CheckIn.objects.bulk_create(_checkins(person, rng, today))
    JournalEntry.objects.bulk_create(_journal(person, rng, today))


def _checkins(person: Person, rng: random.Random, today: date) -> list[CheckIn]:
    rows = []
    for ago in range(FREE_DAYS + HISTORY_DAYS, FREE_DAYS, -1):
        craving = rng.randint(0, 8)
        rows.append(
            CheckIn(
                person=person,
                day=today - timedelta(days=ago),
                craving=craving,
                mood=rng.randint(3, 9),
                sleep_hours=Decimal(rng.choice(("5", "6", "6.5", "7", "7.5", "8"))),
                used=False,
                triggers=rng.sample(TRIGGERS, rng.randint(0, 2)),
                coping=[{"code": rng.choice(COPING), "helped": rng.randint(3, 9)}],
                support_offered=craving >= 7,
            )
        )
    return rows


def _journal(person: Person, rng: random.Random, today: date) -> list[JournalEntry]:
    zone = timezone.get_current_timezone()
    return [
        JournalEntry(
            person=person,
            at=datetime.combine(
                today - timedelta(days=FREE_DAYS + 7 * week), time(rng.randint(8, 22)), zone
            ),
            craving=rng.randint(2, 8),
            triggers=rng.sample(TRIGGERS, 1),
            coping=[{"code": rng.choice(COPING), "helped": rng.randint(3, 9)}],
            text=rng.choice(JOURNAL),
            shared_with_care_team=week % 2 == 0,
        )
        for week in range(1, 5)
    ]
