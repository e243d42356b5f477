"""Turn flat HSDS 3.0 records from any source into a Directory: check each against its schema,
merge the copies of one record, follow every link, and leave out what does not hold together.

A record is left out, with a Problem, when it breaks its schema, when its coordinates are off the
globe, when it belongs to nothing, or when a link names a record that is missing or was itself
left out (so a dropped location takes its phones and schedules with it). Copies of a record
with one id (the same organization nested in many services) are merged: each copy may add a
link, but copies that disagree on a value are not merged and the later one is reported.

One problem keeps its record, and says so: a taxonomy term whose parent is missing is kept
without the parent, because the term itself is sound and services are classified by it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from typing import Any

from trellis.core.hsds import schema
from trellis.core.hsds.model import (
    RECORDS,
    AddressType,
    Directory,
    Frequency,
    LocationType,
    Problem,
    ServiceStatus,
)

Source = tuple[str, str]  # the file and the id to report


@dataclass(slots=True)
class Raw:
    """A flat HSDS 3.0 record as read, with where it came from (`where`: the id to report)."""

    kind: str
    record: dict[str, Any]
    file: str
    where: str


@dataclass(slots=True)
class Built:
    """A directory value a source built itself from a record known to pass its schema check."""

    kind: str
    value: Any
    file: str
    where: str


# Links each kind must resolve; for the kinds in PARENTS at least one link must be present.
LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "service": (("organization_id", "organization"),),
    "location": (("organization_id", "organization"),),
    "service_at_location": (("service_id", "service"), ("location_id", "location")),
    "phone": (
        ("service_id", "service"),
        ("location_id", "location"),
        ("organization_id", "organization"),
        ("service_at_location_id", "service_at_location"),
    ),
    "language": (("service_id", "service"), ("location_id", "location"), ("phone_id", "phone")),
    "schedule": (
        ("service_id", "service"),
        ("location_id", "location"),
        ("service_at_location_id", "service_at_location"),
    ),
    "address": (("location_id", "location"),),
    "accessibility": (("location_id", "location"),),
    "service_area": (("service_id", "service"),),
    "cost_option": (("service_id", "service"),),
    "attribute": (("taxonomy_term_id", "taxonomy_term"),),
}
PARENTS = frozenset({"phone", "language", "schedule", "address", "accessibility", "service_area"})

ENUM_TYPES: dict[tuple[str, str], type[StrEnum]] = {
    ("service", "status"): ServiceStatus,
    ("location", "location_type"): LocationType,
    ("address", "address_type"): AddressType,
    ("schedule", "freq"): Frequency,
}
ENUMS: dict[tuple[str, str], Callable[[Any], Any]] = {
    # A dict lookup: calling the enum costs more than the rest of the record.
    where: {member.value: member for member in enum}.__getitem__
    for where, enum in ENUM_TYPES.items()
}
CONVERT: dict[str, Callable[[Any], Any]] = {
    "assured_date": date.fromisoformat,
    "valid_from": date.fromisoformat,
    "valid_to": date.fromisoformat,
    "dtstart": date.fromisoformat,
    "until": date.fromisoformat,
    "opens_at": time.fromisoformat,
    "closes_at": time.fromisoformat,
    "last_modified": datetime.fromisoformat,
}
BOUNDS = {"latitude": (-90, 90), "longitude": (-180, 180)}


def words(kind: str) -> str:
    return kind.replace("_", " ")


class Assembly:
    """The values kept so far, by kind and id, with where each came from; the ids left out."""

    def __init__(self, problems: list[Problem], shown: Mapping[str, str]) -> None:
        self.problems = problems
        self.shown = shown
        # Values and where each came from apart: a tuple of two strings is not tracked by the
        # cycle collector, so half a million of them cost it nothing.
        self.kept: dict[str, dict[str, Any]] = {k: {} for k in RECORDS}
        self.sources: dict[str, dict[str, Source]] = {k: {} for k in RECORDS}
        self.dropped: dict[str, set[str]] = {k: set() for k in (*RECORDS, "taxonomy")}
        self.vocabularies: dict[str, str] = {}  # taxonomy id: its name
        self.vocabulary_of: dict[str, str] = {}  # taxonomy term id: its taxonomy's id

    def report(self, source: Source, field: str | None, reason: str) -> None:
        self.problems.append(Problem(source[0], source[1], field, reason))

    def add(self, raw: Raw) -> None:
        record = raw.record
        found = schema.check(raw.kind).problems(record)
        if raw.kind == "location" and not found:
            found = _off_the_globe(record.get("latitude"), record.get("longitude"))
        if found:
            for field, reason in found:
                self.report((raw.file, raw.where), field, reason)
            if isinstance(record.get("id"), str):
                self.dropped[raw.kind].add(record["id"])
        elif raw.kind == "taxonomy":
            self.vocabularies.setdefault(record["id"], record["name"])
        else:
            if raw.kind == "taxonomy_term" and "taxonomy_id" in record:
                self.vocabulary_of[record["id"]] = record["taxonomy_id"]
            # Values are compared as what they mean: 10:00 and 10:00:00 are one opening time.
            self._merge(raw.kind, _build(raw.kind, record), (raw.file, raw.where))

    def keep(self, built: Built) -> None:
        """Keep a value a source built from a record that passed its schema check."""
        value, source = built.value, (built.file, built.where)
        found = []
        if built.kind == "location":
            found = _off_the_globe(value.latitude, value.longitude)
        for field, reason in found:
            self.report(source, field, reason)
        if found:
            self.dropped[built.kind].add(value.id)
        else:
            self._merge(built.kind, value, source)

    def _merge(self, kind: str, value: Any, source: Source) -> None:
        table = self.kept[kind]
        first = table.get(value.id)
        if first is None:
            table[value.id] = value
            self.sources[kind][value.id] = source
            return
        added = {}
        for name in field_names(kind):
            new, have = getattr(value, name), getattr(first, name)
            if new is None or new == have:
                continue
            if have is not None:
                kept_from = self.sources[kind][value.id][0]
                reason = f"differs from the {words(kind)} with the same id in {kept_from}"
                self.report(source, name, reason + ", which is kept")
                return
            added[name] = new
        if added:
            table[value.id] = replace(first, **added)

    def link(self) -> None:
        """Leave out every record whose links do not resolve, kinds in dependency order."""
        for kind in RECORDS:
            table = self.kept[kind]
            for record_id, value in list(table.items()):
                reason = self._broken_link(kind, value)
                if reason is not None:
                    self.report(self.sources[kind][record_id], *reason)
                    del table[record_id]
                    self.dropped[kind].add(record_id)
            if kind == "taxonomy_term":
                self._cut_missing_parents()

    def _broken_link(self, kind: str, value: Any) -> tuple[str, str] | None:
        links = LINKS.get(kind, ())
        if kind == "attribute":
            target = schema.kind_named(value.link_entity)
            if target not in RECORDS:
                tables = ", ".join(RECORDS)
                return "link_entity", f"must name the table of the linked record: {tables}"
            links = (*links, ("link_id", target))
        if kind in PARENTS and all(getattr(value, field) is None for field, _ in links):
            return (
                " or ".join(f for f, _ in links),
                "names no " + " or ".join(words(t) for _, t in links) + " it belongs to",
            )
        for field, target in links:
            linked = getattr(value, field)
            if linked is not None and linked not in self.kept[target]:
                return field, self._missing(target, linked)
        return None

    def _missing(self, kind: str, value: str) -> str:
        shown = self.shown.get(value, value)
        if value in self.dropped[kind]:
            return f"refers to {words(kind)} {shown}, which was left out (see its problem)"
        return f"refers to {words(kind)} {shown}, which is not in the directory"

    def _cut_missing_parents(self) -> None:
        terms = self.kept["taxonomy_term"]
        for term_id, term in list(terms.items()):
            if term.parent_id is not None and term.parent_id not in terms:
                reason = self._missing("taxonomy_term", term.parent_id)
                source = self.sources["taxonomy_term"][term_id]
                self.report(source, "parent_id", reason + "; the term is kept without a parent")
                terms[term_id] = replace(term, parent_id=None)

    def directory(self) -> Directory:
        built = {}
        for kind, (attribute, _) in RECORDS.items():
            values = [value for _, value in sorted(self.kept[kind].items())]
            if kind == "taxonomy_term":
                values = [self._named(term) for term in values]
            built[attribute] = tuple(values)
        return Directory(**built)

    def _named(self, term: Any) -> Any:
        """The term with its vocabulary's name, when only the vocabulary's id said which it is."""
        vocabulary = self.vocabularies.get(self.vocabulary_of.get(term.id, ""))
        return replace(term, taxonomy=vocabulary) if term.taxonomy is None and vocabulary else term


def assemble(
    raws: Iterable[Raw | Built],
    problems: list[Problem],
    shown: Mapping[str, str],
    status_if_missing: str | None = None,
) -> Directory:
    """Check, merge and link `raws`; `shown` maps generated ids back to the source's ids."""
    assembly = Assembly(problems, shown)
    for raw in raws:
        if isinstance(raw, Built):
            assembly.keep(raw)
            continue
        if status_if_missing and raw.kind == "service" and "status" not in raw.record:
            raw.record["status"] = status_if_missing
        assembly.add(raw)
    assembly.link()
    return assembly.directory()


def _off_the_globe(latitude: Any, longitude: Any) -> list[tuple[str | None, str]]:
    found: list[tuple[str | None, str]] = []
    for field, value in (("latitude", latitude), ("longitude", longitude)):
        low, high = BOUNDS[field]
        if value is not None and not low <= value <= high:
            found.append((field, f"must be between {low} and {high} degrees"))
    return found


@cache
def field_names(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in fields(RECORDS[kind][1]))


@cache
def converters(kind: str) -> tuple[frozenset[str], dict[str, Callable[[Any], Any]]]:
    """A kind's field names, and what turns the JSON value of some of them into the value's."""
    names = field_names(kind)
    convert = {n: c for n in names if (c := ENUMS.get((kind, n)) or CONVERT.get(n))}
    return frozenset(names), convert


def _build(kind: str, record: Mapping[str, Any]) -> Any:
    names, convert = converters(kind)
    values = {k: v for k, v in record.items() if k in names}
    for name in convert.keys() & values.keys():
        values[name] = convert[name](values[name])
    return RECORDS[kind][1](**values)
