"""A large, clean HSDS 3.0 CSV package into an empty directory on PostgreSQL, the fast way.

It stores the rows, keys and search rows, and returns the report and audit entry, that
`importer.import_directory` would (tests/web/directory/test_import_csv_load.py compares the
two), without a Directory in between: each table is read with csv_source's plan (the schema's
checks, applied to cells), its ids and links are checked against the tables read before it,
its rows are shaped by shape.py's own functions, and COPY takes them in a thread of its own
while the next table is read, so that PostgreSQL and Python work at the same time; each
table's dropped indexes and keys are made again as soon as its rows are in. The services, the
most work of any table, are read with the parts (phones, languages, attributes …) and made
ready for COPY by a forked copy of this process, started first, which hands this one the parts
no service owns as soon as it has read them, then the services' ids, organisations and
categories, from which this one keys the pairings and makes the search rows; this one does the
rest meanwhile. The copy hands
over the services' COPY data in shares (SHARE rows each) as it makes them, and the thread sends
each between this process's tables, so that PostgreSQL takes most services while both
processes still work, rather than all of them at the end (measured at a million services:
79 s against 87 s for the whole file sent once the copy was done). This process's tables go the
same way, a COPY of SHARE rows as soon as each is made, so PostgreSQL starts on the locations
before the last of them is made, and each share's data is let go once sent (the importing
process's peak memory: 2.9 GB against 3.1).

It applies only where there is nothing to report. At the first thing the ordinary path would
report (a row the plan fails, an id met twice, a link that does not resolve, a place off the
globe, a file that cannot be read) it stops, what it wrote is rolled back, and the ordinary
path reads the package and words the problems.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import tempfile
import threading
import traceback
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from itertools import chain, islice
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone
from psycopg.copy import Copy, FileWriter

from trellis.core.hsds import assemble, csv_source, schema
from trellis.core.hsds.model import RECORDS, Problem
from trellis.core.hsds.tabular import Table, cells, number, read_table
from trellis.core.hsds.write import record
from trellis.directory import copy_layout, shape
from trellis.directory.importer import (
    Count,
    Rebuilds,
    Report,
    _bulk,
    _values,
    record_import,
)
from trellis.directory.models import (
    Listing,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Term,
)

# Services, locations and pairings (lines of their files) from which this path is taken.
LARGE = 50_000
# Rows a COPY takes at most: a table's rows are queued a share at a time as they are made, so
# that PostgreSQL starts on them sooner (the forked process hands over the services' likewise).
SHARE = 100_000
# The services' process's priority once the importing process no longer waits on it and
# PostgreSQL has its first services: the least there is (os.nice), so that it takes only the
# time the others leave.
NICE = 19
# The shares of services the services' process hands over before it takes that priority, at
# the time PostgreSQL has little else to store (the locations come a share at a time as they
# are made). Measured at a million services, runs in turn, six rounds: the import 0.3-2.1 s
# faster than with the priority lowered before the first share (36.3-40.6 s against 36.6-42.6).
EARLY_SHARES = 2
MODELS = (Organization, Location, Service, ServiceAtLocation, Term, Listing)


class DeclinedError(Exception):
    """Something the ordinary path would report, or a package this path does not read."""


def import_clean(folder: Path, *, by: Any = None) -> Report | None:
    """Import the package as `importer.import_path` would, or None where this path does not
    apply and nothing was changed."""
    if connection.vendor != "postgresql" or not _is_csv(folder):
        return None
    found = _tables(folder)
    incoming = _lines(found) if found is not None else 0
    if found is None or incoming < LARGE or any(m.objects.exists() for m in MODELS):
        return None
    try:
        with transaction.atomic():
            return _load(found, incoming, by)
    except DeclinedError:
        return None


def _is_csv(folder: Path) -> bool:
    return folder.is_dir() and (
        any(folder.glob("*.csv")) or (folder / "datapackage.json").is_file()
    )


def _tables(folder: Path) -> dict[str, list[Table]] | None:
    """Each kind's CSV tables, as csv_source finds them; None for a package with a problem
    of its own or HSDS 1.1."""
    problems: list[Problem] = []
    version, files = csv_source.package(folder, problems)
    if problems or version != "3.0":
        return None
    found: dict[str, list[Table]] = defaultdict(list)
    for name, paths in files.items():
        kind = schema.kind_named(name)
        if kind is None:
            continue  # a table the directory does not keep
        for path in paths:
            table = read_table(folder / path, path, problems)
            if table is None:
                return None
            found[kind].append(table)
    return found


def _lines(found: Mapping[str, list[Table]]) -> int:
    """About how many rows the services, locations and pairings are (a quoted line break
    counts twice): enough to tell a large import."""
    total = 0
    for kind in ("service", "location", "service_at_location"):
        for table in found.get(kind, ()):
            with table.path.open("rb") as f:
                total += sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
    return total


def _load(found: Mapping[str, list[Table]], incoming: int, by: Any) -> Report:
    names = ("organizations", "locations", "services", "service_at_locations", "taxonomy_terms")
    report = Report(imported=True, counts={name: Count() for name in names})
    _lock()
    with (
        tempfile.TemporaryDirectory() as scratch,
        _bulk(incoming, links_resolved=True) as rebuilds,
        _Writer(rebuilds) as writer,
    ):
        _Load(found, report, writer, _next_keys(), Path(scratch)).run()
    _set_keys(writer.used)
    record_import(report, by, problems=0)
    return report


def _lock() -> None:
    """Lock the directory's tables against writers until the import commits, so that no key
    is drawn from their sequences but this import's, and see that they are still empty."""
    tables = ", ".join(m._meta.db_table for m in MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    if any(m.objects.exists() for m in MODELS):
        raise DeclinedError


def _next_keys() -> dict[str, int]:
    """Each table's next key, read from its sequence without drawing it."""
    found = {}
    with connection.cursor() as cursor:
        for model in MODELS:
            table = model._meta.db_table
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value + is_called::int FROM {sequence}")  # noqa: S608
            (found[table],) = cursor.fetchone()
    return found


def _set_keys(used: Mapping[str, tuple[int, int]]) -> None:
    """Move each sequence past the keys taken, as drawing them would have."""
    with connection.cursor() as cursor:
        for table, (first, count) in used.items():
            if count:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [table, first + count - 1],
                )


