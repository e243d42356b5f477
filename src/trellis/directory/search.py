"""Directory search: services near a point, nearest first, filtered by what the person needs.

Two steps, the same on SQLite and PostgreSQL. The database reads the `Listing` rows inside the
bounding box of the search circle (an index range on category and latitude); Python then
computes each great-circle distance, keeps those inside the circle, and applies the filters
that need the whole record (language, cost, eligibility, open now, accessibility).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from trellis.core import geo
from trellis.core.errors import InvalidInput
from trellis.core.opening_hours import is_open
from trellis.directory.categories import community
from trellis.directory.models import Listing, ServiceAtLocation
from trellis.directory.schedules import as_schedules

COSTS = ("free", "sliding_scale", "insurance")
MAX_RADIUS_KM = 500.0
MAX_RESULTS = 200
# What matching weighs beyond the search filters (core.matching.Candidate).
FACTS = (
    "free",
    "sliding_scale",
    "insurance",
    "faith_based",
    "peer_led",
    "minimum_age",
    "maximum_age",
    "sex",
    "veterans_only",
)


@dataclass(frozen=True)
class Query:
    lat: float
    lon: float
    radius_km: float = 25.0
    category: str | None = None
    language: str | None = None
    cost: frozenset[str] = frozenset()  # any of COSTS
    age: int | None = None
    sex: str | None = None
    veteran: bool | None = None
    open_at: datetime | None = None
    accessible: bool = False
    limit: int = 20

    def __post_init__(self) -> None:
        geo.Point(self.lat, self.lon)  # raises InvalidInput naming lat or lon and the range
        if not 0 < self.radius_km <= MAX_RADIUS_KM:
            raise InvalidInput("radius_km", f"a distance above 0 and at most {MAX_RADIUS_KM:g} km")
        if self.category is not None and self.category not in community():
            raise InvalidInput("category", "one of: " + ", ".join(community()))
        if not self.cost <= set(COSTS):
            raise InvalidInput("cost", "any of: " + ", ".join(COSTS))
        if self.sex not in (None, "female", "male"):
            raise InvalidInput("sex", "female or male")
        if not 1 <= self.limit <= MAX_RESULTS:
            raise InvalidInput("limit", f"a whole number from 1 to {MAX_RESULTS}")


@dataclass(frozen=True)
class Hit:
    service_id: str
    name: str
    organization: str
    categories: list[str]
    distance_km: float
    location: dict[str, Any]
    languages: list[str]
    phone: str
    url: str
    open_now: bool | None = None
    facts: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict[str, Any]:
        """The shape of contracts/cli.md `resources search`."""
        keys = ("service_id", "name", "organization", "categories", "distance_km")
        out = {k: getattr(self, k) for k in keys}
        out |= {"location": self.location, "languages": self.languages}
        return out | {"phone": self.phone, "url": self.url}


def search(query: Query) -> list[Hit]:
    near = _within(query)
    if not near:
        return []
    rows = (
        ServiceAtLocation.objects.filter(pk__in=near)
        .select_related("service__organization", "location")
        .filter(service__closed_at__isnull=True, service__status="active")
    )
    hits: dict[str, Hit] = {}
    for at in rows:
        hit = _hit(at, near[at.pk], query)
        if hit is None:
            continue
        kept = hits.get(hit.service_id)
        if kept is None or hit.distance_km < kept.distance_km:
            hits[hit.service_id] = hit  # a service at several places: its nearest
    ordered = sorted(hits.values(), key=lambda h: (h.distance_km, h.name, h.service_id))
    return ordered[: query.limit]


def _within(query: Query) -> dict[int, float]:
    """ServiceAtLocation id → distance, for the listings inside the search circle."""
    center = geo.Point(query.lat, query.lon)
    box = geo.bounding_box(center, query.radius_km)
    lon_ranges = Q()
    for low, high in box.lon_ranges:
        lon_ranges |= Q(longitude__gte=low, longitude__lte=high)
    rows = Listing.objects.filter(lon_ranges, latitude__gte=box.south, latitude__lte=box.north)
    if query.category:
        rows = rows.filter(category=query.category)
    found: dict[int, float] = {}
    for at_id, lat, lon in rows.values_list("at_id", "latitude", "longitude").iterator(2000):
        km = geo.distance_km(center, geo.Point(lat, lon))
        if km <= query.radius_km:
            found[at_id] = km
    return found


def _hit(at: ServiceAtLocation, km: float, query: Query) -> Hit | None:
    service, place = at.service, at.location
    if not _fits(service, at, query):
        return None
    open_now = _open(at, service, query.open_at)
    if query.open_at is not None and open_now is not True:
        return None
    return Hit(
        service_id=service.hsds_id,
        name=service.name,
        organization=service.organization.name,
        categories=list(service.categories),
        distance_km=round(km, 3),
        location={
            "id": place.hsds_id,
            "name": place.name,
            "address": place.address,
            "lat": place.latitude,
            "lon": place.longitude,
        },
        languages=list(service.languages),
        phone=service.phone,
        url=service.url,
        open_now=open_now,
        facts={name: getattr(service, name) for name in FACTS},
    )


def _fits(service: Any, at: ServiceAtLocation, query: Query) -> bool:
    if query.language and query.language not in service.languages:
        return False  # asked for a language: a service that does not list it is left out
    if query.cost and not any(getattr(service, kind) for kind in query.cost):
        return False
    if query.accessible and not at.accessible:
        return False
    return _eligible(service, query)


def _eligible(service: Any, query: Query) -> bool:
    if query.age is not None:
        if service.minimum_age is not None and query.age < service.minimum_age:
            return False
        if service.maximum_age is not None and query.age > service.maximum_age:
            return False
    if query.sex and service.sex and service.sex != query.sex:
        return False
    return not (service.veterans_only and query.veteran is False)


def _open(at: ServiceAtLocation, service: Any, when: datetime | None) -> bool | None:
    """Open at `when` by the pairing's or location's hours, else the service's; None when the
    directory gives no hours (unknown, neither open nor closed)."""
    if when is None:
        return None
    schedules = as_schedules(at.schedules or service.schedules)
    return is_open(schedules, when, directory_zone())


def directory_zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "DIRECTORY_TIME_ZONE", settings.TIME_ZONE))
