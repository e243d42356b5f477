"""Importing and exporting the directory as Open Referral HSDS.

An import is one transaction. A source with problems changes nothing unless `skip_invalid`
is given; then the sound records go in and the report lists the rest. Each record is keyed by
its HSDS id and compared by digest: a re-import of the same data writes nothing, an update
writes only the records that changed. On PostgreSQL new rows go in with COPY, their keys taken
from the sequences beforehand; a large import into a directory it at least doubles rebuilds the
indexes and checks the foreign keys once at the end (`_bulk`). A large HSDS 3.0 CSV package with
nothing to report, into an empty directory, goes from its CSV rows to COPY without a Directory
in between (`csv_load.py`), storing the same rows; having resolved every link itself, it leaves
its rows' keys unchecked by PostgreSQL where the role may.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from trellis.audit import log as audit
from trellis.core.hsds.model import RECORDS, Directory, Problem
from trellis.core.hsds.read import collector_paused, read
from trellis.core.hsds.write import write_csv
from trellis.directory import copy_layout
from trellis.directory.models import (
    Listing,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Term,
)
from trellis.directory.shape import LISTING, Row, Shaped, listing_values, pairing_columns, shape

CHUNK = 5000
# Rows from which a PostgreSQL import that at least doubles the directory builds its indexes and
# checks its foreign keys once after loading instead of row by row (see _bulk).
BULK = 50_000
# The tables this import holds exclusive locks on (_bulk): no one else can insert into them, so
# a block of keys can be taken from each one's sequence at once (_keys).
_locked: ContextVar[frozenset[str]] = ContextVar("locked", default=frozenset())


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
    # Imported here: csv_load builds on this module.
    from trellis.directory.csv_load import import_clean

    with collector_paused():  # millions of short-lived records, none in a cycle (see read)
        fast = import_clean(Path(path), by=by) if status_if_missing is None else None
        if fast is not None:
            return fast
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
    with _bulk(len(shaped.services) + len(shaped.locations) + len(shaped.pairings)):
        orgs = _upsert(Organization, shaped.organizations, report, "organizations")
        locations = _upsert(Location, shaped.locations, report, "locations", {"organization": orgs})
        services = _upsert(Service, shaped.services, report, "services", {"organization": orgs})
        places = {r.hsds_id: r for r in shaped.locations}
        for row in shaped.pairings:
            place = places.get(row.links["location"] or "")
            row.columns = pairing_columns(row, place.parts if place else {})
        pairs = _upsert(
            ServiceAtLocation,
            shaped.pairings,
            report,
            "service_at_locations",
            {"service": services, "location": locations},
        )
        _upsert(Term, shaped.terms, report, "taxonomy_terms")
        _reindex(shaped, report, services, pairs)
    record_import(report, by, problems=len(problems))
    return report


def record_import(report: Report, by: Any, *, problems: int) -> None:
    """The import's audit entry: its counts and how many problems it left out."""
    audit.record(
        by,
        "import",
        object_type="Directory",
        purpose="operations",
        detail={k: vars(v) for k, v in report.counts.items()} | {"problems": problems},
    )


@contextmanager
def _bulk(incoming: int, *, links_resolved: bool = False) -> Iterator[Rebuilds | None]:
    """A large load on PostgreSQL into directory tables it at least doubles: drop their
    secondary indexes and the foreign keys they hold (to each other, and to the curator who
    verified a row), load, then build each index in one sorted pass and check each foreign key
    with one join, instead of a tree insert per row and index and a deferred trigger per row and
    key at commit. All inside the import's transaction, so a failed import restores them as they
    were; the directory's tables stay locked against readers until it commits. Unique and
    primary keys are kept throughout, and so are partial indexes (`_sparse_keys`). What it
    yields (None where it drops nothing) gives the statements that rebuild a table's share
    once its rows are in (`Rebuilds.ready`); the rest run at the end.

    `links_resolved`: the caller stores only rows whose every link it has resolved to a row it
    stores in the same load, into empty tables (csv_load), and declines, rolling back, where
    one does not. Where the role may (`_may_leave_keys_unchecked`), the foreign keys are then
    kept rather than dropped, and left unchecked for the load's rows, as pg_restore leaves a
    restore's (`session_replication_role = replica`, which fires no key's trigger), rather
    than checked again by PostgreSQL with a join of each key's two tables after the load
    (measured at a million services: 2.5-3 s less of PostgreSQL's work, most of it at the end of
    the import); the setting is as before once the load is done."""
    models = (Organization, Location, Service, ServiceAtLocation, Listing)
    tables = [m._meta.db_table for m in models]
    if connection.vendor != "postgresql" or incoming < BULK or _rows(models) * 2 > incoming:
        yield None
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # What the drops below take anyway, said outright: _keys relies on it.
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid),"
            " confrelid::regclass::text"
            " FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT indrelid::regclass::text, indexrelid::regclass::text,"
            " pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary"
            " AND indpred IS NULL",
            [tables],
        )
        indexes = cursor.fetchall()
        sparse = _sparse_keys(cursor, tables)
        cursor.execute("SELECT current_setting('enable_seqscan')")
        (seqscan,) = cursor.fetchone()
        _check_deferred(cursor)
        replication = None
        if links_resolved and _may_leave_keys_unchecked(cursor):
            cursor.execute("SELECT current_setting('session_replication_role')")
            (replication,) = cursor.fetchone()
            cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
            keys = []  # kept
        for table, name, _, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for _, name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    rebuilds = Rebuilds(
        set(tables),
        [(table, definition) for table, _, definition in indexes],
        [
            (table, target, _add_key(table, quote(name), definition, name in sparse, seqscan))
            for table, name, definition, target in keys
        ],
    )
    locked = _locked.set(frozenset(tables))
    try:
        yield rebuilds
    finally:
        _locked.reset(locked)
    with connection.cursor() as cursor:
        for statement in rebuilds.ready(set(tables)):
            cursor.execute(statement)
        if replication is not None:
            cursor.execute("SELECT set_config('session_replication_role', %s, true)", [replication])


