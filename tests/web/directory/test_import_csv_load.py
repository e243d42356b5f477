"""The fast path for a large, clean HSDS 3.0 CSV package into an empty directory on PostgreSQL
(directory/csv_load.py) stores what the ordinary path stores: the same rows with the same keys,
the same search rows, report and audit entry. Where the ordinary path has anything to report
it steps aside, having changed nothing, and the report is the ordinary path's own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from trellis.audit.models import AuditEvent
from trellis.bench.directory_bench import generate
from trellis.core.hsds import csv_source
from trellis.directory import csv_load, importer
from trellis.directory.importer import import_path
from trellis.directory.models import (
    Listing,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Term,
)

from .test_import_bulk import rows, schema, wipe

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL path"),
]

DATA = Path(__file__).resolve().parents[2] / "data" / "hsds"
SPEC = DATA / "spec-3.0" / "examples" / "csv"
OTHERS = [  # HSDS 1.1 CSV and 3.0 JSON: read the ordinary way only
    DATA / "sample-hsds-datapackage-1.1" / "all_resources",
    DATA / "ilao-illinois-2019",
    DATA / "mock-hsds-api-3.0",
]
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"  # the example's one organisation
SERVICE = "ac148810-d857-441c-9679-408f346de14b"  # and its one service
MODELS = (Organization, Location, Service, ServiceAtLocation, Term, Listing)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hsds") / "generated"
    generate(folder, 300)
    return folder


def keys() -> dict[str, list[tuple[str, int]]]:
    """Each table's rows by HSDS id with their keys counted from the table's first key."""
    found = {}
    for model in MODELS:
        pairs = sorted(
            (str(h), pk)
            for h, pk in model.objects.values_list(
                "at__hsds_id" if model is Listing else "hsds_id", "pk"
            )
        )
        first = min((pk for _, pk in pairs), default=0)
        found[model.__name__] = [(h, pk - first) for h, pk in pairs]
    return found


def stored() -> dict[str, Any]:
    """All an import leaves: rows, keys, the sequences' next keys (relative) and its audit."""
    audit = AuditEvent.objects.filter(action="import").order_by("-pk").first()
    return {"rows": rows(), "keys": keys(), "audit": audit.detail if audit else None}


