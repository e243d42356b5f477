"""Writing a directory as HSDS 3.0 JSON or CSV and reading it back gives the same directory."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from trellis.core.hsds import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    Directory,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    read,
    schema,
    write_csv,
    write_json,
)
from trellis.core.hsds.model import RECORDS

DATA = Path(__file__).resolve().parents[1] / "data" / "hsds"
DATASETS = [
    "spec-3.0/examples",
    "spec-3.0/examples/csv",
    "spec-3.0/examples/service_full.json",
    "mock-hsds-api-3.0",
    "sample-hsds-datapackage-1.1/all_resources",
    "sample-hsds-datapackage-1.1/simple",
    "ilao-illinois-2019",
]
WRITERS = [write_json, write_csv]


def ids(n: int) -> str:
    return f"{n:08d}-0000-4000-8000-000000000000"


# One of every kind, every field given, in every type a field can hold.
FULL = Directory(
    organizations=(
        Organization(
            ids(1),
            "Harbor",
            "Peer support, day and night",
            "Harbour",
            "a@harbor.org",
            "https://harbor.org",
        ),
    ),
    services=(
        Service(
            ids(2),
            ids(1),
            "Meetings",
            "temporarily closed",
            "SMART",
            "Weekly meetings",
            "https://harbor.org/m",
            "m@harbor.org",
            "Spanish by phone",
            "Walk in",
            "Free; $5 donation asked",
            "Adults, 18 and over",
            18,
            99.5,
            "Closed in August",
            date(2024, 1, 5),
            datetime(2024, 1, 5, 9, 30, 15, 250000, tzinfo=UTC),
        ),
    ),
    locations=(
        Location(
            ids(3),
            "physical",
            ids(1),
            "Main St",
            "Hall",
            "First floor",
            "Bus 9",
            41.878113,
            -87.629799,
            "https://harbor.org/map",
        ),
        Location(ids(4), "virtual", None, "Online", url="https://meet.harbor.org"),
    ),
    service_at_locations=(ServiceAtLocation(ids(5), ids(2), ids(3), "Upstairs, ring twice"),),
    addresses=(
        Address(
            ids(6),
            ids(3),
            "physical",
            "1 Main St",
            "Chicago",
            "IL",
            "60601",
            "US",
            "Front desk",
            'Suite 2, "east" door',
            "Cook",
        ),
    ),
    phones=(
        Phone(ids(7), "312-555-0100", ids(2), ids(3), ids(1), ids(5), 42, "voice", "Line,\nnight"),
    ),
    schedules=(
        Schedule(
            ids(8),
            ids(2),
            ids(3),
            ids(5),
            "MONTHLY",
            2,
            "1MO,-1FR",
            "1,15",
            "41",
            "2",
            "MO",
            date(2024, 1, 1),
            date(2024, 12, 31),
            12,
            time(9),
            time(17, 30, tzinfo=timezone(timedelta(hours=-5))),
            date(2024, 1, 1),
            date(2024, 12, 31),
            -5.5,
            "Twice a month",
            "Not in August",
            "in person",
            "https://harbor.org/book",
        ),
    ),
    service_areas=(
        ServiceArea(
            ids(9),
            ids(2),
            "Cook County",
            "All of it",
            '{"type": "Polygon"}',
            "geojson",
            "https://example.org/cook",
        ),
    ),
    languages=(
        Language(ids(10), ids(2), ids(3), ids(7), "Spanish", "es", "Some staff"),
        Language(ids(11), phone_id=ids(7), code="pl"),
    ),
    cost_options=(
        CostOption(
            ids(12),
            ids(2),
            "Sliding scale",
            12.75,
            "USD",
            "per session",
            date(2024, 1, 1),
            date(2024, 6, 30),
        ),
    ),
    accessibility=(
        Accessibility(ids(13), ids(3), "Ramp at the side door", "Ring", "https://harbor.org/a"),
    ),
    taxonomy_terms=(
        TaxonomyTerm(ids(14), "Recovery", "Recovery support", "R", "Local", None),
        TaxonomyTerm(ids(15), "Peer support", "Support by peers", "R.1", "Local", ids(14)),
    ),
    attributes=(
        Attribute(ids(16), ids(2), "service", ids(15), "audience", "adults"),
        Attribute(ids(17), ids(3), "location", ids(14)),
    ),
)


@pytest.mark.parametrize("write", WRITERS)
def test_a_directory_with_every_field_given_reads_back_the_same(tmp_path, write):
    write(FULL, tmp_path)

    directory, problems = read(tmp_path)

    assert problems == ()
    assert directory == FULL


@pytest.mark.parametrize("write", WRITERS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_each_dataset_reads_back_the_same_after_writing(tmp_path, dataset, write):
    directory, _ = read(DATA / dataset, status_if_missing="active")

    write(directory, tmp_path)

    assert read(tmp_path) == (directory, ())


def test_csv_tables_have_the_specs_columns_and_a_datapackage_that_declares_them(tmp_path):
    write_csv(FULL, tmp_path)

    package = json.loads((tmp_path / "datapackage.json").read_text())
    declared = {r["name"]: r["path"] for r in package["resources"]}
    assert package["version"] == "3.0.0"
    assert sorted(declared.values()) == sorted(p.name for p in tmp_path.glob("*.csv"))
    with (tmp_path / "services.csv").open(newline="") as f:
        header = next(csv.reader(f))
    assert tuple(header) == schema.tables()["service"].fields


def test_json_is_one_file_per_kind_with_a_list_of_flat_records(tmp_path):
    write_json(FULL, tmp_path)

    services = json.loads((tmp_path / "services.json").read_text())
    assert services[0]["status"] == "temporarily closed"
    assert services[0]["last_modified"] == "2024-01-05T09:30:15.250000+00:00"
    schedules = json.loads((tmp_path / "schedules.json").read_text())
    assert (schedules[0]["opens_at"], schedules[0]["closes_at"]) == ("09:00:00", "17:30:00-05:00")
    assert "parent_id" not in json.loads((tmp_path / "taxonomy_terms.json").read_text())[0]


def test_every_field_kept_has_a_column_in_the_specs_csv_table():
    for kind, (attribute, value_type) in RECORDS.items():
        columns = set(schema.tables()[kind].fields)
        assert set(value_type.__dataclass_fields__) <= columns, attribute