def _may_leave_keys_unchecked(cursor: Any) -> bool:
    """Whether this role may set `session_replication_role`: a superuser, or (PostgreSQL 15
    and later) a role granted SET on it."""
    granted = "has_parameter_privilege('session_replication_role', 'SET')"
    if connection.pg_version < 150000:
        granted = "false"
    cursor.execute(f"SELECT current_setting('is_superuser') = 'on' OR {granted}")
    (may,) = cursor.fetchone()
    return bool(may)


def _sparse_keys(cursor: Any, tables: list[str]) -> set[str]:
    """The foreign keys whose column has a partial index of its rows that are set (the
    curator who verified a row: none in an import). Such an index is kept through the load,
    since keeping it costs a test per row and building it a scan of the table."""
    cursor.execute(
        "SELECT c.conname FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " JOIN pg_index i ON i.indrelid = c.conrelid AND i.indnatts = 1"
        " AND i.indkey[0] = c.conkey[1]"
        " WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])"
        " AND cardinality(c.conkey) = 1"
        " AND pg_get_expr(i.indpred, i.indrelid) = format('(%%I IS NOT NULL)', a.attname)",
        [tables],
    )
    return {name for (name,) in cursor.fetchall()}


def _add_key(table: str, name: str, definition: str, sparse: bool, seqscan: str) -> str:
    """The statement that adds a dropped foreign key again, checking the rows it holds. A
    sparse key's rows are checked through its partial index (`_sparse_keys`): a table scan
    is ruled out while it is checked, then allowed as before."""
    add = f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
    if not sparse:
        return add
    return f"SET LOCAL enable_seqscan = off; {add}; SET LOCAL enable_seqscan = {seqscan}"


@dataclass
class Rebuilds:
    """The indexes and foreign keys a bulk load dropped, each made again once."""

    tables: set[str]  # the tables being loaded
    indexes: list[tuple[str, str]]  # (table, CREATE INDEX …)
    keys: list[tuple[str, str, str]]  # (table, the table it refers to, ALTER TABLE …)
    loaded: set[str] = field(default_factory=set)

    def ready(self, loaded: Iterable[str]) -> list[str]:
        """Now that the tables `loaded` hold their rows (with those said before): the
        statements that build their indexes, and the keys whose both ends are loaded (or not
        being loaded), not given before."""
        self.loaded |= set(loaded)
        indexes = [index for index in self.indexes if index[0] in self.loaded]
        keys = [
            key
            for key in self.keys
            if key[0] in self.loaded and (key[1] in self.loaded or key[1] not in self.tables)
        ]
        self.indexes = [index for index in self.indexes if index not in indexes]
        self.keys = [key for key in self.keys if key not in keys]
        return [d for _, d in indexes] + [d for _, _, d in keys]