def ordinary(path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Any:
    monkeypatch.setattr(csv_load, "LARGE", 10**12)
    try:
        return import_path(path, **options)
    finally:
        monkeypatch.setattr(csv_load, "LARGE", 0)


def taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each import took the fast path to its end."""
    seen: list[bool] = []
    original = csv_load.import_clean

    def watched(*args: Any, **kw: Any) -> Any:
        report = original(*args, **kw)
        seen.append(report is not None)
        return report

    monkeypatch.setattr(csv_load, "import_clean", watched)
    monkeypatch.setattr(csv_load, "LARGE", 0)
    return seen


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The spec's CSV example, every table, with the faults it has on purpose mended."""
    folder = tmp_path_factory.mktemp("hsds") / "spec"
    shutil.copytree(SPEC, folder)
    for file, old, new in (
        ("locations.csv", ",100,101,", ",41.88,-87.63,"),
        ("locations.csv", "985e4a42-bd9f-4edc-911d-0243a4640aca", ORGANIZATION),
        ("taxonomy_terms.csv", ",0bc248fa-dc27-4650-9ba4-8f1a24ef16a2,", ",,"),
        ("attributes.csv", ",link_entity,value\n", ",service,value\n"),
        ("attributes.csv", "f28dd44b-0c4d-479f-8e90-4c52219a8b3c", SERVICE),
    ):
        text = (folder / file).read_text(encoding="utf-8")
        assert old in text
        head, rest = text.split("\n", 1)
        (folder / file).write_text(f"{head}\n{rest.replace(old, new)}", encoding="utf-8")
    return folder


@pytest.mark.parametrize("source", ["generated", "spec"])
def test_the_fast_path_stores_what_the_ordinary_path_stores(source, request, monkeypatch):
    path = request.getfixturevalue(source)
    constraints = schema()
    monkeypatch.setattr(importer, "BULK", 1)  # the indexes and keys dropped and made again
    # The services handed over for COPY in shares, the last a short one (300 = 4 × 70 + 20).
    monkeypatch.setattr(csv_load, "SHARE", 70)
    expected = ordinary(path, monkeypatch)
    before = stored()
    assert before["rows"]["services"]
    wipe()
    seen = taken(monkeypatch)
    report = import_path(path)
    assert seen == [True]
    assert report.as_json() == expected.as_json()
    assert stored() == before
    assert schema() == constraints, "every index and key dropped for the load is made again"
    added = Service.objects.create(
        hsds_id="added-by-hand",
        record={},
        digest="",
        organization=Organization.objects.first(),
        name="Added",
    )
    assert added.pk == Service.objects.exclude(pk=added.pk).order_by("-pk")[0].pk + 1


@pytest.mark.parametrize("source", OTHERS, ids=lambda p: p.name)
def test_hsds_1_1_and_json_go_the_ordinary_way(source, monkeypatch):
    seen = taken(monkeypatch)
    report = import_path(source, skip_invalid=True, status_if_missing=None)
    assert seen in ([], [False])
    assert report.imported


# Deliberate errors, each of a kind the ordinary path reports: (file, pattern, replacement),
# applied once. A duplicate appended to organizations.csv differs in its name.
ERRORS = {
    "a bad status": ("services.csv", ",active,", ",sometimes,"),
    "a missing organisation": (
        "services.csv",
        r"(-000000000003,00000001-0000-4000-8000-)0",
        r"\1f",
    ),
    "a place off the globe": ("locations.csv", r"(-000000000004,.*?,)\d\d\.\d+,", r"\g<1>91.5,"),
    "a latitude that is no number": (
        "locations.csv",
        r"(-000000000004,.*?,)\d\d\.\d+,",
        "\\g<1>north,",
    ),
    "an id twice with another name": ("organizations.csv", r"\Z", "X"),
    "a language of no service": ("languages.csv", r"(,00000002-0000-4000-8000-)0", r"\1f"),
    # a service's language (read by the services' process) also at a place that is not there
    "a service's language at no place": (
        "languages.csv",
        r"(,00000002-0000-4000-8000-000000000004),,",
        r"\1,00000003-0000-4000-8000-0000000fffff,",
    ),
    # an attribute no service owns: read by the services' process, checked by the other
    "an attribute of no place": (
        "attributes.csv",
        r",00000002-0000-4000-8000-000000000003,(.*),service,",
        r",00000003-0000-4000-8000-0000000fffff,\1,location,",
    ),
    "an unknown term": ("attributes.csv", r"(,00000007-0000-4000-8000-)0", r"\1f"),
    "a row too wide": ("service_at_location.csv", r"(-000000000002,.*),\n", r"\1,,extra\n"),
    "a link that is no UUID": ("service_at_location.csv", r",00000002-[^,]*-000000000009,", ",x,"),
    # Links whose check the fast path leaves to their resolving (csv_load._resolved), in each
    # table that has them: the one process or the other, a part or a record.
    "a service's organisation that is no UUID": (
        "services.csv",
        r"(-000000000005,)00000001-[^,]*,",
        r"\1org-0,",
    ),
    "a place's organisation that is no UUID": (
        "locations.csv",
        r"(-000000000005,physical,,)00000001-[^,]*,",
        r"\1org-0,",
    ),
    "a language's service that is no UUID": (
        "languages.csv",
        r"\n(00000005-[^,]*,)00000002-[^,]*,",
        r"\n\1service-0,",
    ),
    "an attribute's link that is no UUID": (
        "attributes.csv",
        r"\n(00000006-[^,]*,)00000002-[^,]*,",
        r"\n\1service-0,",
    ),
    "an attribute's term that is no UUID": (
        "attributes.csv",
        r"(\n00000006-[^,]*,[^,]*,)00000007-[^,]*,",
        r"\1term-0,",
    ),
    "a time that is none": ("services.csv", r"(Service 6,.*),\n", r"\1,25:00\n"),
}


def _deliberate(name: str, generated: Path, folder: Path) -> Path:
    file, pattern, replacement = ERRORS[name]
    shutil.copytree(generated, folder)
    text = (folder / file).read_text(encoding="utf-8")
    if replacement == "X":
        replacement = text.splitlines()[2].replace("Organisation 1,", "Organisation one,") + "\n"
    changed = re.sub(pattern, replacement, text, count=1)
    assert changed != text
    (folder / file).write_text(changed, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", list(ERRORS))
def test_a_package_with_a_problem_is_reported_as_the_ordinary_path_reports_it(
    name, generated, tmp_path, monkeypatch
):
    path = _deliberate(name, generated, tmp_path / "broken")
    constraints = schema()
    # As a large import: the fast path then keeps the keys but leaves its rows unchecked by
    # them (the tests' role may), so its own resolving of links is all that declines these.
    monkeypatch.setattr(importer, "BULK", 1)
    expected = ordinary(path, monkeypatch)
    expected_skipped = ordinary(path, monkeypatch, skip_invalid=True)
    assert expected.problems
    ordinary_rows = stored()
    wipe()
    seen = taken(monkeypatch)
    report = import_path(path)
    assert seen == [False]
    assert report.as_json() == expected.as_json()
    assert not any(m.objects.exists() for m in MODELS), "a file with errors changes nothing"
    assert _replication() == "origin", "the ordinary path ran with every trigger firing"
    assert schema() == constraints, "and leaves every index and key as it was"
    skipped = import_path(path, skip_invalid=True)
    assert skipped.as_json() == expected_skipped.as_json()
    assert stored() == ordinary_rows


def test_after_a_fast_import_a_reimport_writes_nothing_and_an_edit_updates_one(
    generated, tmp_path, monkeypatch
):
    seen = taken(monkeypatch)
    assert import_path(generated).counts["services"].created == 300
    again = import_path(generated)
    assert seen == [True, False]
    assert all(c.created == c.updated == 0 for c in again.counts.values())
    changed = tmp_path / "changed"
    shutil.copytree(generated, changed)
    services = (changed / "services.csv").read_text(encoding="utf-8")
    (changed / "services.csv").write_text(services.replace("Service 5,", "Service 5b,"))
    update = import_path(changed)
    assert (update.counts["services"].updated, update.counts["services"].unchanged) == (1, 299)
    assert Service.objects.get(hsds_id="00000002-0000-4000-8000-000000000005").name == (
        "Service 5b"
    )


def test_a_failure_while_copying_stores_nothing_and_restores_the_schema(generated, monkeypatch):
    before = schema()
    taken(monkeypatch)
    monkeypatch.setattr(importer, "BULK", 1)

    def failing(*args: Any) -> Any:
        raise RuntimeError("the search rows could not be made")

    monkeypatch.setattr(csv_load.shape, "listing_values", failing)
    with pytest.raises(RuntimeError):
        import_path(generated)
    assert not any(m.objects.exists() for m in MODELS)
    assert schema() == before
    assert _replication() == "origin", "the keys' triggers fire again after the rollback"


def _with(generated: Path, folder: Path, file: str, old: str, new: str) -> Path:
    shutil.copytree(generated, folder)
    text = (folder / file).read_text(encoding="utf-8")
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("services.csv", "Service 7,", "Service\x007,", "name"),  # a column of its own
        ("organizations.csv", "Generated.", "Gene\x00rated.", "description"),  # record only
        # in the services, which a process of their own makes ready for COPY
        ("services.csv", ",Free,", ",Fr\x00ee,", "fees_description"),
    ],
)
def test_a_nul_character_is_reported_by_both_paths_alike_and_nothing_is_stored(
    file, old, new, field, generated, tmp_path, monkeypatch
):
    """PostgreSQL's text cannot hold it: reported as bad input, not met as a database error."""
    path = _with(generated, tmp_path / "nul", file, old, new)
    expected = ordinary(path, monkeypatch)
    assert not expected.imported
    nul = [(p.file, p.field) for p in expected.problems if "NUL" in p.reason]
    assert nul == [(file, field)]  # and what depended on the row, left out with it
    assert not any(m.objects.exists() for m in MODELS)
    seen = taken(monkeypatch)
    report = import_path(path)
    assert seen == [False]
    assert report.as_json() == expected.as_json()
    assert not any(m.objects.exists() for m in MODELS)


