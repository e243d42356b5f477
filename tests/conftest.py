"""Personas shared by every test that touches the database.

pat:   a person in recovery, signed up with a login.
quinn: another person in recovery, at the same program, not on dana's team.
dana:  clinician on pat's care team.
eli:   clinician at the same program, not on pat's team.
sam:   supervisor, reviews break-glass access; on no care team.
nia:   peer navigator, on pat's care team.
fran:  pat's sister, a family member (no consent-scoped access yet).
ada:   administrator.  rae: researcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import settings

from trellis.core.access import Role

# No property test is a timing test: on a busy 2-core machine one example can take longer than
# Hypothesis's default 200 ms deadline without anything being wrong.
settings.register_profile("trellis", deadline=None)
settings.load_profile("trellis")

PASSWORD = "correct-horse-battery-9"


@dataclass
class Persona:
    user: Any
    person: Any = None

    @property
    def public_id(self) -> Any:
        return self.person.public_id


def make_user(username: str, role: Role, **extra: Any) -> Any:
    from trellis.accounts.models import User

    user = User(username=username, role=role, first_name=username.title(), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def confirmed_device(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "phone"})[
        0
    ]


def sign_in(client: Any, persona: Persona | Any) -> None:
    """Sign in as a persona, with the second factor already passed for staff."""
    from django_otp import DEVICE_ID_SESSION_KEY

    user = getattr(persona, "user", persona)
    client.force_login(user)
    if user.needs_second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()


@pytest.fixture(autouse=True)
def sms_outbox(settings: Any) -> list[Any]:
    """Text messages go to a list, as pytest-django sends e-mail to `mail.outbox`."""
    from trellis.notify import sms

    settings.SMS_BACKEND = "trellis.notify.backends.LocmemBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache (counters such as the API token throttle)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def program(db: Any) -> Any:
    from trellis.people.models import Program

    return Program.objects.create(name="Riverbend")


def _person(program: Any, given: str, user: Any = None) -> Any:
    from trellis.people.models import Person

    return Person.objects.create(
        program=program,
        user=user,
        given_name=given,
        family_name="Example",
        birth_date=date(1990, 5, 17),
    )


@pytest.fixture
def dana(program: Any) -> Persona:
    return Persona(make_user("dana", Role.CLINICIAN))


@pytest.fixture
def eli(program: Any) -> Persona:
    return Persona(make_user("eli", Role.CLINICIAN))


@pytest.fixture
def sam(program: Any) -> Persona:
    return Persona(make_user("sam", Role.SUPERVISOR))


@pytest.fixture
def nia(program: Any) -> Persona:
    return Persona(make_user("nia", Role.NAVIGATOR))


@pytest.fixture
def fran(program: Any) -> Persona:
    return Persona(make_user("fran", Role.FAMILY))


@pytest.fixture
def ada(program: Any) -> Persona:
    return Persona(make_user("ada", Role.ADMIN, is_staff=True, is_superuser=True))


@pytest.fixture
def rae(program: Any) -> Persona:
    return Persona(make_user("rae", Role.RESEARCHER))


@pytest.fixture
def pat(program: Any, dana: Persona, nia: Persona) -> Persona:
    from trellis.people.models import CareTeamMembership

    user = make_user("pat", Role.PERSON)
    person = _person(program, "Pat", user)
    CareTeamMembership.objects.create(person=person, member=dana.user)
    CareTeamMembership.objects.create(person=person, member=nia.user)
    return Persona(user, person)


@pytest.fixture
def quinn(program: Any, eli: Persona) -> Persona:
    from trellis.people.models import CareTeamMembership

    user = make_user("quinn", Role.PERSON)
    person = _person(program, "Quinn", user)
    CareTeamMembership.objects.create(person=person, member=eli.user)
    return Persona(user, person)


@pytest.fixture
def plan(pat, dana):
    """Pat's plan, version 1, from a completed intake (heroin use disorder, own words given)."""
    from trellis.assessments import actions as assessments
    from trellis.plans.models import Plan

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


@pytest.fixture
def mood_plan(pat, dana):
    """Pat's plan from an intake with alcohol use disorder and depression, begun 60 days ago."""
    from datetime import timedelta

    from django.utils import timezone

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


@pytest.fixture
def housing_plan(pat, dana):
    """Pat's plan from an intake with unstable housing, living in Chicago, Spanish-speaking."""
    from trellis.assessments import actions as assessments
    from trellis.plans.models import Plan

    intake = assessments.start_intake(pat.person, by=dana.user)
    document = {
        **intake.document,
        "person": {
            **intake.document.get("person", {}),
            "age": 34,
            "preferred_language": "es",
            "insurance": "medicaid",
            "location": {"lat": 41.8781, "lon": -87.6298},  # Chicago
        },
        "environment": {**intake.document.get("environment", {}), "housing": "unstable"},
        "preferences": {"max_travel_km": 10},
    }
    assessments.save_document(intake, document, by=dana.user, what="test")
    assessments.complete_intake(intake, by=dana.user)
    return Plan.objects.get(person=pat.person)