def _check_deferred(cursor: Any) -> None:
    """Run the foreign-key checks queued for commit now: PostgreSQL alters no table and builds
    no index while any are queued against it. Django's keys are all deferred; they stay so."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _rows(models: Iterable[Any]) -> int:
    return sum(m.objects.count() for m in models if m is not Listing)


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
    fresh: list[Row] = []
    changed: list[Any] = []
    fields: list[str] = []
    now = timezone.now()
    for row in rows:
        known = existing.get(row.hsds_id)
        if known is None:
            fresh.append(row)
            continue
        values = _values(model, row, links or {}, now)
        if known[1] != values["digest"]:
            values.pop("_texts")
            changed.append(model(pk=known[0], **values))
            fields = [f for f in values if f != "hsds_id"]  # curation state is left alone
        else:
            count.unchanged += 1
    # The new rows are made as they are inserted: on PostgreSQL, Python makes the next ones
    # while the server stores the last, and they are never all held at once (measured at a
    # million services: the writes 50 s → 39 s of wall time, the peak 0.9 GB lower).
    ids = _insert(model, (_values(model, row, links or {}, now) for row in fresh), len(fresh))
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=CHUNK // 5)
    count.created, count.updated = count.created + len(fresh), count.updated + len(changed)
    report.counts[name] = count
    found = {k: v[0] for k, v in existing.items()}
    found.update(zip([row.hsds_id for row in fresh], ids, strict=True))
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


def _insert(model: Any, made: Iterable[dict[str, Any]], count: int) -> list[int]:
    """Insert the `count` rows `made` gives; return their primary keys, in order."""
    if not count:
        return []
    if connection.vendor == "postgresql":
        return _copy(model, iter(made), count)
    rows = list(made)
    fresh = [model(**{k: v for k, v in r.items() if k != "_texts"}) for r in rows]
    made = model.objects.bulk_create(fresh, batch_size=CHUNK // 5)
    ids = [row.pk for row in made]  # SQLite ≥ 3.35 returns the new keys (RETURNING)
    if None in ids:  # an older SQLite: read them back
        known = _existing(model, [r["hsds_id"] for r in rows])
        ids = [known[r["hsds_id"]][0] for r in rows]
    return ids


def _copy(model: Any, rows: Iterator[dict[str, Any]], count: int) -> list[int]:
    """COPY … FROM STDIN: the fast way PostgreSQL takes many new rows. The keys are taken
    from the table's sequence first, in one query, so none has to be read back."""
    first = next(rows)
    columns = copy_layout.layout(model, first)
    with connection.cursor() as cursor:
        ids = _keys(cursor, columns.table, count)
        # Sent from a thread of its own, so that Python goes on making rows while PostgreSQL
        # takes them, instead of waiting for each megabyte to be flushed.
        writer = QueuedLibpqWriter(cursor.cursor)
        sending = copy_layout.sends_bytes(cursor.cursor)
        with sending.copy(columns.sql, writer=writer) as copy:
            copy.set_types(columns.types)
            write, values = copy.write_row, columns.values
            for pk, row in zip(ids, chain([first], rows), strict=True):
                write(values(pk, row))
    return ids


def _keys(cursor: Any, table: str, n: int) -> list[int]:
    """n new keys from the table's sequence. While the import holds the table's exclusive lock
    no other insert can take one in between, so one setval takes the whole block; otherwise
    each is drawn with nextval (measured: 3.5 µs of PostgreSQL's time a key)."""
    if table in _locked.get():
        cursor.execute(
            "SELECT setval(s, nextval(s) + %s - 1) FROM pg_get_serial_sequence(%s, 'id') AS s",
            [n, table],
        )
        (last,) = cursor.fetchone()
        return list(range(last - n + 1, last + 1))
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, n],
    )
    return [i for (i,) in cursor.fetchall()]


def _reindex(
    shaped: Shaped, report: Report, services: dict[str, int], pairs: dict[str, int]
) -> None:
    """The search rows of the imported services, built from what was just shaped."""
    kinds = ("locations", "services", "service_at_locations")
    if not any(report.counts[k].created + report.counts[k].updated for k in kinds):
        return
    places = {r.hsds_id: (r.columns["latitude"], r.columns["longitude"]) for r in shaped.locations}
    categories = {r.hsds_id: r.columns["categories"] for r in shaped.services}
    if Listing.objects.exists():
        ids = list(services.values())
        for start in range(0, len(ids), CHUNK):
            Listing.objects.filter(at__service_id__in=ids[start : start + CHUNK]).delete()
    pairings = ((p.hsds_id, p.links["service"], p.links["location"]) for p in shaped.pairings)
    rows = listing_rows(pairings, places, categories, pairs)
    _insert(Listing, rows, len(rows))


def listing_rows(
    pairings: Iterable[tuple[str, str | None, str | None]],
    places: Mapping[str, tuple[float | None, float | None]],
    categories: Mapping[str, list[str]],
    pairs: Mapping[str, int],
) -> list[dict[str, Any]]:
    """`shape.listing_values`, each row a dict of its columns."""
    return [
        dict(zip(LISTING, v, strict=True))
        for v in listing_values(pairings, places, categories, pairs)
    ]


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