def test_rows_are_sent_as_importer_values_sends_them_even_where_the_order_differs():
    """The straight way from a shaped row to COPY's values gives what `_values` and its
    layout give; a row whose columns it cannot place (an organisation with a name column,
    which `_values` writes over) goes through `_values` itself."""
    from django.utils import timezone

    from trellis.directory import copy_layout
    from trellis.directory.importer import _values
    from trellis.directory.shape import Row

    now = timezone.now()
    located = Row("l1", {"id": "l1", "name": "Hall"}, {"phones": [{"number": "1"}]})
    located.columns = {"name": "Hall", "latitude": 1.5, "longitude": 2.5, "address": "x"}
    located.links = {"organization": "o1"}
    named = Row("o1", {"id": "o1", "name": "Org"}, {})
    named.columns = {"name": "Given"}
    paired = Row("p1", {"id": "p1"}, {"schedules": [{"id": "h1", "opens_at": "09:00"}]})
    paired.columns = {"schedules": [{"id": "h1", "opens_at": "09:00"}], "accessible": True}
    paired.links = {"service": "s1", "location": "l1"}
    for model, row, links in (
        (Location, located, {"organization": {"o1": 7}}),
        (Organization, named, {}),
        (ServiceAtLocation, paired, {"service": {"s1": 4}, "location": {"l1": 5}}),
    ):
        plain = copy_layout.layout(model, _values(model, row, links, now))
        made = csv_load._RowLayout.of(model, row, links, now)
        assert made.sql == plain.sql
        assert made.values(3, row) == plain.values(3, _values(model, row, links, now))
        assert isinstance(made, csv_load._Plain) == (model is Organization)


