"""People: the caller's own record or caseload, read through the same access functions as the pages."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from trellis.api.errors import Error
from trellis.audit import log as audit
from trellis.core.access import CLINICAL_ROLES, Role
from trellis.people.access import access_person, caseload
from trellis.people.models import Person

router = Router(tags=["people"])


class EpisodeOut(Schema):
    admitted_on: date
    level_of_care: str
    discharged_on: date | None
    discharge_reason: str


class PersonOut(Schema):
    id: UUID
    given_name: str
    family_name: str
    birth_date: date
    preferred_language: str
    program: str
    current_episode: EpisodeOut | None


def person_out(person: Person) -> PersonOut:
    episode = person.current_episode()
    return PersonOut(
        id=person.public_id,
        given_name=person.given_name,
        family_name=person.family_name,
        birth_date=person.birth_date,
        preferred_language=person.preferred_language,
        program=person.program.name,
        current_episode=EpisodeOut.from_orm(episode) if episode else None,
    )


@router.get("/people", response={200: list[PersonOut], 401: Error})
def list_people(request: HttpRequest) -> list[PersonOut]:
    """The people the caller may see: their own record (a person) or their caseload (staff)."""
    user = request.user
    if user.role == Role.PERSON:
        people = Person.objects.filter(user=user)
    elif user.role in CLINICAL_ROLES:
        people = caseload(user)
    else:
        people = Person.objects.none()
    people = people.select_related("program")
    audit.record(user, "list", object_type="Person", detail={"count": len(people), "via": "api"})
    return [person_out(p) for p in people]


@router.get("/people/{person_id}", response={200: PersonOut, 401: Error, 404: Error})
def get_person(request: HttpRequest, person_id: UUID) -> PersonOut:
    return person_out(access_person(request.user, person_id))


@router.get(
    "/people/{person_id}/episodes", response={200: list[EpisodeOut], 401: Error, 404: Error}
)
def list_episodes(request: HttpRequest, person_id: UUID) -> list[EpisodeOut]:
    person = access_person(request.user, person_id, what="Episode")
    return [EpisodeOut.from_orm(e) for e in person.episodes.all()]
