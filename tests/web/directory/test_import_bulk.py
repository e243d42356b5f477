"""The large-import path on PostgreSQL (importer._bulk: secondary indexes and the directory's
foreign keys dropped, the rows copied with keys taken from the sequences, then rebuilt) gives the
same rows as the ordinary path, leaves the schema as it found it, is idempotent, and a failure
part way stores nothing and restores every index and key. On SQLite the same tests check the
ordinary path, whose keys now come back from the insert itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from trellis.bench.directory_bench import generate
from trellis.directory import importer
from trellis.directory.importer import import_path
from trellis.directory.models import (
    Listing,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Term,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "hsds"
SAMPLE = DATA / "sample-hsds-datapackage-1.1" / "all_resources"  # HSDS 1.1, one bad record


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hsds") / "generated"
    generate(folder, 300)  # the benchmark's own directory, small
    return folder


def rows() -> dict[str, list[Any]]:
    """Every directory row, with its links given by HSDS id (keys differ between imports)."""

    def by_id(query: Any, *names: str) -> list[Any]:
        return sorted(query.values_list(*names), key=lambda r: (r[0], str(r[1])))

    return {
        "organizations": by_id(Organization.objects, "hsds_id", "record", "parts", "digest"),
        "locations": by_id(
            Location.objects,
            "hsds_id",
            "organization__hsds_id",
            "record",
            "parts",
            "digest",
            "name",
            "latitude",
            "longitude",
            "address",
        ),
        "services": by_id(
            Service.objects,
            "hsds_id",
            "organization__hsds_id",
            "record",
            "parts",
            "digest",
            "categories",
            "languages",
            "free",
            "schedules",
        ),
        "pairings": by_id(
            ServiceAtLocation.objects,
            "hsds_id",
            "service__hsds_id",
            "location__hsds_id",
            "record",
            "parts",
            "digest",
            "derived",
            "schedules",
            "accessible",
        ),
        "terms": by_id(Term.objects, "hsds_id", "record", "digest"),
        "listings": by_id(Listing.objects, "at__hsds_id", "category", "latitude", "longitude"),
    }


def schema() -> tuple[list[Any], list[Any]]:
    """The directory tables' constraints and indexes, as PostgreSQL describes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE conrelid::regclass::text LIKE 'directory%%' ORDER BY 1, 2"
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes"
            " WHERE tablename LIKE 'directory%%' ORDER BY 1, 2"
        )
        return constraints, cursor.fetchall()


def wipe() -> None:
    Listing.objects.all().delete()
    ServiceAtLocation.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()
    Term.objects.all().delete()