def test_a_rows_columns_are_picked_as_a_tuple_in_order_whatever_their_number():
    columns = {"a": 1, "b": [2], "c": None}
    assert csv_load._picker([])(columns) == ()
    assert csv_load._picker(["b"])(columns) == ([2],)
    assert csv_load._picker(["c", "a"])(columns) == (None, 1)


def test_what_the_services_process_tells_comes_back_whole_or_declines():
    records = [
        {"id": "s1", "organization_id": "o1"},
        {"id": "s2", "organization_id": "o1"},
        {"id": "s3", "organization_id": "o2"},
    ]
    categories = [("com.food", "com.housing"), (), ("com.food", "com.housing")]
    named = csv_load._Named.of(records, categories)
    assert named.lists() == (
        records,
        [["com.food", "com.housing"], [], ["com.food", "com.housing"]],
    )
    assert named.kinds == [["com.food", "com.housing"], []]
    assert csv_load._Named.of([], []).lists() == ([], [])
    broken = [{"id": "s1\nx", "organization_id": "o1"}, *records[1:]]
    with pytest.raises(csv_load.DeclinedError):
        csv_load._Named.of(broken, categories).lists()


def test_the_forked_process_tells_things_in_turn_and_a_stop_before_one_declines(tmp_path):
    def work(tell: Any, hand: Any, stop_after: int) -> str:
        for told in range(stop_after):
            tell({"told": told})
        if stop_after < 2:
            raise csv_load.DeclinedError
        return "done"

    with csv_load._Forked(tmp_path, work, 2) as child:
        assert [child.told(), child.told()] == [{"told": 0}, {"told": 1}]
        assert child.result() == "done"
    with csv_load._Forked(tmp_path, work, 1) as child:
        assert child.told() == {"told": 0}
        with pytest.raises(csv_load.DeclinedError):
            child.told()  # it stopped before telling a second thing


