"""The REQUESTS and CAPACITY documents of contracts/allocation.md, checked into frozen records.

Every rejection names the file, the record and the field, and says what is allowed; it never
echoes the value (a request is protected data).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from numbers import Real
from typing import Any, NoReturn, TypeVar

from trellis.core.errors import InvalidInput
from trellis.core.geo import Point

# The levels of care from least to most intensive, as in plan.md (and core.placement.LEVEL_ORDER,
# not imported so that allocating does not load the intake and profile machinery).
LEVELS = ("0.5", "1.0", "2.1", "2.5", "3.1", "3.5", "3.7", "4.0")
GROUP_ATTRIBUTES = ("race_ethnicity", "sex", "age_band", "insurance", "rurality", "language")
DEFAULT_FLOOR = 0.8

T = TypeVar("T")


class Policy(StrEnum):
    FCFS = "fcfs"
    OPTIMAL = "optimal"
    EQUITABLE = "equitable"


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    waiting_since: date
    level: str
    need_weight: float
    location: Point
    max_travel_km: float
    languages: tuple[str, ...]
    insurance: str
    groups: tuple[tuple[str, str], ...] = ()  # (attribute, group), sorted by attribute

    def group(self, attribute: str) -> str | None:
        return dict(self.groups).get(attribute)


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    name: str
    level: str
    slots: int
    location: Point
    languages: tuple[str, ...]
    insurance: tuple[str, ...]


def parse_requests(document: Any, source: str = "requests") -> tuple[Request, ...]:
    """Check a REQUESTS document (a list of people waiting) and return its records."""
    return _parse_list(document, source, "requests", _request)


def parse_capacity(document: Any, source: str = "capacity") -> tuple[Program, ...]:
    """Check a CAPACITY document (a list of programs) and return its records."""
    return _parse_list(document, source, "programs", _program)


def check_policy(value: object, field: str = "policy") -> Policy:
    if value not in set(Policy):
        raise InvalidInput(field, "one of " + ", ".join(Policy))
    return Policy(value)


def check_floor(value: object, field: str = "equity_floor") -> float:
    """The equity floor F: every group's placement rate must reach F x the best group's."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= float(value) <= 1:
        raise InvalidInput(field, "a number from 0 to 1")
    return float(value)


def _parse_list(
    document: Any, source: str, noun: str, parse: Callable[[_Record], T]
) -> tuple[T, ...]:
    if not isinstance(document, list):
        raise InvalidInput(source, f"a JSON list of {noun}")
    records = tuple(parse(_Record(source, i, raw)) for i, raw in enumerate(document))
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        record_id = record.id  # type: ignore[attr-defined]
        if record_id in seen:
            _Record(source, index, document[index]).fail(
                "id", f"unique (record {seen[record_id] + 1} has the same id)"
            )
        seen[record_id] = index
    return records


def _request(record: _Record) -> Request:
    return Request(
        id=record.id,
        waiting_since=record.iso_date("waiting_since"),
        level=record.level(),
        need_weight=record.positive("need_weight"),
        location=record.location(),
        max_travel_km=record.positive("max_travel_km"),
        languages=record.strings("languages"),
        insurance=record.text("insurance"),
        groups=record.groups(),
    )


def _program(record: _Record) -> Program:
    return Program(
        id=record.id,
        name=record.text("name"),
        level=record.level(),
        slots=record.slots(),
        location=record.location(),
        languages=record.strings("languages"),
        insurance=record.strings("insurance", PROGRAM_INSURANCE),
    )