class _Writer:
    """COPY in a thread of its own: tables are queued with their data, sent one after
    another while the main thread makes the next. After each table, the indexes and keys of
    the bulk load (`rebuilds`) that its rows make ready are built, while Python still works.
    When the main thread stops on an error, the thread stops too: the transaction is rolled
    back, so the rest need not be sent. The thread starts with the first table queued, after
    the services' process is forked: a fork copies no thread, nor a lock one might hold."""

    def __init__(self, rebuilds: Rebuilds | None = None) -> None:
        self.rebuilds = rebuilds
        self.jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.stopped = threading.Event()
        self.used: dict[str, tuple[int, int]] = {}
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.starting = threading.Lock()
        self.feeders: list[threading.Thread] = []

    def __enter__(self) -> _Writer:
        connection.ensure_connection()
        self.cursor = connection.connection.cursor()
        # One that never runs a statement: psycopg makes COPY's format with it, here.
        self.formatting = copy_layout.sends_bytes(connection.connection.cursor())
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if error is not None:
            self.stopped.set()
        for feeder in self.feeders:
            feeder.join()
        if self.thread.ident is not None:  # started
            self.jobs.put(None)
            self.thread.join()
        self.cursor.close()
        self.formatting.close()
        if error is None and self.error is not None:
            # PostgreSQL refused a row (a value too long for its column …): the ordinary path
            # meets the same refusal and says so as it always has.
            raise DeclinedError from self.error

    def format(
        self,
        model: Any,
        first_key: int,
        rows: Iterable[Any],
        into: Any,
        layout: Callable[[Any, Any], Any] = copy_layout.layout,
    ) -> str | None:
        """Write the rows in COPY's format, keys from `first_key`, to `into` (anything with a
        `write`); return the COPY statement that takes them, or None if there are none. The
        rows are dicts of `importer._values` unless `layout` (made from the model and the
        first row: its `sql`, and its `values` of a key and a row) reads others. psycopg
        makes the format without sending anything."""
        made = iter(rows)
        first = next(made, None)
        if first is None:
            return None
        columns = layout(model, first)
        with Copy(self.formatting, binary=True, writer=FileWriter(into)) as copy:
            copy.set_types(columns.types)
            write, values = copy.write_row, columns.values
            for pk, row in enumerate(chain([first], made), first_key):
                write(values(pk, row))
        return columns.sql

    def send(
        self,
        model: Any,
        first_key: int,
        rows: Iterable[Any],
        count: int,
        layout: Callable[[Any, Any], Any] = copy_layout.layout,
    ) -> list[int]:
        """Queue `count` rows for COPY into the model's table, with keys from `first_key`,
        a COPY of SHARE rows at a time, each queued as soon as it is made; return their keys."""
        made, key = iter(rows), first_key
        while share := list(islice(made, SHARE)):
            blocks = _Blocks()
            sql = self.format(model, key, share, blocks, layout)
            self._queue_copy(sql, blocks)
            key += len(share)
        return self._done(model, first_key, count)

    def feed(self, files: Iterable[tuple[str | None, Path]]) -> None:
        """Queue each file of rows written by `format` for COPY (with its statement) as
        `files` gives it, from a thread of its own, until `files` ends: rows made elsewhere,
        sent as they are made. Whose rows they are is said by `loaded`, once all are given."""

        def run() -> None:
            for sql, path in files:  # read to the end, whatever happens: the giver waits on it
                try:
                    self._queue_copy(sql, _chunks(path))
                except BaseException as error:  # handed to the main thread
                    self.error = self.error or error

        feeder = threading.Thread(target=run, daemon=True)
        self.feeders.append(feeder)
        feeder.start()

    def loaded(self, model: Any, first_key: int, count: int) -> list[int]:
        """Say that the model's `count` rows, keys from `first_key`, are all queued (by
        `feed`, whose threads are waited for); return their keys."""
        for feeder in self.feeders:
            feeder.join()
        return self._done(model, first_key, count)

    def _queue_copy(self, sql: str | None, data: Iterable[bytes]) -> None:
        """Queue one COPY (none where there are no rows)."""
        if self.error is not None:
            raise DeclinedError from self.error
        self._start()
        if sql is not None:
            self.jobs.put((sql, data))

    def _done(self, model: Any, first_key: int, count: int) -> list[int]:
        """After the model's rows: their keys taken, and the indexes and keys they make ready
        queued (`Rebuilds`); their keys."""
        if self.error is not None:
            raise DeclinedError from self.error
        self._start()
        table = model._meta.db_table
        self.used[table] = (first_key, count)
        for statement in self.rebuilds.ready({table}) if self.rebuilds else ():
            self.jobs.put((statement, None))
        return list(range(first_key, first_key + count))

    def _start(self) -> None:
        with self.starting:
            if self.thread.ident is None:
                self.thread.start()

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is not None or self.stopped.is_set():
                continue
            sql, data = job
            try:
                if data is None:
                    self.cursor.execute(sql)
                    continue
                with self.cursor.copy(sql) as copy:
                    for block in data:
                        if self.stopped.is_set():
                            raise InterruptedError("the import stopped")  # ends the COPY
                        copy.write(block)
            except BaseException as error:  # handed to the main thread
                self.error = error


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            yield chunk