def _replication() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('session_replication_role')")
        return cursor.fetchone()[0]


def test_where_the_role_may_the_keys_stay_unchecked_through_the_load_else_are_checked_again(
    generated, monkeypatch
):
    """The fast path resolves every link itself and declines where one does not resolve (the
    deliberate errors above, run as a large import by the tests' role, which may: the next
    test). Where the role may
    set `session_replication_role`, the directory's foreign keys stay through the load and its
    rows go unchecked by PostgreSQL; where it may not, they are dropped and checked again after
    it. Either way the same rows are stored, every key is there and valid afterwards, and the
    setting is back as it was before the import's audit entry is written."""
    constraints = schema()
    monkeypatch.setattr(importer, "BULK", 1)
    seen = taken(monkeypatch)
    during: list[Any] = []
    run = csv_load._Load.run

    def watched(self: Any) -> None:
        during.append((schema()[0], _replication()))
        run(self)

    audited: list[str] = []
    record = importer.audit.record

    def recording(*args: Any, **kw: Any) -> Any:
        audited.append(_replication())
        return record(*args, **kw)

    monkeypatch.setattr(csv_load._Load, "run", watched)
    monkeypatch.setattr(importer.audit, "record", recording)
    results = []
    for may in (True, False):
        monkeypatch.setattr(importer, "_may_leave_keys_unchecked", lambda cursor, may=may: may)
        import_path(generated)
        results.append(stored())
        assert schema() == constraints
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
                " AND conrelid::regclass::text LIKE 'directory%%'"
            )
            assert cursor.fetchone() == (0,)
        wipe()
    assert seen == [True, True]
    (kept, unchecked), (dropped, checked) = during
    assert (kept, unchecked) == (constraints[0], "replica")
    assert checked == "origin"
    loaded = {m._meta.db_table for m in MODELS if m is not Term}
    assert {c[1] for c in constraints[0]} - {c[1] for c in dropped} == {
        name
        for table, name, definition in constraints[0]
        if table in loaded and "FOREIGN KEY" in definition
    }
    assert audited == ["origin", "origin"]
    assert _replication() == "origin"
    assert results[0] == results[1]
    assert results[0]["rows"]["pairings"]


def test_the_role_may_leave_keys_unchecked_as_a_superuser_or_where_granted_it():
    with connection.cursor() as cursor:
        assert importer._may_leave_keys_unchecked(cursor) is True  # the tests' role: postgres
        cursor.execute("CREATE ROLE trellis_test_plain NOLOGIN")  # undone with the test
        cursor.execute("SET LOCAL ROLE trellis_test_plain")
        assert importer._may_leave_keys_unchecked(cursor) is False
        cursor.execute("RESET ROLE")
        if connection.pg_version >= 150000:
            cursor.execute("GRANT SET ON PARAMETER session_replication_role TO trellis_test_plain")
            cursor.execute("SET LOCAL ROLE trellis_test_plain")
            assert importer._may_leave_keys_unchecked(cursor) is True
            cursor.execute("RESET ROLE")


def test_the_services_process_is_forked_before_any_thread_is_started(generated, monkeypatch):
    """A fork copies only the thread that calls it: a lock another thread held would stay
    held in the copy for ever."""
    import threading

    before = set(threading.enumerate())
    at_fork: list[set[threading.Thread]] = []
    fork = csv_load.os.fork

    def watched() -> int:
        at_fork.append(set(threading.enumerate()) - before)
        return fork()

    monkeypatch.setattr(csv_load.os, "fork", watched)
    seen = taken(monkeypatch)
    import_path(generated)
    assert seen == [True]
    assert at_fork == [set()]


