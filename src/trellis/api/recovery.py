"""Check-ins and the trigger and craving journal (contracts/api.md: `checkins`, `journal`).

The person writes their own; the care team's clinicians read check-ins, and journal entries
only when the person shared them. Reads and writes go through `access_person` (audited).
"""
# No `from __future__ import annotations`: ninja reads the annotations of functions wrapped by
# the @idempotent wrapper, which lives in another module, so the annotations must be real objects.

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from trellis.api.errors import Error
from trellis.api.idempotency import idempotent
from trellis.audit import log as audit
from trellis.core.access import Role
from trellis.people.access import access_person
from trellis.people.models import Person
from trellis.recovery import actions
from trellis.recovery.access import owned
from trellis.recovery.models import CheckIn, JournalEntry, RelapsePreventionPlan

router = Router(tags=["self-management"])


class Coping(Schema):
    code: str
    helped: int


class CheckInIn(Schema):
    date: date
    craving: int
    mood: int
    sleep_hours: float
    used: bool
    use_amount: str = ""
    triggers: list[str] = []
    coping: list[Coping] = []
    note: str = ""
    self_harm: bool = False


class Contact(Schema):
    name: str
    phone: str


class Support(Schema):
    """Just-in-time support, offered when craving is 7 or more or there was use (the person only)."""

    helpful: list[str]
    exercises: list[str]
    contacts: list[Contact]


class CheckInOut(Schema):
    id: UUID
    person_id: UUID
    date: date
    craving: int
    mood: int
    sleep_hours: float
    used: bool
    use_amount: str
    triggers: list[str]
    coping: list[Coping]
    note: str
    self_harm: bool
    support_offered: bool
    support: Support | None = None


class JournalIn(Schema):
    at: datetime
    craving: int
    triggers: list[str] = []
    situation: str = ""
    coping: list[Coping] = []
    text: str = ""
    shared_with_care_team: bool = False


class JournalOut(Schema):
    id: UUID
    person_id: UUID
    at: datetime
    craving: int
    triggers: list[str]
    situation: str
    coping: list[Coping]
    text: str
    shared_with_care_team: bool


def _own(request: HttpRequest, person_id: UUID, what: str) -> Person:
    """Writes: only the person, on their own record. Anyone else gets the audited 404."""
    person = access_person(request.user, person_id, write=True, what=what)
    if request.user.role != Role.PERSON:
        audit.record(request.user, "write", object_type=what, outcome="denied")
        raise Http404
    return person


def checkin_out(row: CheckIn, *, own: bool, with_support: bool = False) -> dict[str, Any]:
    """A check-in; the person's own words (`use_amount`, `note`) only for the person."""
    body: dict[str, Any] = {
        "id": row.public_id,
        "person_id": row.person.public_id,
        "date": row.day,
        "craving": row.craving,
        "mood": row.mood,
        "sleep_hours": float(row.sleep_hours),
        "used": row.used,
        "use_amount": row.use_amount if own else "",
        "triggers": row.triggers,
        "coping": row.coping,
        "note": row.note if own else "",
        "self_harm": row.self_harm,
        "support_offered": row.support_offered,
        "support": None,
    }
    if with_support and row.support_offered:
        from trellis.knowledge.self_management import content

        plan = RelapsePreventionPlan.objects.filter(person=row.person).first()
        body["support"] = {
            "helpful": [t.key for t in actions.helpful_strategies(row.person)],
            "exercises": [e.id for e in content().by_strategy("coping")],
            "contacts": plan.contacts if plan else [],
        }
    return body


def journal_out(row: JournalEntry) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "person_id": row.person.public_id,
        "at": row.at,
        "craving": row.craving,
        "triggers": row.triggers,
        "situation": row.situation,
        "coping": row.coping,
        "text": row.text,
        "shared_with_care_team": row.shared_with_care_team,
    }


@router.post(
    "/people/{person_id}/checkins",
    response={201: CheckInOut, 401: Error, 404: Error, 422: Error},
)
@idempotent
def create_checkin(
    request: HttpRequest, person_id: UUID, payload: CheckInIn
) -> tuple[int, dict[str, Any]]:
    """The person's daily check-in (one per day). Craving of 7 or more, or use, returns `support`."""
    person = _own(request, person_id, "CheckIn")
    checkin = actions.validate_checkin(payload.dict())
    row = actions.save_checkin(person, checkin, by=request.user, source="api")
    return 201, checkin_out(row, own=True, with_support=True)


@router.get(
    "/people/{person_id}/checkins", response={200: list[CheckInOut], 401: Error, 404: Error}
)
def list_checkins(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    person = access_person(request.user, person_id, what="CheckIn")
    own = request.user.role == Role.PERSON
    return [
        checkin_out(c, own=own)
        for c in CheckIn.objects.filter(person=person).select_related("person")
    ]


@router.get(
    "/people/{person_id}/checkins/{checkin_id}",
    response={200: CheckInOut, 401: Error, 404: Error},
)
def get_checkin(request: HttpRequest, person_id: UUID, checkin_id: UUID) -> dict[str, Any]:
    person = access_person(request.user, person_id, what="CheckIn")
    return checkin_out(owned(CheckIn, person, checkin_id), own=request.user.role == Role.PERSON)


@router.post(
    "/people/{person_id}/journal",
    response={201: JournalOut, 401: Error, 404: Error, 422: Error},
)
@idempotent
def create_journal_entry(
    request: HttpRequest, person_id: UUID, payload: JournalIn
) -> tuple[int, dict[str, Any]]:
    """A trigger and craving journal entry; free text is encrypted at rest."""
    person = _own(request, person_id, "JournalEntry")
    document = payload.dict()
    entry = actions.validate_journal(document)
    row = actions.save_journal(
        person, entry, by=request.user, shared=document["shared_with_care_team"]
    )
    return 201, journal_out(row)


def _journal(request: HttpRequest, person: Person) -> Any:
    entries = JournalEntry.objects.filter(person=person).select_related("person")
    if request.user.role != Role.PERSON:
        entries = entries.filter(shared_with_care_team=True)  # staff see only what was shared
    return entries


@router.get("/people/{person_id}/journal", response={200: list[JournalOut], 401: Error, 404: Error})
def list_journal(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    person = access_person(request.user, person_id, what="JournalEntry")
    return [journal_out(e) for e in _journal(request, person)]


@router.get(
    "/people/{person_id}/journal/{entry_id}",
    response={200: JournalOut, 401: Error, 404: Error},
)
def get_journal_entry(request: HttpRequest, person_id: UUID, entry_id: UUID) -> dict[str, Any]:
    person = access_person(request.user, person_id, what="JournalEntry")
    row = _journal(request, person).filter(public_id=entry_id).first()
    if row is None:
        raise Http404
    return journal_out(row)
