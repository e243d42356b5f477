"""Directory search: services near a point, nearest first, filtered by what the person needs.

One statement, the same on SQLite and PostgreSQL, reads the `Listing` rows inside the bounding
box of the search circle (an index range on category and latitude) with what a hit shows; Python
then computes each great-circle distance, keeps those inside the circle, and applies the filters
that need the record (language, cost, eligibility, open now, accessibility).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from trellis.core import geo
from trellis.core.errors import InvalidInput
from trellis.core.opening_hours import is_open
from trellis.directory.categories import community
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
    organization_id: str = ""
    facts: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_json(self) -> dict[str, Any]:
        """The shape of contracts/cli.md `resources search`."""
        keys = ("service_id", "name", "organization", "categories", "distance_km")
        out = {k: getattr(self, k) for k in keys}
        out |= {"location": self.location, "languages": self.languages}
        return out | {"phone": self.phone, "url": self.url}


def search(query: Query) -> list[Hit]:
    hits: dict[str, Hit] = {}
    for place in _candidates(query):
        hit = _hit(place, query)
        if hit is None:
            continue
        kept = hits.get(hit.service_id)
        if kept is None or hit.distance_km < kept.distance_km:
            hits[hit.service_id] = hit  # a service at several places: its nearest
    ordered = sorted(hits.values(), key=lambda h: (h.distance_km, h.name, h.service_id))
    return ordered[: query.limit]


# One statement, the same on SQLite and PostgreSQL: the listings in the bounding box (an index
# range on category and latitude), joined to what a hit shows. Written out rather than built
# by the ORM because at national scale building the query costs more than running it.
COLUMNS = (
    "l.at_id",
    "l.latitude",
    "l.longitude",
    "s.hsds_id",
    "s.name",
    "o.name",
    "o.hsds_id",
    "s.categories",
    "s.languages",
    "s.phone",
    "s.url",
    "s.schedules",
    "a.schedules",
    "a.accessible",
    "p.hsds_id",
    "p.name",
    "p.address",
    *(f"s.{name}" for name in FACTS),
)
FROM = (
    "FROM directory_listing l "
    "JOIN directory_serviceatlocation a ON a.id = l.at_id "
    "JOIN directory_service s ON s.id = a.service_id "
    "JOIN directory_organization o ON o.id = s.organization_id "
    "JOIN directory_location p ON p.id = a.location_id "
    "WHERE l.latitude BETWEEN %s AND %s AND s.closed_at IS NULL AND s.status = 'active'"
)


@dataclass(frozen=True, slots=True)
class Place:
    """One candidate row: a service at a place inside the search circle."""

    at_id: int
    km: float
    values: tuple[Any, ...]

    def __getitem__(self, name: str) -> Any:
        return self.values[INDEX[name]]


INDEX = {column: i for i, column in enumerate(COLUMNS)}


def _candidates(query: Query) -> list[Place]:
    center = geo.Point(query.lat, query.lon)
    box = geo.bounding_box(center, query.radius_km)
    sql = "SELECT " + ", ".join(COLUMNS) + " " + FROM
    params: list[Any] = [box.south, box.north]
    ranges = " OR ".join("l.longitude BETWEEN %s AND %s" for _ in box.lon_ranges)
    sql += f" AND ({ranges})"
    params += [edge for pair in box.lon_ranges for edge in pair]
    if query.category:
        sql += " AND l.category = %s"
        params.append(query.category)
    found: dict[int, Place] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for values in cursor.fetchall():
            km = geo.distance_km(center, geo.Point(values[1], values[2]))
            if km <= query.radius_km and values[0] not in found:
                found[values[0]] = Place(values[0], km, values)
    return list(found.values())


def _hit(place: Place, query: Query) -> Hit | None:
    facts = {name: place[f"s.{name}"] for name in FACTS}
    languages = _json(place["s.languages"])
    if not _fits(facts, languages, bool(place["a.accessible"]), query):
        return None
    open_now = _open(place, query.open_at)
    if query.open_at is not None and open_now is not True:
        return None
    return Hit(
        service_id=place["s.hsds_id"],
        name=place["s.name"],
        organization=place["o.name"],
        categories=_json(place["s.categories"]),
        distance_km=round(place.km, 3),
        location={
            "id": place["p.hsds_id"],
            "name": place["p.name"],
            "address": place["p.address"],
            "lat": place["l.latitude"],
            "lon": place["l.longitude"],
        },
        languages=languages,
        phone=place["s.phone"],
        url=place["s.url"],
        open_now=open_now,
        organization_id=place["o.hsds_id"],
        facts={
            name: bool(v) if isinstance(v, int) and name in BOOLEANS else v
            for name, v in facts.items()
        },
    )


BOOLEANS = frozenset(
    {"free", "sliding_scale", "insurance", "faith_based", "peer_led", "veterans_only"}
)


def _json(value: Any) -> Any:
    """JSON columns come back as text from SQLite and as values from PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def _fits(facts: dict[str, Any], languages: list[str], accessible: bool, query: Query) -> bool:
    if query.language and query.language not in languages:
        return False  # asked for a language: a service that does not list it is left out
    if query.cost and not any(facts[kind] for kind in query.cost):
        return False
    if query.accessible and not accessible:
        return False
    return _eligible(facts, query)


def _eligible(facts: dict[str, Any], query: Query) -> bool:
    if query.age is not None:
        low, high = facts["minimum_age"], facts["maximum_age"]
        if (low is not None and query.age < low) or (high is not None and query.age > high):
            return False
    if query.sex and facts["sex"] and facts["sex"] != query.sex:
        return False
    return not (facts["veterans_only"] and query.veteran is False)


def _open(place: Place, when: datetime | None) -> bool | None:
    """Open at `when` by the pairing's or location's hours, else the service's; None when the
    directory gives no hours (unknown, neither open nor closed)."""
    if when is None:
        return None
    rows = _json(place["a.schedules"]) or _json(place["s.schedules"])
    return is_open(as_schedules(rows), when, directory_zone())


def directory_zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "DIRECTORY_TIME_ZONE", settings.TIME_ZONE))