@dataclass
class _Named:
    """The services the forked process read, told as soon as it has them: in their order
    (that of their keys) each one's id, organisation and community categories (what its
    taxonomy terms map to, as its row will say), from which the pairings and search rows are
    made while it still shapes the services.

    Made compact for the way over (measured at a million services: pickling the lists took
    1.3 s, this 0.2 s): the ids one text, joined by line breaks, likewise the organisations,
    and each service's categories a number, its place among the distinct lists of them. An
    id with a line break in it splits into more ids than there are services, and the import
    declines."""

    count: int
    ids: str
    organizations: str
    kinds: list[list[str]]
    categories: bytes  # array("L") of places in `kinds`

    @classmethod
    def of(cls, records: list[dict[str, Any]], categories: list[tuple[str, ...]]) -> _Named:
        kinds: dict[tuple[str, ...], int] = {}
        places = array("L", [kinds.setdefault(c, len(kinds)) for c in categories])
        return cls(
            len(records),
            "\n".join([r["id"] for r in records]),
            "\n".join([r["organization_id"] for r in records]),
            [list(k) for k in kinds],
            places.tobytes(),
        )

    def lists(self) -> tuple[list[dict[str, Any]], list[list[str]]]:
        """Each service's id and organisation, and its categories, in order."""
        if not self.count:
            return [], []
        ids, organizations = self.ids.split("\n"), self.organizations.split("\n")
        kinds = self.kinds
        categories = [kinds[i] for i in array("L", self.categories)]
        if not len(ids) == len(organizations) == len(categories) == self.count:
            raise DeclinedError
        pairs = zip(ids, organizations, strict=True)
        return [{"id": i, "organization_id": o} for i, o in pairs], categories