def test_the_services_process_yields_the_cores_once_it_has_told_the_services_and_handed_some(
    generated, monkeypatch, tmp_path
):
    """The forked process lowers its own priority once the importing process no longer
    waits on it (it has told the services) and PostgreSQL has its first shares of services
    (EARLY_SHARES of them); the importing process keeps its own."""
    said = tmp_path / "niced"  # written by whichever process lowers its priority
    nice, told, handed = csv_load.os.nice, csv_load._Forked.tell, csv_load._Forked.hand
    kinds: set[str] = set()  # what the forked process has told by then
    shares: list[Any] = []  # and the shares of services it has handed

    def noted(increment: int) -> int:
        with said.open("a") as f:
            f.write(f"{csv_load.os.getpid()} {increment} {len(shares)} {sorted(kinds)}\n")
        return nice(increment)

    def telling(self: Any, item: Any) -> None:
        kinds.add(type(item).__name__)
        told(self, item)

    def handing(self: Any, item: Any) -> None:
        shares.append(item)
        handed(self, item)

    monkeypatch.setattr(csv_load.os, "nice", noted)
    monkeypatch.setattr(csv_load._Forked, "tell", telling)
    monkeypatch.setattr(csv_load._Forked, "hand", handing)
    monkeypatch.setattr(csv_load, "SHARE", 70)  # 300 services: five shares
    seen = taken(monkeypatch)
    before = nice(0)
    import_path(generated)
    assert seen == [True]
    assert nice(0) == before
    pid, increment, by_then, told_then = said.read_text().split(" ", 3)
    assert int(pid) != csv_load.os.getpid()
    assert int(increment) == csv_load.NICE == 19
    assert int(by_then) == csv_load.EARLY_SHARES == 2
    assert told_then.strip() == "['_Named', '_Parts']"
    assert Service.objects.count() == 300


def test_splitting_the_parts_gives_a_kinds_share_as_owned_parts_gives_it():
    from trellis.directory import shape

    records = {
        "phone": [
            {"id": "p1", "service_id": "s1"},
            {"id": "p2", "location_id": "l1"},
        ],
        "language": [
            {"id": "g1", "phone_id": "p1"},  # goes with its phone, to the service
            {"id": "g2", "phone_id": "p2"},
            {"id": "g3", "service_id": "s2", "location_id": "l1"},  # the most specific owner
        ],
        "schedule": [{"id": "h1"}],  # no owner
        "attribute": [
            {"id": "a1", "link_entity": "service", "link_id": "s1"},
            {"id": "a2", "link_entity": "organization", "link_id": "o1"},
        ],
    }
    owned, theirs, rest = shape.split_parts(records, "service")
    assert {k: [r["id"] for r in v] for k, v in theirs.items() if v} == {
        "phone": ["p1"],
        "language": ["g1", "g3"],
        "attribute": ["a1"],
    }
    assert {k: [r["id"] for r in v] for k, v in rest.items() if v} == {
        "phone": ["p2"],
        "language": ["g2"],
        "schedule": ["h1"],
        "attribute": ["a2"],
    }
    expected = shape.owned_parts(records)
    assert {k: v for k, v in expected.items() if k[0] == "service"} == owned
    assert [list(parts) for parts in owned.values()] == [
        list(expected[key]) for key in owned
    ]  # each owner's parts in the same order


def test_only_links_resolved_against_ids_with_the_same_check_go_unchecked():
    assert set(csv_load._link_checks("attribute")) == {"link_id", "taxonomy_term_id"}
    assert set(csv_load._link_checks("location")) == {"organization_id"}
    assert "contact_id" not in csv_load._link_checks("phone")  # no link this path resolves
    assert csv_load._link_checks("organization") == {}  # its parent is no link it resolves
    header = ("id", "location_type", "organization_id", "name", "latitude", "longitude")
    plan = csv_source.plan_of("location", header)
    kept = dict(csv_load._resolved("location", plan).checks)
    assert set(dict(plan.checks)) - set(kept) == {header.index("organization_id")}
    assert kept[header.index("id")] == dict(plan.checks)[header.index("id")]
