"""Importing and exporting the directory as Open Referral HSDS.

An import is one transaction. A source with problems changes nothing unless `skip_invalid`
is given; then the sound records go in and the report lists the rest. Each record is keyed by
its HSDS id and compared by digest: a re-import of the same data writes nothing, an update
writes only the records that changed. On PostgreSQL new rows go in with COPY.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone

from trellis.audit import log as audit
from trellis.core.hsds.model import RECORDS, Directory, Problem
from trellis.core.hsds.read import collector_paused, read
from trellis.core.hsds.write import write_csv
from trellis.directory.models import (
    Listing,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Term,
)
from trellis.directory.shape import Row, Shaped, pairing_columns, shape

CHUNK = 5000


@dataclass
class Count:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Report:
    imported: bool
    problems: tuple[Problem, ...] = ()
    unmapped: list[str] = field(default_factory=list)
    counts: dict[str, Count] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "counts": {k: vars(v) for k, v in self.counts.items()},
            "problems": [_problem(p) for p in self.problems],
            "unmapped_terms": self.unmapped,
        }


def _problem(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "record_id": p.record_id, "field": p.field, "reason": p.reason}


def import_path(
    path: str | Path,
    *,
    skip_invalid: bool = False,
    status_if_missing: str | None = None,
    by: Any = None,
) -> Report:
    """Read and import; `status_if_missing` is the operator's statement of what a source's
    services without a status are (HSDS requires one), never a guess made here."""
    with collector_paused():  # millions of short-lived records, none in a cycle (see read)
        directory, problems = read(path, status_if_missing=status_if_missing)
        if problems and not skip_invalid:
            return Report(imported=False, problems=problems)
        return import_directory(directory, problems=problems, by=by)


@transaction.atomic
def import_directory(
    directory: Directory, *, problems: Sequence[Problem] = (), by: Any = None
) -> Report:
    shaped = shape(directory)
    report = Report(imported=True, problems=tuple(problems), unmapped=shaped.unmapped)
    orgs = _upsert(Organization, shaped.organizations, report, "organizations")
    locations = _upsert(Location, shaped.locations, report, "locations", {"organization": orgs})
    services = _upsert(Service, shaped.services, report, "services", {"organization": orgs})
    places = {r.hsds_id: r for r in shaped.locations}
    for row in shaped.pairings:
        row.columns = pairing_columns(row, places.get(row.links["location"] or ""))
    pairs = _upsert(
        ServiceAtLocation,
        shaped.pairings,
        report,
        "service_at_locations",
        {"service": services, "location": locations},
    )
    _upsert(Term, shaped.terms, report, "taxonomy_terms")
    _reindex(shaped, report, services, pairs)
    audit.record(
        by,
        "import",
        object_type="Directory",
        purpose="operations",
        detail={k: vars(v) for k, v in report.counts.items()} | {"problems": len(problems)},
    )
    return report


def _upsert(
    model: Any,
    rows: list[Row],
    report: Report,
    name: str,
    links: dict[str, dict[str, int]] | None = None,
) -> dict[str, int]:
    """Insert new rows and update changed ones; return HSDS id → primary key for all of them."""
    count = report.counts.setdefault(name, Count())
    existing = _existing(model, [r.hsds_id for r in rows])
    fresh: list[dict[str, Any]] = []
    changed: list[Any] = []
    fields: list[str] = []
    now = timezone.now()
    for row in rows:
        values = _values(model, row, links or {}, now)
        known = existing.get(row.hsds_id)
        if known is None:
            fresh.append(values)
        elif known[1] != values["digest"]:
            values.pop("_texts")
            changed.append(model(pk=known[0], **values))
            fields = [f for f in values if f != "hsds_id"]  # curation state is left alone
        else:
            count.unchanged += 1
    _insert(model, fresh)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=CHUNK // 5)
    count.created, count.updated = count.created + len(fresh), count.updated + len(changed)
    report.counts[name] = count
    found = {k: v[0] for k, v in existing.items()}
    if fresh:
        found |= {k: v[0] for k, v in _existing(model, [v["hsds_id"] for v in fresh]).items()}
    return found


def _values(model: Any, row: Row, links: dict[str, dict[str, int]], now: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"hsds_id": row.hsds_id, "record": row.record, "digest": row.digest}
    if "parts" in _columns(model):
        values["parts"] = row.parts
    values["_texts"] = row._texts  # JSON already made for the digest, reused by COPY
    if model is ServiceAtLocation:
        values["derived"] = row.derived
    for fk, target in row.links.items():
        values[f"{fk}_id"] = links[fk].get(target or "")
    values |= row.columns
    if model in (Organization, Location, Service):
        values["updated"] = now
    if model is Organization:
        values["name"] = str(row.record.get("name", ""))[:300]
    return values


@cache
def _columns(model: Any) -> frozenset[str]:
    return frozenset(f.attname for f in model._meta.concrete_fields)


def _existing(model: Any, ids: list[str]) -> dict[str, tuple[int, str]]:
    if not ids or not model.objects.exists():
        return {}
    if len(ids) * 2 > model.objects.count():  # most of the table: one scan beats IN lists
        wanted = set(ids)
        rows = model.objects.values_list("hsds_id", "pk", "digest").iterator(CHUNK * 4)
        return {h: (pk, digest) for h, pk, digest in rows if h in wanted}
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = model.objects.filter(hsds_id__in=chunk).values_list("hsds_id", "pk", "digest")
        found |= {h: (pk, digest) for h, pk, digest in rows}
    return found


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, rows)
    else:
        fresh = [model(**{k: v for k, v in r.items() if k != "_texts"}) for r in rows]
        model.objects.bulk_create(fresh, batch_size=CHUNK // 5)


def _copy(model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY … FROM STDIN: the fast way PostgreSQL takes many new rows."""
    names = [n for n in rows[0] if n != "_texts"]
    columns = {f.attname: f for f in model._meta.concrete_fields}
    defaults = {
        f.attname: f.get_default() for f in model._meta.concrete_fields if f.attname not in names
    }
    defaults.pop("id", None)
    all_names = names + list(defaults)
    jsons = {n for n in all_names if columns[n].get_internal_type() == "JSONField"}
    sql = f"COPY {model._meta.db_table} ({', '.join(all_names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            texts = row.get("_texts") or {}
            values = [row[n] for n in names] + list(defaults.values())
            copy.write_row(
                [
                    (texts.get(n) or orjson.dumps(v)).decode() if n in jsons else v
                    for n, v in zip(all_names, values, strict=True)
                ]
            )