@dataclass
class _Services:
    """What the forked process tells of the services it wrote, once done: how many, the
    taxonomy terms no category answers, and the ids the services' parts link to, of kinds it
    did not read."""

    count: int
    unmapped: list[str]
    linked: dict[str, set[str]]


class _Forked:
    """`work(tell, hand, *args)` done in a forked copy of this process while this one goes
    on: it may `tell` this process things before it is done, each read in turn (`told`), `hand`
    it things one by one as it goes (`handed`), and what it returns comes back pickled.

    The copy shares this process's memory until either writes to it, and leaves the
    database connection alone: it ends with os._exit, so nothing of this process (the
    connection, the writer thread's state) is closed or flushed from it.
    """

    def __init__(self, scratch: Path, work: Callable[..., Any], *args: Any) -> None:
        self._result = scratch / "forked.pickle"
        self._told = scratch / "forked.told.{}.pickle"
        self._said = self._read = 0  # things told, and read
        self._ready, self._tell = os.pipe()
        self._given, self._hand = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._ready)
            os.close(self._given)
            self._run(work, args)
        os.close(self._tell)
        os.close(self._hand)

    def _run(self, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
        code = 1
        try:
            made = work(self.tell, self.hand, *args)
            _dump(made, self._result)
            code = 0
        except DeclinedError:
            pass
        except BaseException:  # the parent declines; the ordinary path meets it too
            traceback.print_exc()
        finally:
            os._exit(code)

    def tell(self, told: Any) -> None:
        """In the copy: hand `told` to this process now, before the work is done."""
        _dump(told, Path(str(self._told).format(self._said)))
        self._said += 1
        os.write(self._tell, b"!")

    def hand(self, item: Any) -> None:
        """In the copy: hand this process `item` (small: it goes through a pipe) now."""
        os.write(self._hand, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))

    def told(self) -> Any:
        """The next thing the copy told, once it has; if it stopped first, the import
        declines."""
        if not os.read(self._ready, 1):  # one byte a thing told; none: the copy has ended
            self.result()  # it stopped: declines, whether on an error or not
            raise DeclinedError
        with Path(str(self._told).format(self._read)).open("rb") as f:
            self._read += 1
            return pickle.load(f)  # noqa: S301 - written just now by this process's own copy

    def handed(self) -> Iterator[Any]:
        """What the copy hands, as it hands it, until it stops (however it stops: what it
        returns, or that it failed, is for `result` to say). Read once, by one thread."""
        with os.fdopen(self._given, "rb") as given:
            while True:
                try:
                    yield pickle.load(given)  # noqa: S301 - from this process's own copy
                except EOFError:
                    return

    def result(self) -> Any:
        """Wait for the copy; what it returned. If it stopped on anything, the import
        declines: the ordinary path meets the same thing and reports it its own way."""
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0:
            raise DeclinedError
        with self._result.open("rb") as f:
            return pickle.load(f)  # noqa: S301 - written just now by this process's own copy

    def __enter__(self) -> _Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._ready)
        if self.pid:  # this process stopped first: the copy's work is of no use
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _dump(made: Any, path: Path) -> None:
    with path.open("wb") as f:
        pickle.dump(made, f, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class _Parts:
    """What the services' process tells of the parts (phones, languages, attributes …) it
    read: those no service owns, and the ids of the kinds of part that others link to."""

    rest: dict[str, list[dict[str, Any]]]
    ids: dict[str, set[str]]


class _Blocks(list[bytes]):
    """Where psycopg writes a COPY's data, block by block, until the thread sends it."""

    def write(self, data: bytes) -> None:
        self.append(data)


class _Load:
    """One package, table after table."""

    def __init__(
        self,
        found: Mapping[str, list[Table]],
        report: Report,
        writer: _Writer,
        keys: Mapping[str, int],
        scratch: Path,
    ) -> None:
        self.found, self.report, self.writer, self.keys = found, report, writer, keys
        self.scratch = scratch
        self.ids: dict[str, set[str]] = {}
        self.linked: dict[str, set[str]] = {}  # the services' parts' links left to check here
        self.now = timezone.now()

    def run(self) -> None:
        terms = self._terms()
        # The services are read, shaped and made into COPY's format by a copy of this process
        # (the most work of any table) while this one does the rest: two cores at once. The
        # copy reads the parts (phones, languages, attributes …) and tells this one, as soon as
        # it has them, those that no service owns, which are all the rest need; then, once it
        # has read the services, their ids, organisations and categories, from which the
        # pairings and search rows are made. It hands over the services' COPY data a share at
        # a time, sent as it comes between this one's.
        with _Forked(self.scratch, self._services, terms) as child:
            self.writer.feed(child.handed())
            organizations = self._read("organization")
            locations = self._read("location")
            listed = self._read("service_at_location")
            parts: _Parts = child.told()
            self.ids |= parts.ids
            owned = shape.owned_parts(parts.rest)
            organization_keys = self._organizations(organizations, owned)
            places = self._locations(locations, owned, organization_keys)
            services, categories = self._services_named(child.told())
            pairs, pairings = self._pairings(owned, listed, locations, services)
            rows = shape.listing_values(pairings, places, categories, pairs)
            key, layout = self.keys[Listing._meta.db_table], _Positional.of(shape.LISTING)
            self.writer.send(Listing, key, rows, len(rows), layout)
            del rows  # sent: let go before waiting for the forked process
            self._services_made(child.result(), services)
        for kind, records in parts.rest.items():
            self._check_links(kind, records)
        if not all(ids <= self.ids.get(kind, set()) for kind, ids in self.linked.items()):
            raise DeclinedError
        self._terms_out(terms)

    # Reading ---------------------------------------------------------------------------

    def _read(self, kind: str) -> list[dict[str, Any]]:
        """The kind's records sorted by id, each made as csv_source makes its value and
        write.record its record; an id met twice declines (the ordinary path merges copies or
        reports them)."""
        records = [r for table in self.found.get(kind, ()) for r in _records_of(kind, table)]
        records.sort(key=itemgetter("id"))
        ids = set(map(itemgetter("id"), records))
        if len(ids) != len(records):
            raise DeclinedError
        self.ids[kind] = ids
        return records

    def _terms(self) -> list[Any]:
        vocabularies: dict[str, str] = {}
        for table in self.found.get("taxonomy", ()):
            for item in _checked("taxonomy", table):
                vocabularies.setdefault(item["id"], item["name"])
        tables = self.found.get("taxonomy_term", ())
        records = [r for table in tables for r in _checked("taxonomy_term", table)]
        terms = sorted((assemble._build("taxonomy_term", r) for r in records), key=attrgetter("id"))
        vocabulary_of = {r["id"]: r["taxonomy_id"] for r in records if "taxonomy_id" in r}
        ids = {t.id for t in terms}
        parents = {t.parent_id for t in terms if t.parent_id is not None}
        if len(ids) != len(terms) or not parents <= ids:
            raise DeclinedError
        self.ids["taxonomy_term"] = ids
        named = []
        for term in terms:
            vocabulary = vocabularies.get(vocabulary_of.get(term.id, ""))
            if term.taxonomy is None and vocabulary:
                term = replace(term, taxonomy=vocabulary)
            named.append(term)
        return named

    # Writing ---------------------------------------------------------------------------

    def _send(self, model: Any, name: str, rows: list[shape.Row], links: Any) -> dict[str, int]:
        keys = self.writer.send(
            model, self.keys[model._meta.db_table], rows, len(rows), self._layout(links)
        )
        self.report.counts[name].created = len(rows)
        return dict(zip(map(attrgetter("hsds_id"), rows), keys, strict=True))

    def _layout(self, links: Any) -> Callable[[Any, shape.Row], Any]:
        return lambda model, first: _RowLayout.of(model, first, links, self.now)

    def _organizations(self, records: list[dict[str, Any]], owned: shape.Owned) -> dict[str, int]:
        rows = [shape.row(r, owned, "organization") for r in records]
        return self._send(Organization, "organizations", rows, {})

    def _locations(
        self,
        records: list[dict[str, Any]],
        owned: shape.Owned,
        organizations: dict[str, int],
    ) -> dict[str, tuple[Any, Any]]:
        for r in records:
            organization = r.get("organization_id")  # a location may belong to none
            if organization is not None and organization not in organizations:
                raise DeclinedError
            if assemble._off_the_globe(r.get("latitude"), r.get("longitude")):
                raise DeclinedError
        rows = [shape.location_row(r, owned) for r in records]
        places = {r.hsds_id: (r.columns["latitude"], r.columns["longitude"]) for r in rows}
        self.location_keys = self._send(
            Location, "locations", rows, {"organization": organizations}
        )
        return places

    def _services(
        self,
        tell: Callable[[_Parts], None],
        hand: Callable[[tuple[str | None, Path]], None],
        terms: list[Any],
    ) -> _Services:
        """In the forked process: the parts read, and those no service owns told to the
        parent; the services read, checked and shaped, and written in COPY's format to files
        of SHARE rows, each handed to the parent (its COPY statement and path) once written;
        what the rest of the import needs of them. The organisations' keys are those
        `_organizations` gives them, in the same order."""
        read = {kind: self._read(kind) for kind in shape.PART_KINDS}
        owned, parts, rest = shape.split_parts(read, "service")
        targets = {target for links in assemble.LINKS.values() for _, target in links}
        tell(_Parts(rest, {kind: self.ids[kind] for kind in shape.PART_KINDS if kind in targets}))
        service_terms = shape.terms_of_services(parts["attribute"], terms)
        first = self.keys[Organization._meta.db_table]
        organizations = {r["id"]: key for key, r in enumerate(self._read("organization"), first)}
        records = self._read("service")
        if any(r["organization_id"] not in organizations for r in records):
            raise DeclinedError
        said: dict[tuple[str, ...], shape.TermFacts] = {}
        facts = [shape.facts_of(service_terms.get(r["id"], []), said).categories for r in records]
        tell(_Named.of(records, facts))
        # The importing process no longer waits on this one: what is left here is the
        # services' COPY data, which PostgreSQL takes whenever it is free. Once PostgreSQL has
        # its first shares (EARLY_SHARES), this process yields the cores to the importing
        # process and PostgreSQL, whose work (the pairings and search rows, and storing all of
        # it) the end of the import waits on.
        unmapped: set[str] = set()
        layout = self._layout({"organization": organizations})
        first = self.keys[Service._meta.db_table]
        for start in range(0, len(records), SHARE):
            if start == SHARE * EARLY_SHARES:
                os.nice(NICE)
            rows = [
                shape.service_row(r, owned, service_terms.get(r["id"], []), unmapped, said)
                for r in records[start : start + SHARE]
            ]
            path = self.scratch / f"services.{start}.copy"
            with path.open("wb") as data:
                sql = self.writer.format(Service, first + start, rows, data, layout)
            hand((sql, path))
        # The services' parts' links, checked here where they resolve; the rest in the parent.
        linked: dict[str, set[str]] = {}
        for kind, items in parts.items():
            self._check_links(kind, items, linked)
        return _Services(len(records), sorted(unmapped), linked)

    def _services_named(self, named: _Named) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
        """The services' ids and organisations as the forked process read them, in the order
        of their keys, and those keys; their categories by id."""
        services, categories = named.lists()
        first = self.keys[Service._meta.db_table]
        self.service_keys = {s["id"]: key for key, s in enumerate(services, first)}
        self.ids["service"] = set(self.service_keys)
        return services, dict(zip(self.service_keys, categories, strict=True))

    def _services_made(self, made: _Services, services: list[dict[str, Any]]) -> None:
        """The services the forked process wrote, all queued for COPY by now."""
        if made.count != len(services):
            raise DeclinedError
        first = self.keys[Service._meta.db_table]
        self.writer.loaded(Service, first, len(services))
        self.report.counts["services"].created = len(services)
        self.report.unmapped = made.unmapped
        self.linked = made.linked

    def _pairings(
        self,
        owned: shape.Owned,
        records: list[dict[str, Any]],
        locations: list[dict[str, Any]],
        services: list[dict[str, Any]],
    ) -> tuple[dict[str, int], list[tuple[str, str | None, str | None]]]:
        for r in records:
            if r["service_id"] not in self.service_keys:
                raise DeclinedError
            if r["location_id"] not in self.location_keys:
                raise DeclinedError
        rows = shape.pairings(records, services, locations, owned)
        for made in rows:
            place = owned.get(("location", made.links["location"] or ""), {})
            made.columns = shape.pairing_columns(made, place)
        links = {"service": self.service_keys, "location": self.location_keys}
        pairs = self._send(ServiceAtLocation, "service_at_locations", rows, links)
        pairings = [(r.hsds_id, r.links["service"], r.links["location"]) for r in rows]
        return pairs, pairings

    def _terms_out(self, terms: list[Any]) -> None:
        rows = [shape.Row(t.id, record(t)) for t in terms]
        self._send(Term, "taxonomy_terms", rows, {})

    def _check_links(
        self, kind: str, records: list[dict[str, Any]], later: dict[str, set[str]] | None = None
    ) -> None:
        """Decline if any record's link would not resolve (assemble.Assembly._broken_link):
        each link field's ids, gathered, against the ids of the kind it names. Ids of a kind
        this process has not read are gathered into `later`, where given."""

        def resolve(target: str, linked: set[str]) -> None:
            known = self.ids.get(target)
            if known is None and later is not None:
                later.setdefault(target, set()).update(linked)
            elif not linked <= (known or set()):
                raise DeclinedError

        links = assemble.LINKS.get(kind, ())
        if kind == "attribute":
            for entity in {item["link_entity"] for item in records}:
                target = schema.kind_named(entity)
                if target is None or target not in RECORDS:
                    raise DeclinedError
                resolve(target, {r["link_id"] for r in records if r["link_entity"] == entity})
        if kind in assemble.PARENTS:
            fields = {field for field, _ in links}
            if any(item.keys().isdisjoint(fields) for item in records):
                raise DeclinedError
        for field, target in links:
            resolve(target, {r[field] for r in records if field in r})


class _RowLayout:
    """COPY values of shape rows, straight from each row: what `importer._values` gives and
    `copy_layout.Layout` sends, made without a dict of each row's values in between (a
    million rows a table). Made from the first row's `_values`, whose order it must match:
    where it cannot, `of` gives the plain way round instead. That each value is the one
    `_values` gives is held by the tests that compare what both paths store."""

    def __init__(self, model: Any, first: shape.Row, links: Any, now: Any) -> None:
        self.plain = copy_layout.layout(model, _values(model, first, links, now))
        self.sql, self.types = self.plain.sql, self.plain.types
        self.parts = "parts" in self.plain.given
        self.derived = model is ServiceAtLocation
        self.keys = [(fk, links[fk]) for fk in first.links]
        # What each JSON column's text follows (copy_layout); the row's columns with it, or
        # None for those that are not JSON.
        prefix = {name: text for _, name, text in self.plain.jsons}
        self.record_prefix, self.parts_prefix = prefix["record"], prefix.get("parts", b"")
        given = self.plain.given
        self.columns = [(n, prefix.get(n)) for n in given if n in first.columns]
        # The columns' values taken at once, then each JSON one (its place among them) made.
        self.pick = _picker([n for n, _ in self.columns])
        self.json_columns = [(i, p) for i, (_, p) in enumerate(self.columns) if p is not None]
        self.tail = [now] if model in (Organization, Location, Service) else []
        self.named = model is Organization
        self.defaults = list(self.plain.tail)

    @classmethod
    def of(cls, model: Any, first: shape.Row, links: Any, now: Any) -> Any:
        made = cls(model, first, links, now)
        names = ["hsds_id", "record", "digest", *(["parts"] if made.parts else [])]
        names += ["derived"] if made.derived else []
        names += [f"{fk}_id" for fk, _ in made.keys] + [n for n, _ in made.columns]
        names += ["updated"] if made.tail else []
        names += ["name"] if made.named else []
        if tuple(names) != made.plain.given:
            return _Plain(made.plain, model, links, now)
        return made

    def values(self, pk: int, row: shape.Row) -> list[Any]:
        # The JSON is made here and let go, not kept with the row as Row.json keeps it: a
        # million rows each holding orjson's buffer cost more in memory than the JSON itself.
        record, parts = orjson.dumps(row.record), orjson.dumps(row.parts)
        values = [pk, row.hsds_id, self.record_prefix + record, shape.digest(record, parts, row)]
        if self.parts:
            values.append(self.parts_prefix + parts)
        if self.derived:
            values.append(row.derived)
        links = row.links
        for fk, keys in self.keys:
            values.append(keys.get(links[fk] or ""))
        start = len(values)
        values += self.pick(row.columns)
        for i, json in self.json_columns:
            values[start + i] = json + orjson.dumps(values[start + i])
        values += self.tail
        if self.named:
            values.append(str(row.record.get("name", ""))[:300])
        values += self.defaults
        return values


def _picker(names: list[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function that gives a mapping's values of `names`, in order, as a tuple."""
    if len(names) > 1:
        return itemgetter(*names)
    return lambda mapping: tuple(mapping[n] for n in names)  # itemgetter of one is no tuple


@dataclass
class _Laid:
    """Rows sent as a `copy_layout.Layout` lays out its columns: its statement and types."""

    layout: copy_layout.Layout

    @property
    def sql(self) -> str:
        return self.layout.sql

    @property
    def types(self) -> tuple[str, ...]:
        return self.layout.types


@dataclass
class _Plain(_Laid):
    """Rows through `importer._values` and the layout of its dicts."""

    model: Any
    links: Any
    now: Any

    def values(self, pk: int, row: shape.Row) -> list[Any]:
        return self.layout.values(pk, _values(self.model, row, self.links, self.now))


@dataclass
class _Positional(_Laid):
    """Rows that are the values of `names`, in that order (no JSON among them): the search
    rows, made straight as tuples."""

    @classmethod
    def of(cls, names: tuple[str, ...]) -> Callable[[Any, Any], _Positional]:
        def made(model: Any, first: Any) -> _Positional:
            layout = copy_layout.layout(model, names)
            if layout.jsons:
                raise ValueError(f"{layout.table}: JSON columns need their text made")
            return cls(layout)

        return made

    def values(self, pk: int, row: tuple[Any, ...]) -> list[Any]:
        return [pk, *row, *self.layout.tail]


def _records_of(kind: str, table: Table) -> Iterator[dict[str, Any]]:
    """The table's rows as records, made as csv_source makes the rows that pass its plan
    (less the checks `_resolved` leaves to the links' resolving)."""
    plan = csv_source.plan_of(kind, table.header)
    if plan is None:
        raise DeclinedError  # its rows go the long way: the ordinary path
    plan = _resolved(kind, plan)
    problems: list[Problem] = []
    for _, row in cells(table, problems):
        made = plan.checked(row)
        if made is None:
            raise DeclinedError
        yield made
    if problems:
        raise DeclinedError


def _resolved(kind: str, plan: csv_source.Plan) -> csv_source.Plan:
    """The plan without the checks of the links it reads whose targets' ids have the same
    check. Every link this path reads is resolved against the ids of the kind it names (read
    and checked before it is used; the import declines where a link does not resolve): a
    text that is one of those ids passes their check, and one that fails it resolves to
    none. In a generated directory these are 7.5 of the 13 UUIDs a service's rows hold, each
    matched by a regular expression."""
    links = _link_checks(kind)
    resolved = {i for name, i, _ in plan.cells if name in links}
    if not resolved:
        return plan
    return replace(plan, checks=tuple((i, c) for i, c in plan.checks if i not in resolved))


@cache
def _link_checks(kind: str) -> dict[str, Callable[[str], object]]:
    """The kind's links whose check is that of every id they may name, with that check."""
    checks = {
        name: check
        for name, spec in schema.flat_schema(kind)["properties"].items()
        if (check := schema.text_check(spec)) is not None
    }
    named = {field: (target,) for field, target in assemble.LINKS.get(kind, ())}
    if kind == "attribute":
        named["link_id"] = tuple(RECORDS)  # any kind its link_entity names (_check_links)
    return {
        field: checks[field]
        for field, targets in named.items()
        if field in checks and all(_id_check(t) == checks[field] for t in targets)
    }


@cache
def _id_check(kind: str) -> Callable[[str], object] | None:
    return schema.text_check(schema.flat_schema(kind)["properties"]["id"])


def _checked(kind: str, table: Table) -> Iterator[dict[str, Any]]:
    """The table's rows as records, each passing its schema (for the few terms and
    vocabularies, which csv_source reads as records)."""
    spec = schema.tables()[kind]
    columns = [(i, n, n in spec.numbers) for i, n in enumerate(table.header) if n in spec.fields]
    check = schema.check(kind)
    problems: list[Problem] = []
    for _, row in cells(table, problems):
        item = {n: number(v) if num else v for i, n, num in columns if (v := row[i])}
        if check.problems(item):
            raise DeclinedError
        yield item
    if problems:
        raise DeclinedError
