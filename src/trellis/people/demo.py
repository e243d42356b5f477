"""Demo data: one program, one login per role (named after the role), 20 people in recovery.

The people are fictional. Passwords are listed in README.md and are for demonstration only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.accounts.models import User
from trellis.core.access import Role
from trellis.directory import demo as directory_demo
from trellis.monitoring import actions as monitoring
from trellis.people import actions, demo_intakes
from trellis.people.models import Person, Program
from trellis.recovery import demo as self_management
from trellis.sharing import demo as sharing

DEMO_PASSWORD = "trellis-demo-2026"  # noqa: S105 - the published password of the demo accounts

STAFF = [
    ("clinician", Role.CLINICIAN, "Dana", "Reyes"),
    ("clinician2", Role.CLINICIAN, "Eli", "Ward"),
    ("supervisor", Role.SUPERVISOR, "Sam", "Okafor"),
    ("navigator", Role.NAVIGATOR, "Nia", "Brooks"),
    ("admin", Role.ADMIN, "Alex", "Kim"),
    ("researcher", Role.RESEARCHER, "Rae", "Lindqvist"),
    ("family", Role.FAMILY, "Fran", "Jordan"),
]

# (given, family, age, language, a level marker (None: not admitted), days since admission,
#  discharge reason or ""). The episode's level of care is the one the person's intake recommends.
PEOPLE = [
    ("Pat", "Jordan", 34, "en", "1.0", 40, ""),
    ("María", "González", 29, "es", "2.1", 12, ""),
    ("Tomás", "Herrera", 52, "es", "3.7", 3, ""),
    ("Keisha", "Williams", 41, "en", "2.5", 20, ""),
    ("Jamal", "Carter", 19, "en", "1.0", 65, ""),
    ("Linh", "Nguyen", 27, "en", "0.5", 8, ""),
    ("Robert", "Miller", 63, "en", "4.0", 1, ""),
    ("Aiyana", "Begay", 36, "en", "3.5", 15, ""),
    ("Grace", "O'Neil", 31, "en", "1.0", 120, ""),
    ("Diego", "Ramírez", 45, "es", "3.1", 30, ""),
    ("Hannah", "Schultz", 24, "en", "2.1", 45, ""),
    ("Marcus", "Johnson", 38, "en", "1.0", 200, "completed"),
    ("Fatima", "Haddad", 33, "en", "2.5", 9, ""),
    ("Owen", "Price", 17, "en", "1.0", 25, ""),
    ("Rosa", "Delgado", 58, "es", "1.0", 90, ""),
    ("Kevin", "Tran", 44, "en", None, 0, ""),
    ("Brianna", "Scott", 22, "en", "3.7", 2, ""),
    ("Luis", "Morales", 49, "es", "2.1", 60, "left"),
    ("Emily", "Clarke", 30, "en", "1.0", 14, ""),
    ("Walter", "Young", 71, "en", "1.0", 33, ""),
]


@dataclass
class Loaded:
    users: list[str] = field(default_factory=list)
    people: int = 0
    waiting: int = 0  # more people, on the waitlist only (waitlist/demo.py)

    def summary(self) -> str:
        return (
            f"Loaded demo data: {self.people} people in recovery; logins: {', '.join(self.users)}"
            f"; {self.waiting} more people waiting for a place"
        )


def database_is_empty() -> bool:
    return not Person.objects.exists() and not User.objects.exists()


@transaction.atomic
def load(today: date | None = None) -> Loaded:
    today = today or timezone.localdate()
    program = Program.objects.create(name="Riverbend Recovery Center")
    staff = {name: _user(name, role, given, family) for name, role, given, family in STAFF}
    loaded = Loaded(users=["person", *staff])
    housing = directory_demo.load(today, by=staff["navigator"])
    for index, row in enumerate(PEOPLE):
        person = _person(program, row, today, login="person" if index == 0 else None)
        clinician = staff["clinician"] if index % 2 == 0 else staff["clinician2"]
        for member in (clinician, staff["supervisor"]) if index < 6 else (clinician,):
            actions.add_to_care_team(person, member, by=staff["admin"])
        if index in (0, 4, 9):
            actions.add_to_care_team(person, staff["navigator"], by=staff["admin"])
        level = _intake(person, index, today, by=clinician)
        _episodes(person, row, today, by=staff["admin"], level=level)
        if index < 6:
            self_management.load(person, today, full=index == 0)
        if index == 0:
            sharing.load(person, staff["family"], clinician, today)
            _referral(person, housing, clinician, staff["navigator"], today)
        loaded.people += 1
    from trellis.oversight import demo as oversight

    oversight.load(program, staff, today)
    from trellis.training import demo as training

    training.load(staff)
    for person in Person.objects.filter(program=program):  # what the nightly run would raise
        monitoring.evaluate(person, today=today, by=None)
    from trellis.waitlist import demo as waitlist

    loaded.waiting = waitlist.load(program, today, by=staff["supervisor"])
    return loaded


def _referral(person: Person, housing: Any, clinician: User, navigator: User, today: date) -> None:
    """The demo person's consent to refer to the housing organisation, and a referral sent."""
    from trellis.referrals import actions as referrals
    from trellis.sharing.models import Consent

    Consent.objects.create(
        person=person,
        disclosing_party=person.program.name,
        recipient_kind="organization",
        recipient_name=housing.organization.name,
        recipient_organization=housing.organization,
        purpose="a referral for recovery housing",
        categories=["referral"],
        ends_on=today + timedelta(days=180),
        signature_method="confirmed",
        signed_name=person.full_name,
        signed_by=person.user or clinician,
        text_shown="(demo)",
    )
    referrals.send(
        person, housing, need="com.housing", reason="Looking for recovery housing.", by=navigator
    )


