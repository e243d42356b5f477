"""HSDS in and out through the importer and `trellis hsds`: the public data, transactions,
idempotent re-imports, a lossless round trip, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trellis.cli import main
from trellis.core.hsds.read import read
from trellis.directory.importer import export_csv, export_json, import_path
from trellis.directory.models import Listing, Location, Organization, Service, Term

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "hsds"
SAMPLE = DATA / "sample-hsds-datapackage-1.1" / "all_resources"
ILLINOIS = DATA / "ilao-illinois-2019"
MOCK = DATA / "mock-hsds-api-3.0"


def counts() -> tuple[int, int, int]:
    return Organization.objects.count(), Service.objects.count(), Location.objects.count()


def test_the_official_sample_imports_with_its_one_problem_only_when_asked(capsys):
    assert main(["hsds", "import", str(SAMPLE)]) == 2
    assert counts() == (0, 0, 0), "a source with problems changes nothing"
    err = capsys.readouterr().err
    assert "taxonomy.csv" in err or "nothing was stored" in err
    assert main(["hsds", "import", str(SAMPLE), "--skip-invalid"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert counts() == (10, 13, 10)
    assert report["counts"]["services"]["created"] == 13
    assert len(report["problems"]) == 1
    assert set(report["problems"][0]) == {"file", "record_id", "field", "reason"}


def test_the_illinois_directory_reports_its_gaps_and_imports_what_is_sound(capsys):
    report = import_path(ILLINOIS, skip_invalid=True, status_if_missing="active")
    assert report.imported
    assert counts() == (33, 89, 72)
    missing = [p for p in report.problems if p.record_id == "135836" and p.file == "services.csv"]
    assert missing, "service 135836 names organisation 91676, which is not in the export"
    assert missing[0].field == "organization_id"
    assert not Listing.objects.exists(), "no Illinois location has coordinates to search by"


def test_reimporting_the_same_data_changes_nothing_and_an_update_changes_only_what_changed(
    tmp_path,
):
    import_path(SAMPLE, skip_invalid=True)
    before = dict(Service.objects.values_list("hsds_id", "digest"))
    again = import_path(SAMPLE, skip_invalid=True)
    assert all(c.created == c.updated == 0 for c in again.counts.values())
    export_json(tmp_path / "out")
    services = json.loads((tmp_path / "out" / "services.json").read_text())
    services[0]["name"] = "Renamed service"
    (tmp_path / "out" / "services.json").write_text(json.dumps(services))
    update = import_path(tmp_path / "out")
    assert (update.counts["services"].updated, update.counts["services"].unchanged) == (1, 12)
    after = dict(Service.objects.values_list("hsds_id", "digest"))
    assert {k for k in after if after[k] != before[k]} == {services[0]["id"]}
    assert Service.objects.get(hsds_id=services[0]["id"]).name == "Renamed service"


@pytest.mark.parametrize("export", [export_json, export_csv])
@pytest.mark.parametrize("source", [SAMPLE, MOCK, DATA / "spec-3.0" / "examples" / "csv"])
def test_an_export_reads_back_as_exactly_what_was_imported(tmp_path, export, source):
    original, _ = read(source)
    import_path(source, skip_invalid=True)
    export(tmp_path / "out")
    exported, problems = read(tmp_path / "out")
    assert problems == ()
    assert exported == original


def test_an_imported_taxonomy_maps_services_to_community_categories(tmp_path):
    from trellis.bench.directory_bench import generate

    generate(tmp_path / "gen", 40)
    report = import_path(tmp_path / "gen")
    assert report.counts["services"].created == 40
    assert Term.objects.count() == 8
    housing = [s for s in Service.objects.all() if "com.housing" in s.categories]
    assert housing
    assert Listing.objects.filter(category="com.housing").count() == len(housing)


def test_malformed_json_is_refused_naming_the_file_and_nothing_is_stored(tmp_path, capsys):
    bad = tmp_path / "services.json"
    bad.write_text('{"id": "broken"')
    assert main(["hsds", "import", str(bad)]) == 2
    assert "services.json" in capsys.readouterr().err
    assert counts() == (0, 0, 0)


def test_a_record_with_coordinates_off_the_globe_is_named_with_its_field(tmp_path, capsys):
    import_path(SAMPLE, skip_invalid=True)
    export_json(tmp_path / "out")
    places = json.loads((tmp_path / "out" / "locations.json").read_text())
    places[0]["latitude"] = 123.0
    (tmp_path / "out" / "locations.json").write_text(json.dumps(places))
    assert main(["hsds", "import", str(tmp_path / "out")]) == 2
    report = json.loads(capsys.readouterr().out)
    bad = [p for p in report["problems"] if p["record_id"] == places[0]["id"]]
    assert bad[0]["field"] == "latitude"
    assert Location.objects.get(hsds_id=places[0]["id"]).latitude != 123.0


def test_an_unknown_taxonomy_term_is_reported(tmp_path, capsys):
    import_path(SAMPLE, skip_invalid=True)
    export_json(tmp_path / "out")
    (tmp_path / "out" / "attributes.json").write_text(
        json.dumps(
            [
                {
                    "id": "9a0c3bd3-8e0f-4a43-9b5e-1b2a5d0f6c01",
                    "link_id": json.loads((tmp_path / "out" / "services.json").read_text())[0][
                        "id"
                    ],
                    "link_entity": "service",
                    "taxonomy_term_id": "9a0c3bd3-8e0f-4a43-9b5e-1b2a5d0f6c02",
                }
            ]
        )
    )
    assert main(["hsds", "import", str(tmp_path / "out")]) == 2
    report = json.loads(capsys.readouterr().out)
    assert [p["field"] for p in report["problems"]] == ["taxonomy_term_id"]


def test_resources_search_prints_the_nearest_first_as_json(tmp_path, capsys):
    from tests.web.directory.conftest import housing_service

    housing_service("far", lat=41.95, lon=-87.63, name="Farther")
    housing_service("near", lat=41.88, lon=-87.63, name="Nearer")
    code = main(["resources", "search", "--near", "41.8781,-87.6298", "--category", "com.housing"])
    assert code == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["name"] for h in hits] == ["Nearer", "Farther"]
    assert list(hits[0]) == [
        "service_id",
        "name",
        "organization",
        "categories",
        "distance_km",
        "location",
        "languages",
        "phone",
        "url",
    ]


def test_resources_search_refuses_coordinates_out_of_range_with_exit_2(capsys):
    assert main(["resources", "search", "--near", "41.9,-187"]) == 2
    assert "longitude" in capsys.readouterr().err
