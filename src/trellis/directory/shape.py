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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from trellis.core.hsds.model import Directory
from trellis.core.hsds.write import record
from trellis.core.taxonomy import Term, category
from trellis.knowledge.taxonomy import crosswalk

FREE = re.compile(r"\bfree\b|\bno (?:fee|cost|charge)s?\b", re.IGNORECASE)
SLIDING = re.compile(r"sliding", re.IGNORECASE)
INSURANCE = re.compile(r"insurance|medicaid|medicare|tricare", re.IGNORECASE)
# Open Eligibility population terms that restrict who a service takes.
SEX_TERMS = {"women": "female", "men": "male"}


@dataclass
class Row:
    hsds_id: str
    record: dict[str, Any]
    parts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    links: dict[str, str | None] = field(default_factory=dict)  # fk name -> HSDS id
    derived: bool = False
    _texts: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def json(self, name: str) -> bytes:
        """`record` or `parts` as JSON, made once: the digest and the COPY both use it."""
        cached = self._texts.get(name)
        if cached is None:
            # Kept as a copy of its own size: orjson's result keeps the heap block it was
            # written in (measured, about 4 KB a record), which a million services cannot afford.
            cached = self._texts[name] = bytes(memoryview(orjson.dumps(getattr(self, name))))
        return cached

    @property
    def digest(self) -> str:
        rest = orjson.dumps([self.columns, self.links], default=str)
        return hashlib.sha256(
            b"\x1f".join((self.json("record"), self.json("parts"), rest))
        ).hexdigest()


@dataclass
class Shaped:
    organizations: list[Row]
    locations: list[Row]
    services: list[Row]
    pairings: list[Row]
    terms: list[Row]
    unmapped: list[str]  # taxonomy terms no community category answers ("taxonomy: code name")


def shape(d: Directory) -> Shaped:
    owned = _owned(d)
    # Each term is matched once, not once per service it classifies (one term, many services).
    terms = {t.id: (t, _match(t)) for t in d.taxonomy_terms}
    service_terms: dict[str, list[Any]] = defaultdict(list)
    for a in d.attributes:
        if a.link_entity == "service" and a.taxonomy_term_id in terms:
            service_terms[a.link_id].append(terms[a.taxonomy_term_id])
    unmapped: set[str] = set()
    services = [_service(s, owned, service_terms.get(s.id, []), unmapped) for s in d.services]
    return Shaped(
        organizations=[_row(o, owned, "organization") for o in d.organizations],
        locations=[_location(loc, owned) for loc in d.locations],
        services=services,
        pairings=_pairings(d, owned),
        terms=[Row(t.id, record(t)) for t in d.taxonomy_terms],
        unmapped=sorted(unmapped),
    )


def _owned(d: Directory) -> dict[tuple[str, str], dict[str, list[dict[str, Any]]]]:
    """(kind, id) of an owner → its parts by kind. Each part goes to its most specific owner; a
    phone's languages go with the phone, to the phone's owner."""
    parts: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    owners = (
        ("service_at_location", "service_at_location_id"),
        ("service", "service_id"),
        ("location", "location_id"),
        ("organization", "organization_id"),
    )

    def owner(item: Any) -> tuple[str, str] | None:
        for kind, attribute in owners:
            found = getattr(item, attribute, None)
            if found:
                return kind, found
        return None

    phone_owner = {p.id: owner(p) for p in d.phones}
    for kind, items in (
        ("phones", d.phones),
        ("schedules", d.schedules),
        ("languages", d.languages),
        ("addresses", d.addresses),
        ("accessibility", d.accessibility),
        ("service_areas", d.service_areas),
        ("cost_options", d.cost_options),
    ):
        for item in items:
            found = owner(item) or phone_owner.get(getattr(item, "phone_id", None) or "")
            if found is not None:
                parts[found][kind].append(record(item))
    for a in d.attributes:
        parts[(a.link_entity, a.link_id)]["attributes"].append(record(a))
    return parts