def _user(username: str, role: Role, given: str, family: str) -> User:
    user = User(
        username=username,
        role=role,
        first_name=given,
        last_name=family,
        email=f"{username}@example.org",
    )
    user.is_staff = user.is_superuser = role is Role.ADMIN
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _person(program: Program, row: tuple, today: date, login: str | None) -> Person:  # type: ignore[type-arg]
    given, family, age, language, *_ = row
    user = _user(login, Role.PERSON, given, family) if login else None
    birth = date(today.year - age, 1 + (len(given) % 12), 1 + (len(family) % 27))
    return Person.objects.create(
        user=user,
        program=program,
        given_name=given,
        family_name=family,
        birth_date=birth,
        preferred_language=language,
    )


FEMALE = {
    "María",
    "Keisha",
    "Linh",
    "Aiyana",
    "Grace",
    "Hannah",
    "Fatima",
    "Rosa",
    "Brianna",
    "Emily",
}


def _intake(person: Person, index: int, today: date, by: User) -> str:
    """A completed intake gathered the adaptive way (fictional answers, see demo_intakes);
    return the level of care it recommends."""
    from trellis.assessments import actions as assessments

    sex = "female" if person.given_name in FEMALE else "male"
    document, _battery = demo_intakes.document_for(
        index, str(person.public_id), assessments.age_on(person.birth_date, today), sex
    )
    intake = assessments.start_intake(person, by=by)
    assessments.save_document(
        intake, {**document, "assessed_on": today.isoformat()}, by=by, what="demo"
    )
    return assessments.complete_intake(intake, by=by).level


def _episodes(person: Person, row: tuple, today: date, by: User, level: str) -> None:  # type: ignore[type-arg]
    """Admit at the intake's recommended level (people listed without a level are not admitted)."""
    *_, listed_level, days, discharged = row
    if listed_level is None:
        return
    episode = actions.admit(person, level_of_care=level, on=today - timedelta(days=days), by=by)
    if discharged:
        actions.discharge(
            episode, on=today - timedelta(days=max(days - 30, 0)), reason=discharged, by=by
        )