def schema_while_loading(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The schema as the import sees it just before it writes the search rows."""
    seen: list[Any] = []
    original = importer._reindex

    def watched(*args: Any) -> None:
        seen.append(schema())
        original(*args)

    monkeypatch.setattr(importer, "_reindex", watched)
    return seen


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the large-import path is PostgreSQL's own"
)


@pytest.mark.parametrize("source", ["generated", "sample"])
def test_the_large_import_path_gives_the_same_rows_as_the_ordinary_one(
    source, generated, monkeypatch
):
    path = generated if source == "generated" else SAMPLE
    import_path(path, skip_invalid=True)
    ordinary = rows()
    assert ordinary["services"]
    assert ordinary["pairings"]
    assert ordinary["listings"]
    wipe()
    monkeypatch.setattr(importer, "BULK", 1)
    postgres = connection.vendor == "postgresql"
    before = schema() if postgres else None
    during = schema_while_loading(monkeypatch) if postgres else []
    report = import_path(path, skip_invalid=True)
    assert report.imported
    assert rows() == ordinary
    if postgres:
        assert during[0] != before, "the large-import path was taken"
        assert schema() == before, "every index and foreign key is back as it was"


def test_a_reimport_after_a_large_import_writes_nothing_and_an_edit_updates_one(
    generated, tmp_path, monkeypatch
):
    monkeypatch.setattr(importer, "BULK", 1)
    first = import_path(generated)
    assert first.counts["services"].created == 300
    Service.objects.filter(hsds_id="00000002-0000-4000-8000-000000000005").update(
        closed_at="2026-01-01T00:00:00Z"
    )
    again = import_path(generated)
    assert all(c.created == c.updated == 0 for c in again.counts.values())
    changed = tmp_path / "changed"
    changed.mkdir()
    for file in generated.iterdir():
        text = file.read_text(encoding="utf-8")
        if file.name == "services.csv":
            text = text.replace("Service 5,", "Service five,")
        (changed / file.name).write_text(text, encoding="utf-8")
    update = import_path(changed)
    assert (update.counts["services"].updated, update.counts["services"].unchanged) == (1, 299)
    edited = Service.objects.get(hsds_id="00000002-0000-4000-8000-000000000005")
    assert edited.name == "Service five"
    assert edited.closed_at is not None, "a curator's closing is left alone by an update"


@on_postgres
def test_a_failure_part_way_through_a_large_import_stores_nothing_and_restores_the_schema(
    generated, monkeypatch
):
    before = schema()
    monkeypatch.setattr(importer, "BULK", 1)
    seen: list[Any] = []

    def broken(*args: Any) -> None:
        seen.append(schema())
        raise RuntimeError("the search rows could not be written")

    monkeypatch.setattr(importer, "_reindex", broken)
    with pytest.raises(RuntimeError):
        import_path(generated)
    assert len(seen[0][1]) < len(before[1]), "the indexes were dropped before the failure"
    assert len(seen[0][0]) < len(before[0]), "and the directory's foreign keys"
    assert not Organization.objects.exists()
    assert not ServiceAtLocation.objects.exists()
    assert schema() == before


def test_an_invalid_record_without_skip_invalid_stores_nothing(generated, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BULK", 1)
    broken = tmp_path / "broken"
    broken.mkdir()
    for file in generated.iterdir():
        text = file.read_text(encoding="utf-8")
        if file.name == "services.csv":
            text = text.replace(",active,", ",sometimes,", 1)
        (broken / file.name).write_text(text, encoding="utf-8")
    report = import_path(broken)
    assert not report.imported
    assert report.problems[0].field == "status"
    assert not Organization.objects.exists()
    assert not Service.objects.exists()
    assert import_path(broken, skip_invalid=True).counts["services"].created == 299


def test_rows_added_after_a_large_import_take_keys_after_the_imported_ones(generated, monkeypatch):
    monkeypatch.setattr(importer, "BULK", 1)
    import_path(generated)
    keys = list(Service.objects.values_list("pk", flat=True))
    assert len(set(keys)) == 300
    organization = Organization.objects.first()
    added = Service.objects.create(
        hsds_id="added-by-hand", record={}, digest="", organization=organization, name="Added"
    )
    assert added.pk > max(keys), "the sequence moved past the block the import took"


def test_each_dropped_index_and_key_is_made_again_once_both_its_ends_hold_their_rows():
    rebuilds = importer.Rebuilds(
        {"a", "b"},
        [("a", "index a"), ("b", "index b")],
        [("a", "b", "a to b"), ("a", "users", "a to users"), ("b", "b", "b to b")],
    )
    assert rebuilds.ready({"a"}) == ["index a", "a to users"]
    assert rebuilds.ready({"b"}) == ["index b", "a to b", "b to b"]
    assert rebuilds.ready({"a", "b"}) == []


def test_copy_sends_each_directory_column_as_its_type_and_refuses_a_type_it_does_not_know():
    from django.db import models

    from trellis.directory import copy_layout
    from trellis.directory.models import Listing, Term

    for model in (Organization, Location, Service, ServiceAtLocation, Term, Listing):
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        made = copy_layout.layout(model, names)
        assert len(made.types) == 1 + len(made.given) + len(made.defaulted)
    service = copy_layout.layout(Service, ["hsds_id", "record", "categories", "minimum_age"])
    assert service.types[:5] == ("int8", "text", "bytea", "bytea", "int2")
    # The directory's JSON (RecordField) goes as its text, as it is.
    assert [(n, p) for _, n, p in service.jsons] == [("record", b""), ("categories", b"")]
    values = service.values(
        7, {"hsds_id": "s", "record": {"a": 1}, "categories": ["x"], "minimum_age": None}
    )
    assert values[:5] == [7, "s", b'{"a":1}', b'["x"]', None]
    # A plain JSONField's column is `jsonb`: its text follows the format's version byte.
    plain = models.JSONField(default=list)
    plain.set_attributes_from_name("extra")
    plain.model = Service
    assert copy_layout.column_type(plain) == "jsonb"

    odd = models.GenericIPAddressField()
    odd.set_attributes_from_name("where")
    odd.model = Service
    with pytest.raises(copy_layout.UnknownColumnTypeError, match="where"):
        copy_layout.column_type(odd)


def _json_columns() -> dict[str, str]:
    """Each directory JSON column (models.RecordField) with the type PostgreSQL keeps it as."""
    from trellis.directory.models import RecordField

    models = (Organization, Location, Service, ServiceAtLocation, Term)
    wanted = {
        (m._meta.db_table, f.column)
        for m in models
        for f in m._meta.concrete_fields
        if isinstance(f, RecordField)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ANY(%s)",
            [[m._meta.db_table for m in models]],
        )
        found = {(t, c): kind for t, c, kind in cursor.fetchall()}
    return {f"{t}.{c}": found[t, c] for t, c in sorted(wanted)}


def _stored(organization: dict[str, Any], **service: Any) -> Service:
    """A service "s" of an organisation "o", stored through the ORM: the organisation's JSON
    fields and the service's values as given."""
    owner = Organization.objects.create(hsds_id="o", digest="", name="O", **organization)
    return Service.objects.create(
        hsds_id="s", record={"id": "s"}, digest="", organization=owner, name="S", **service
    )


@on_postgres
def test_the_directory_json_is_kept_as_the_text_python_wrote_and_read_back_as_values():
    """RecordField: `text` on PostgreSQL, which takes the JSON without parsing it again."""
    columns = _json_columns()
    assert len(columns) == 13  # record and parts of four tables, a term's record, four lists
    assert set(columns.values()) == {"text"}
    organization = {"id": "o", "name": "Ö", "b": 1, "a": [1, 2]}
    _stored(
        {"record": organization},
        categories=["com.housing"],
        schedules=[{"byday": "MO", "opens_at": "09:00"}],
    )
    service = Service.objects.get(hsds_id="s")
    assert service.categories == ["com.housing"]
    assert service.languages == []
    assert service.schedules == [{"byday": "MO", "opens_at": "09:00"}]
    assert Organization.objects.get(hsds_id="o").record == organization
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT record, record::json ->> 'name' FROM directory_organization WHERE hsds_id = 'o'"
        )
        text, name = cursor.fetchone()
    # The keys in the order Python gave them (jsonb would have sorted them), and valid JSON.
    assert text.index('"b"') < text.index('"a"')
    assert name == "Ö"


