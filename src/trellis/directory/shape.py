"""From an HSDS Directory (core.hsds) to the rows Trellis keeps, and back.

Each organisation, location, service and service-at-location row keeps its own HSDS record and
the records it owns (`parts`: phones, schedules, languages, addresses …), so the export can give
back every record it was given. Beside them, the columns search filters on are derived here:
community categories from the taxonomy crosswalk, languages, a phone, cost, eligibility.
Pure: no database.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from trellis.core.hsds.model import RECORDS, Directory
from trellis.core.hsds.write import record
from trellis.core.taxonomy import Term, category
from trellis.knowledge.taxonomy import crosswalk

FREE = re.compile(r"\bfree\b|\bno (?:fee|cost|charge)s?\b", re.IGNORECASE)
SLIDING = re.compile(r"sliding", re.IGNORECASE)
INSURANCE = re.compile(r"insurance|medicaid|medicare|tricare", re.IGNORECASE)
# Open Eligibility population terms that restrict who a service takes.
SEX_TERMS = {"women": "female", "men": "male"}


@dataclass(slots=True)
class Row:
    hsds_id: str
    record: dict[str, Any]
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    links: dict[str, str | None] = field(default_factory=dict)  # fk name -> HSDS id
    derived: bool = False
    # The JSON made by `json`, where it has been: none on the fast path (csv_load), which
    # makes each row's JSON as it sends it, so its million rows hold no dict for it.
    _texts: dict[str, bytes] | None = field(default=None, repr=False, compare=False)

    def json(self, name: str) -> bytes:
        """`record` or `parts` as JSON, made once: the digest and the COPY both use it."""
        if self._texts is None:
            self._texts = {}
        cached = self._texts.get(name)
        if cached is None:
            # Kept as a copy of its own size: orjson's result keeps the heap block it was
            # written in (measured, about 4 KB a record), which a million services cannot afford.
            cached = self._texts[name] = bytes(memoryview(orjson.dumps(getattr(self, name))))
        return cached

    @property
    def digest(self) -> str:
        return digest(self.json("record"), self.json("parts"), self)


def digest(record: bytes, parts: bytes, row: Row) -> str:
    """SHA-256 of a row: its record's and parts' JSON, then its columns and links."""
    rest = orjson.dumps([row.columns, row.links], default=str)
    return hashlib.sha256(b"\x1f".join((record, parts, rest))).hexdigest()


@dataclass
class Shaped:
    organizations: list[Row]
    locations: list[Row]
    services: list[Row]
    pairings: list[Row]
    terms: list[Row]
    unmapped: list[str]  # taxonomy terms no community category answers ("taxonomy: code name")


def shape(d: Directory) -> Shaped:
    records = {kind: [record(v) for v in getattr(d, name)] for kind, (name, _) in RECORDS.items()}
    owned = owned_parts(records)
    service_terms = terms_of_services(records["attribute"], d.taxonomy_terms)
    unmapped: set[str] = set()
    said: dict[tuple[str, ...], TermFacts] = {}
    services = [
        service_row(s, owned, service_terms.get(s["id"], []), unmapped, said)
        for s in records["service"]
    ]
    return Shaped(
        organizations=[row(o, owned, "organization") for o in records["organization"]],
        locations=[location_row(loc, owned) for loc in records["location"]],
        services=services,
        pairings=pairings(
            records["service_at_location"], records["service"], records["location"], owned
        ),
        terms=[Row(t.id, record(t)) for t in d.taxonomy_terms],
        unmapped=sorted(unmapped),
    )


Owned = Mapping[tuple[str, str], Mapping[str, list[dict[str, Any]]]]
# Who owns a part, most specific first: the first of these links it has.
OWNERS = (
    ("service_at_location", "service_at_location_id"),
    ("service", "service_id"),
    ("location", "location_id"),
    ("organization", "organization_id"),
)
# The parts an owner's row keeps, by the name it keeps them under, in order.
PARTS = (
    ("phones", "phone"),
    ("schedules", "schedule"),
    ("languages", "language"),
    ("addresses", "address"),
    ("accessibility", "accessibility"),
    ("service_areas", "service_area"),
    ("cost_options", "cost_option"),
)
# Those and the attributes (which name their owner outright), in the order an owner keeps them.
KEPT = (*PARTS, ("attributes", "attribute"))
PART_KINDS = tuple(kind for _, kind in KEPT)


def owned_parts(records: Mapping[str, Iterable[dict[str, Any]]]) -> Owned:
    """(kind, id) of an owner → its parts by kind, from each kind's records sorted by id. Each
    part goes to its most specific owner; a phone's languages go with the phone, to the
    phone's owner."""
    parts: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for name, _, item, found in _placed(records):
        if found is not None:
            parts[found][name].append(item)
    return parts