def _reindex(
    shaped: Shaped, report: Report, services: dict[str, int], pairs: dict[str, int]
) -> None:
    """The search rows of the imported services, built from what was just shaped."""
    kinds = ("locations", "services", "service_at_locations")
    if not any(report.counts[k].created + report.counts[k].updated for k in kinds):
        return
    places = {r.hsds_id: r.columns for r in shaped.locations}
    categories = {r.hsds_id: r.columns["categories"] for r in shaped.services}
    if Listing.objects.exists():
        ids = list(services.values())
        for start in range(0, len(ids), CHUNK):
            Listing.objects.filter(at__service_id__in=ids[start : start + CHUNK]).delete()
    rows = []
    for pair in shaped.pairings:
        place = places.get(pair.links["location"] or "")
        if place is None or place["latitude"] is None or place["longitude"] is None:
            continue
        for category in categories.get(pair.links["service"] or "") or [""]:
            rows.append(
                {
                    "at_id": pairs[pair.hsds_id],
                    "category": category,
                    "latitude": place["latitude"],
                    "longitude": place["longitude"],
                }
            )
    _insert(Listing, rows)


# ---------------------------------------------------------------------- export


def export_json(folder: str | Path) -> dict[str, int]:
    """HSDS 3.0 JSON, one file per kind of record (as core.hsds.write_json lays it out)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    lists = _records()
    for kind, (attribute, _) in RECORDS.items():
        text = json.dumps(lists.get(kind, []), indent=2, ensure_ascii=False) + "\n"
        (out / f"{attribute}.json").write_text(text, encoding="utf-8")
    return {attribute: len(lists.get(kind, [])) for kind, (attribute, _) in RECORDS.items()}


def export_csv(folder: str | Path) -> dict[str, int]:
    """HSDS 3.0 CSV tables with the spec's datapackage.json: the JSON export, read and tabled."""
    with tempfile.TemporaryDirectory() as scratch:
        counts = export_json(scratch)
        directory, _ = read(scratch)
    write_csv(directory, folder)
    return counts


def _records() -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RECORDS}
    sources: Iterable[tuple[str, Any]] = (
        ("organization", Organization.objects.all()),
        ("location", Location.objects.all()),
        ("service", Service.objects.all()),
        ("service_at_location", ServiceAtLocation.objects.filter(derived=False)),
    )
    for kind, rows in sources:
        for row in rows.values("record", "parts").iterator(CHUNK):
            lists[kind].append(row["record"])
            for part_kind, items in (row["parts"] or {}).items():
                lists[_kind_of(part_kind)].extend(items)
    lists["taxonomy_term"] = list(Term.objects.values_list("record", flat=True))
    return lists


def _kind_of(attribute: str) -> str:
    return next(kind for kind, (name, _) in RECORDS.items() if name == attribute)