# What each field takes, in the words of the error messages.
ALLOWED = {
    "id": "a non-empty string",
    "name": "a non-empty string",
    "insurance": "a non-empty string",
    "waiting_since": "an ISO date such as 2026-01-31",
    "level": "one of " + ", ".join(LEVELS),
    "need_weight": "a number greater than 0",
    "max_travel_km": "a number greater than 0",
    "slots": "a whole number, 0 or more",
    "languages": "a non-empty list of strings",
    "location": 'an object {"lat", "lon"}',
    "location.lat": "a number from -90 to 90",
    "location.lon": "a number from -180 to 180",
    "groups": "an object of group attributes (" + ", ".join(GROUP_ATTRIBUTES) + ")",
}
PROGRAM_INSURANCE = "a non-empty list of strings"


class _Record:
    """One item of a document, with the words to say where a problem is."""

    def __init__(self, source: str, index: int, raw: Any) -> None:
        self.source, self.index = source, index
        if not isinstance(raw, Mapping):
            raise InvalidInput(f"{source}: record {index + 1}", "an object")
        self.raw = raw
        raw_id = raw.get("id")
        self._id = raw_id if isinstance(raw_id, str) and raw_id.strip() else None

    @property
    def where(self) -> str:
        place = f"{self.source}: record {self.index + 1}"
        return place if self._id is None else f"{place} (id {self._id})"

    @property
    def id(self) -> str:
        self.get("id")
        if self._id is None:
            self.fail("id")
        return self._id

    def fail(self, field: str, allowed: str | None = None) -> NoReturn:
        raise InvalidInput(f"{self.where}: {field}", allowed or ALLOWED[field])

    def get(self, field: str, allowed: str | None = None) -> Any:
        if field not in self.raw:
            what = allowed or ALLOWED[field]
            raise InvalidInput(
                f"{self.where}: {field}",
                what,
                message=f"{self.where}: {field} is missing: it must be {what}",
            )
        return self.raw[field]

    def text(self, field: str) -> str:
        value = self.get(field)
        if not isinstance(value, str) or not value.strip():
            self.fail(field)
        return value

    def strings(self, field: str, allowed: str | None = None) -> tuple[str, ...]:
        value = self.get(field, allowed)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            self.fail(field, allowed)
        return tuple(dict.fromkeys(value))

    def number(self, value: Any, field: str, ok: Callable[[float], bool]) -> float:
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            self.fail(field)
        if not ok(float(value)):
            self.fail(field)
        return float(value)

    def positive(self, field: str) -> float:
        return self.number(self.get(field), field, lambda v: v > 0)

    def slots(self) -> int:
        # 3.0 is taken as 3: JSON writers differ on whether whole numbers keep a ".0".
        return int(self.number(self.get("slots"), "slots", lambda v: v >= 0 and v == int(v)))

    def level(self) -> str:
        value = self.get("level")
        if value not in LEVELS:
            self.fail("level")
        return value

    def iso_date(self, field: str) -> date:
        value = self.get(field)
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(field)

    def location(self) -> Point:
        value = self.get("location")
        if not isinstance(value, Mapping):
            self.fail("location")
        return Point(
            self.number(value.get("lat"), "location.lat", _within(90)),
            self.number(value.get("lon"), "location.lon", _within(180)),
        )

    def groups(self) -> tuple[tuple[str, str], ...]:
        value = self.raw.get("groups", {})  # optional: "any subset" of the attributes
        if not isinstance(value, Mapping):
            self.fail("groups")
        for attribute, group in value.items():
            if attribute not in GROUP_ATTRIBUTES:
                self.fail(f"groups.{attribute}", "one of " + ", ".join(GROUP_ATTRIBUTES))
            if not isinstance(group, str) or not group.strip():
                self.fail(f"groups.{attribute}", "a non-empty string")
        return tuple(sorted(value.items()))


def _within(limit: float) -> Callable[[float], bool]:
    return lambda v: -limit <= v <= limit


def next_level(level: str) -> str | None:
    """The next more intensive level, or None above 4.0."""
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def fitting_levels(level: str) -> tuple[str, ...]:
    """The program levels a request at `level` may be placed at: its own, or one step up."""
    return tuple(x for x in (level, next_level(level)) if x is not None)