def split_parts(
    records: Mapping[str, Iterable[dict[str, Any]]], kind: str
) -> tuple[Owned, dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Each part kind's records in two, in their order: those owned_parts gives to an owner of
    `kind`, both as owned_parts gives them and by kind of part, and the rest (owned by others,
    or by none). One pass: owned_parts of the first is not worked out again."""
    owned: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    theirs: dict[str, list[dict[str, Any]]] = {part: [] for part in PART_KINDS}
    rest: dict[str, list[dict[str, Any]]] = {part: [] for part in PART_KINDS}
    for name, part, item, found in _placed(records):
        if found is not None and found[0] == kind:
            theirs[part].append(item)
            owned[found][name].append(item)
        else:
            rest[part].append(item)
    return owned, theirs, rest


def _placed(
    records: Mapping[str, Iterable[dict[str, Any]]],
) -> Iterator[tuple[str, str, dict[str, Any], tuple[str, str] | None]]:
    """Each part, kind by kind in KEPT's order: the name its owner keeps it under, its kind,
    the part and (kind, id) of its owner, or None."""

    def owner(item: Mapping[str, Any]) -> tuple[str, str] | None:
        for kind, link in OWNERS:
            found = item.get(link)
            if found:
                return kind, found
        return None

    phone_owner = {p["id"]: owner(p) for p in records.get("phone", ())}
    for name, kind in KEPT:
        for item in records.get(kind, ()):
            if kind == "attribute":
                yield name, kind, item, (item["link_entity"], item["link_id"])
            else:
                found = owner(item) or phone_owner.get(item.get("phone_id") or "")
                yield name, kind, item, found


def terms_of_services(
    attributes: Iterable[Mapping[str, Any]], terms: Iterable[Any]
) -> dict[str, list[tuple[Any, str | None]]]:
    """Each service's taxonomy terms with their community categories (or None)."""
    # Each term is matched once, not once per service it classifies (one term, many services).
    matched = {t.id: (t, _match(t)) for t in terms}
    found: dict[str, list[tuple[Any, str | None]]] = defaultdict(list)
    for a in attributes:
        if a["link_entity"] == "service" and a["taxonomy_term_id"] in matched:
            found[a["link_id"]].append(matched[a["taxonomy_term_id"]])
    return found


def row(item: dict[str, Any], owned: Owned, kind: str) -> Row:
    """The row of a record: its id, the record and the parts it owns."""
    return Row(item["id"], item, dict(owned.get((kind, item["id"]), {})))


def location_row(item: dict[str, Any], owned: Owned) -> Row:
    made = row(item, owned, "location")
    addresses = made.parts.get("addresses", [])
    physical = next((a for a in addresses if a.get("address_type") == "physical"), None)
    first = physical or (addresses[0] if addresses else None)
    made.columns = {
        "name": (item.get("name") or "")[:300],
        "latitude": item.get("latitude"),
        "longitude": item.get("longitude"),
        "address": _address(first)[:500] if first else "",
    }
    made.links = {"organization": item.get("organization_id")}
    return made


def _address(a: Mapping[str, Any]) -> str:
    keys = ("address_1", "address_2", "city", "state_province", "postal_code")
    return ", ".join(str(a[k]) for k in keys if a.get(k))


def service_row(
    item: dict[str, Any],
    owned: Owned,
    terms: list[tuple[Any, str | None]],
    unmapped: set[str],
    said: dict[tuple[str, ...], TermFacts] | None = None,
) -> Row:
    """A service's row. `said` keeps what each set of terms says (`term_facts`) across the
    services of one import: most share their terms with many others."""
    made = row(item, owned, "service")
    facts = facts_of(terms, said)
    if facts.unmapped:
        unmapped.update(facts.unmapped)
    costs = made.parts.get("cost_options", [])
    fees = " ".join(
        [item.get("fees_description") or ""]
        + [c.get("option") or c.get("amount_description") or "" for c in costs]
    )
    made.columns = {
        "name": item["name"][:300],
        "status": item["status"],
        "categories": list(facts.categories),
        "languages": _languages(made.parts.get("languages", [])),
        "url": (item.get("url") or "")[:500],
        "email": (item.get("email") or "")[:300],
        "phone": _phone(made.parts.get("phones", [])),
        "minimum_age": _age(item.get("minimum_age")),
        "maximum_age": _age(item.get("maximum_age")),
        "sex": facts.sex,
        "veterans_only": facts.veterans_only,
        "free": bool(fees and FREE.search(fees)) or _zero_cost(costs),
        "sliding_scale": bool(fees and SLIDING.search(fees)),
        "insurance": bool(fees and INSURANCE.search(fees)),
        "faith_based": facts.faith_based,
        "peer_led": facts.peer_led,
        "schedules": made.parts.get("schedules", []),
    }
    made.links = {"organization": item["organization_id"]}
    return made


@dataclass(frozen=True)
class TermFacts:
    """What a service's taxonomy terms say of it."""

    categories: tuple[str, ...]  # community categories, sorted
    unmapped: tuple[str, ...]  # the terms no category answers ("taxonomy: code name")
    sex: str  # "female" / "male" when a population term restricts it
    veterans_only: bool
    faith_based: bool
    peer_led: bool


def facts_of(
    terms: list[tuple[Any, str | None]], said: dict[tuple[str, ...], TermFacts] | None = None
) -> TermFacts:
    """`term_facts` of a service's terms, kept in `said` (where given) for the next service
    with the same terms."""
    if said is None:
        return term_facts(terms)
    key = tuple([t.id for t, _ in terms])
    facts = said.get(key)
    if facts is None:
        facts = said[key] = term_facts(terms)
    return facts


def term_facts(terms: list[tuple[Any, str | None]]) -> TermFacts:
    found, unmapped = set(), []
    for t, match in terms:
        if match is None:
            unmapped.append(f"{t.taxonomy or '?'}: {t.code or ''} {t.name}".replace("  ", " "))
        else:
            found.add(match)
    names = {t.name.strip().lower() for t, _ in terms}
    return TermFacts(
        categories=tuple(sorted(found)),
        unmapped=tuple(unmapped),
        sex=next((SEX_TERMS[n] for n in names if n in SEX_TERMS), ""),
        veterans_only="veterans" in names,
        faith_based=any("faith" in n for n in names),
        peer_led=any("peer" in n for n in names),
    )


def _match(t: Any) -> str | None:
    """The community category of a taxonomy term (the crosswalk's), or None."""
    match = category(Term(t.taxonomy, t.code, t.name), crosswalk())
    return None if match is None else match.category


def pairings(
    listed: Iterable[dict[str, Any]],
    services: Iterable[Mapping[str, Any]],
    locations: Iterable[Mapping[str, Any]],
    owned: Owned,
) -> list[Row]:
    """The service-at-location rows, then for each service none lists, one at each of its
    organisation's locations (`derived`)."""
    rows = []
    for sal in listed:
        made = row(sal, owned, "service_at_location")
        made.links = {"service": sal["service_id"], "location": sal["location_id"]}
        rows.append(made)
    at_some = {r.links["service"] for r in rows}
    by_org: dict[str, list[str]] = defaultdict(list)
    for loc in locations:
        if loc.get("organization_id"):
            by_org[loc["organization_id"]].append(loc["id"])
    for s in services:
        if s["id"] in at_some:
            continue
        for loc_id in by_org.get(s["organization_id"], []):
            pair = Row(f"{s['id']}@{loc_id}", {}, derived=True)
            pair.links = {"service": s["id"], "location": loc_id}
            rows.append(pair)
    return rows


def pairing_columns(row: Row, place: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A pairing's own and its location's schedules; whether the location lists accessibility
    (`place`: the parts the location owns, empty for none)."""
    own = row.parts.get("schedules", [])
    return {
        "schedules": own or place.get("schedules", []),
        "accessible": bool(place.get("accessibility")),
    }


def _languages(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    found = [str(r.get("code") or r.get("name") or "").strip().lower() for r in rows]
    return sorted({f for f in found if f})


def _phone(rows: list[Mapping[str, Any]]) -> str:
    return str(rows[0].get("number") or "")[:100] if rows else ""


def _age(value: float | None) -> int | None:
    return int(value) if value is not None and 0 <= value <= 150 else None


def _zero_cost(rows: Iterable[Mapping[str, Any]]) -> bool:
    return any(r.get("amount") == 0 for r in rows)


# The columns of a search row, in the order `listing_values` gives them.
LISTING = ("at_id", "category", "latitude", "longitude")


def listing_values(
    pairings: Iterable[tuple[str, str | None, str | None]],
    places: Mapping[str, tuple[float | None, float | None]],
    categories: Mapping[str, list[str]],
    pairs: Mapping[str, int],
) -> list[tuple[int, str, float, float]]:
    """One search row per pairing (its id, service and location) at a located place and
    category of its service, or with an empty category when the service has none: the values
    of its columns (LISTING)."""
    rows = []
    for pair, service, location in pairings:
        latitude, longitude = places.get(location or "", (None, None))
        if latitude is None or longitude is None:
            continue
        at = pairs[pair]
        rows += [(at, c, latitude, longitude) for c in categories.get(service or "") or [""]]
    return rows