def _row(value: Any, owned: Mapping[tuple[str, str], Any], kind: str) -> Row:
    mine = owned.get((kind, value.id), {})
    return Row(value.id, record(value), dict(mine))


def _location(value: Any, owned: Mapping[tuple[str, str], Any]) -> Row:
    row = _row(value, owned, "location")
    addresses = row.parts.get("addresses", [])
    physical = next((a for a in addresses if a.get("address_type") == "physical"), None)
    first = physical or (addresses[0] if addresses else None)
    row.columns = {
        "name": (value.name or "")[:300],
        "latitude": value.latitude,
        "longitude": value.longitude,
        "address": _address(first)[:500] if first else "",
    }
    row.links = {"organization": value.organization_id}
    return row


def _address(a: Mapping[str, Any]) -> str:
    keys = ("address_1", "address_2", "city", "state_province", "postal_code")
    return ", ".join(str(a[k]) for k in keys if a.get(k))


def _service(
    value: Any,
    owned: Mapping[tuple[str, str], Any],
    terms: list[tuple[Any, str | None]],
    unmapped: set[str],
) -> Row:
    row = _row(value, owned, "service")
    found = set()
    for t, match in terms:
        if match is None:
            unmapped.add(f"{t.taxonomy or '?'}: {t.code or ''} {t.name}".replace("  ", " "))
        else:
            found.add(match)
    names = {t.name.strip().lower() for t, _ in terms}
    fees = " ".join(
        [value.fees_description or ""]
        + [
            c.get("option") or c.get("amount_description") or ""
            for c in row.parts.get("cost_options", [])
        ]
    )
    row.columns = {
        "name": value.name[:300],
        "status": value.status.value,
        "categories": sorted(found),
        "languages": _languages(row.parts.get("languages", [])),
        "url": (value.url or "")[:500],
        "email": (value.email or "")[:300],
        "phone": _phone(row.parts.get("phones", [])),
        "minimum_age": _age(value.minimum_age),
        "maximum_age": _age(value.maximum_age),
        "sex": next((SEX_TERMS[n] for n in names if n in SEX_TERMS), ""),
        "veterans_only": "veterans" in names,
        "free": bool(FREE.search(fees)) or _zero_cost(row.parts.get("cost_options", [])),
        "sliding_scale": bool(SLIDING.search(fees)),
        "insurance": bool(INSURANCE.search(fees)),
        "faith_based": any("faith" in n for n in names),
        "peer_led": any("peer" in n for n in names),
        "schedules": row.parts.get("schedules", []),
    }
    row.links = {"organization": value.organization_id}
    return row


def _match(t: Any) -> str | None:
    """The community category of a taxonomy term (the crosswalk's), or None."""
    match = category(Term(t.taxonomy, t.code, t.name), crosswalk())
    return None if match is None else match.category


def _pairings(d: Directory, owned: Mapping[tuple[str, str], Any]) -> list[Row]:
    rows = []
    for sal in d.service_at_locations:
        row = _row(sal, owned, "service_at_location")
        row.links = {"service": sal.service_id, "location": sal.location_id}
        rows.append(row)
    listed = {sal.service_id for sal in d.service_at_locations}
    by_org: dict[str, list[str]] = defaultdict(list)
    for loc in d.locations:
        if loc.organization_id:
            by_org[loc.organization_id].append(loc.id)
    for s in d.services:
        if s.id in listed:
            continue
        for loc_id in by_org.get(s.organization_id, []):
            pair = Row(f"{s.id}@{loc_id}", {}, derived=True)
            pair.links = {"service": s.id, "location": loc_id}
            rows.append(pair)
    return rows


def pairing_columns(row: Row, location: Row | None) -> dict[str, Any]:
    """A pairing's own and its location's schedules; whether the location lists accessibility."""
    own = row.parts.get("schedules", [])
    place = location.parts if location else {}
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
