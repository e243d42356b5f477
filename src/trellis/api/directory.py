"""The community directory (public, read-only) and closed-loop referrals, over the same search
and actions the pages use."""
# No `from __future__ import annotations`: django-ninja reads these signatures through the
# @idempotent wrapper, which lives in another module, so the annotations must be real objects.

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja import Query as QueryParams
from ninja.errors import HttpError

from trellis.api.errors import Error
from trellis.api.idempotency import idempotent
from trellis.audit import log as audit
from trellis.core.access import CARE_TEAM_ROLES, Role
from trellis.core.errors import InvalidInput
from trellis.directory.models import Service
from trellis.directory.search import Query, search
from trellis.people.access import access_for_referrals
from trellis.referrals import actions
from trellis.referrals.access import access_referral
from trellis.referrals.models import Referral

public = Router(tags=["services"])
router = Router(tags=["referrals"])


class SearchIn(Schema):
    near: str = Field(
        description="The point to search from: LAT,LON in decimal degrees, e.g. 41.88,-87.63 "
        "(anything else is answered 400, naming `near`)"
    )
    radius_km: float = 25.0
    category: str | None = None
    language: str | None = None
    cost: str | None = None  # comma-separated: free, sliding_scale, insurance
    age: int | None = None
    sex: str | None = None
    veteran: bool | None = None
    open_now: bool = False
    accessible: bool = False
    limit: int = 20


class LocationOut(Schema):
    id: str
    name: str
    address: str
    lat: float | None
    lon: float | None


class HitOut(Schema):
    service_id: str
    name: str
    organization: str
    categories: list[str]
    distance_km: float
    location: LocationOut
    languages: list[str]
    phone: str
    url: str
    open_now: bool | None


class ServiceOut(Schema):
    service_id: str
    name: str
    organization: str
    status: str
    closed: bool
    categories: list[str]
    languages: list[str]
    phone: str
    url: str
    email: str
    verified_at: datetime | None
    record: dict[str, Any]


class ReferralIn(Schema):
    service_id: str
    need: str
    reason: str


class StepIn(Schema):
    status: str
    appointment_at: datetime | None = None
    outcome: str | None = None
    note: str = ""


class ReferralOut(Schema):
    id: UUID
    person_id: UUID
    service_id: str
    organization: str
    need: str
    status: str
    appointment_at: datetime | None
    outcome: str | None
    follow_up_on: date | None
    overdue: bool
    created: datetime


def parse_near(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        raise InvalidInput("near", "LAT,LON in decimal degrees, e.g. 41.88,-87.63") from None
    return lat, lon


def query_from(params: SearchIn, now: datetime | None = None) -> Query:
    lat, lon = parse_near(params.near)
    costs = frozenset(c.strip() for c in (params.cost or "").split(",") if c.strip())
    return Query(
        lat=lat,
        lon=lon,
        radius_km=params.radius_km,
        category=params.category,
        language=params.language.lower() if params.language else None,
        cost=costs,
        age=params.age,
        sex=params.sex,
        veteran=params.veteran,
        open_at=(now or timezone.now()) if params.open_now else None,
        accessible=params.accessible,
        limit=params.limit,
    )


@public.get("/services", auth=None, response={200: list[HitOut], 422: Error})
def search_services(request: HttpRequest, params: QueryParams[SearchIn]) -> list[dict[str, Any]]:
    """Services near a point, nearest first, with the distance in km; filters as on the page."""
    return [hit.as_json() | {"open_now": hit.open_now} for hit in search(query_from(params))]


@public.get("/services/{service_id}", auth=None, response={200: ServiceOut, 404: Error})
def get_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    row = Service.objects.select_related("organization").filter(hsds_id=service_id).first()
    if row is None:
        raise HttpError(404, "No such service.")
    return {
        "service_id": row.hsds_id,
        "name": row.name,
        "organization": row.organization.name,
        "status": row.status,
        "closed": row.closed_at is not None,
        "categories": row.categories,
        "languages": row.languages,
        "phone": row.phone,
        "url": row.url,
        "email": row.email,
        "verified_at": row.verified_at,
        "record": row.record,
    }


def referral_out(row: Referral) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": row.public_id,
        "person_id": row.person.public_id,
        "service_id": row.service.hsds_id,
        "organization": row.service.organization.name,
        "need": row.need,
        "status": row.status,
        "appointment_at": row.appointment_at,
        "outcome": row.outcome or None,
        "follow_up_on": row.follow_up_on,
        "overdue": row.is_overdue(today),
        "created": row.created,
    }


def _team(request: HttpRequest) -> None:
    if Role(request.user.role) not in CARE_TEAM_ROLES:
        audit.record(request.user, "write", object_type="Referral", outcome="denied")
        raise HttpError(404, "No such record, or it is outside your reach.")


@router.get("/referrals", response=list[ReferralOut])
def list_referrals(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's worklist: open referrals of their caseload, overdue follow-ups first."""
    rows = actions.worklist(request.user, timezone.localdate())
    audit.record(request.user, "list", object_type="ReferralWorklist", detail={"count": len(rows)})
    return [referral_out(r) for r in rows]


@router.get("/people/{person_id}/referrals", response={200: list[ReferralOut], 404: Error})
def list_person_referrals(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    person = access_for_referrals(request.user, person_id)
    rows = Referral.objects.filter(person=person).select_related("service__organization", "person")
    return [referral_out(r) for r in rows]


@router.post(
    "/people/{person_id}/referrals",
    response={201: ReferralOut, 401: Error, 404: Error, 422: Error},
)
@idempotent
def create_referral(
    request: HttpRequest, person_id: UUID, payload: ReferralIn
) -> tuple[int, dict[str, Any]]:
    """Send a referral; refused (422, field `consent`) without the person's consent in force to
    share referral information with the service's organisation. Nothing is stored then."""
    _team(request)
    person = access_for_referrals(request.user, person_id)
    service = (
        Service.objects.select_related("organization").filter(hsds_id=payload.service_id).first()
    )
    if service is None:
        raise InvalidInput("service_id", "a service in the directory")
    row = actions.send(person, service, need=payload.need, reason=payload.reason, by=request.user)
    return 201, referral_out(row)


@router.get("/referrals/{referral_id}", response={200: ReferralOut, 404: Error})
def get_referral(request: HttpRequest, referral_id: UUID) -> dict[str, Any]:
    return referral_out(access_referral(request.user, referral_id))


@router.post("/referrals/{referral_id}/status", response={200: ReferralOut, 404: Error, 422: Error})
def move_referral(request: HttpRequest, referral_id: UUID, payload: StepIn) -> dict[str, Any]:
    """The next step: accepted, scheduled (with appointment_at), attended, no_show, declined, or
    closed (with an outcome). A step out of order is refused naming what may come next."""
    _team(request)
    row = access_referral(request.user, referral_id)
    moved = actions.move(
        row,
        payload.status,
        by=request.user,
        appointment_at=payload.appointment_at,
        outcome=payload.outcome,
        note=payload.note,
    )
    return referral_out(moved)