@on_postgres
def test_the_migration_turns_the_older_json_columns_into_text_and_back(transactional_db):
    """0006: `json` and `jsonb` columns become `text`, the values unchanged; undone, each
    takes its type again."""
    from importlib import import_module

    step = import_module("trellis.directory.migrations.0006_json_kept_as_text")
    editor = type("Editor", (), {"connection": connection})()
    _stored({"record": {"id": "o"}, "parts": {"phones": [{"id": "p"}]}}, languages=["en", "es"])
    try:
        step.as_before(None, editor)
        before = _json_columns()
        assert before["directory_service.record"] == "json"
        assert before["directory_service.languages"] == "jsonb"
        assert set(before.values()) == {"json", "jsonb"}
        step.as_text(None, editor)
        assert set(_json_columns().values()) == {"text"}
        step.as_text(None, editor)  # again: nothing left to turn
        assert Service.objects.get(hsds_id="s").languages == ["en", "es"]
        assert Organization.objects.get(hsds_id="o").parts == {"phones": [{"id": "p"}]}
    finally:
        step.as_text(None, editor)


@on_postgres
def test_hsds_ids_compare_byte_by_byte_and_only_set_verifiers_are_indexed():
    """HsdsIdField: PostgreSQL's "C" collation on every record's id, so ids sort as Python
    sorts them whatever the database's language; the curator index holds set rows only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, collation_name FROM information_schema.columns"
            " WHERE column_name = 'hsds_id' AND table_name = ANY(%s)",
            [
                [
                    m._meta.db_table
                    for m in (Organization, Location, Service, ServiceAtLocation, Term)
                ]
            ],
        )
        assert sorted(collation for _, collation in cursor.fetchall()) == ["C"] * 5
    ids = ["b", "B", "a", "_x", "Z9", "é", "a-1", "a_1"]
    Organization.objects.bulk_create(
        [Organization(hsds_id=i, record={"id": i}, digest="", name=i) for i in ids]
    )
    assert list(Organization.objects.order_by("hsds_id").values_list("hsds_id", flat=True)) == (
        sorted(ids)
    )
    _, indexes = schema()
    verified = [d for _, _, d in indexes if "(verified_by_id)" in d]
    assert len(verified) == 3
    assert all(d.endswith("WHERE (verified_by_id IS NOT NULL)") for d in verified)


@on_postgres
def test_the_curator_indexes_stay_through_a_large_load_and_its_keys_still_refuse_a_stranger(
    generated, monkeypatch
):
    """Partial indexes are kept while the rest are dropped (importer._sparse_keys); the
    curator keys are checked again through them, and that check still finds a row that
    names no user."""
    monkeypatch.setattr(importer, "BULK", 1)
    during = schema_while_loading(monkeypatch)
    import_path(generated)
    kept = [d for _, _, d in during[0][1] if "(verified_by_id)" in d]
    assert len(kept) == 3, "each table's curator index stayed"
    assert all("WHERE (verified_by_id IS NOT NULL)" in d for d in kept)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",), "table scans are allowed again after the check"
        sparse = importer._sparse_keys(cursor, [Service._meta.db_table, Listing._meta.db_table])
        (name,) = sparse
        assert "verified_by" in name
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", [name]
        )
        (definition,) = cursor.fetchone()
        cursor.execute(f'ALTER TABLE directory_service DROP CONSTRAINT "{name}"')
        cursor.execute(
            "UPDATE directory_service SET verified_by_id = 987654 WHERE id = %s",
            [Service.objects.values_list("pk", flat=True).first()],
        )
        importer._check_deferred(cursor)  # PostgreSQL alters no table with checks queued
        add = importer._add_key("directory_service", f'"{name}"', definition, True, "on")
        assert add.startswith("SET LOCAL enable_seqscan = off;")
        with pytest.raises(IntegrityError, match="verified_by_id"), transaction.atomic():
            cursor.execute(add)
