"""Reading the shared HSDS datasets: what each one yields, counted by hand from its files, and
how HSDS 1.1 becomes 3.0. Sources of the data: tests/data/README.md."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from trellis.core.hsds import Problem, read
from trellis.core.hsds.legacy import legacy_id

DATA = Path(__file__).resolve().parents[1] / "data" / "hsds"
SPEC = DATA / "spec-3.0" / "examples"
ILLINOIS = DATA / "ilao-illinois-2019"
SAMPLE_11 = DATA / "sample-hsds-datapackage-1.1"

SERVICE = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
CIVIC_CENTER = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"  # the spec's one location, at 100°N 101°E
LEFT_OUT = f"refers to location {CIVIC_CENTER}, which was left out (see its problem)"


def counts(directory):
    return {name: len(values) for name, values in vars_of(directory).items() if values}


def vars_of(directory):
    return {name: getattr(directory, name) for name in directory.__dataclass_fields__}


def test_the_spec_csv_package_keeps_the_service_and_leaves_out_the_location_off_the_globe():
    directory, problems = read(SPEC / "csv")

    assert counts(directory) == {
        "organizations": 1,
        "services": 1,
        "service_areas": 1,
        "cost_options": 1,
        "taxonomy_terms": 1,
    }
    assert problems[0] == Problem(
        "locations.csv", CIVIC_CENTER, "latitude", "must be between -90 and 90 degrees"
    )
    # Everything at the location goes with it, each named in its own file.
    dependents = {(p.file, p.field) for p in problems if p.reason == LEFT_OUT}
    assert dependents == {
        ("service_at_location.csv", "location_id"),
        ("phones.csv", "location_id"),
        ("languages.csv", "location_id"),
        ("schedules.csv", "location_id"),
        ("addresses.csv", "location_id"),
        ("accessibility.csv", "location_id"),
    }
    # The spec's placeholder link_entity names no table; its parent term is not in the package.
    assert {(p.file, p.field) for p in problems[7:]} == {
        ("taxonomy_terms.csv", "parent_id"),
        ("attributes.csv", "link_entity"),
    }
    assert len(problems) == 9


def test_the_spec_service_is_read_with_its_eligibility_cost_and_dates():
    directory, _ = read(SPEC / "csv")

    service = directory.services[0]
    assert service.id == SERVICE
    assert service.organization_id == ORGANIZATION
    assert service.status == "active"
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.eligibility_description.startswith("This service is intended for all people")
    assert "£50 per hour" in service.fees_description
    assert service.assured_date == date(2005, 1, 1)
    assert service.last_modified == datetime(2023, 3, 15, 10, 30, 45, 123000, tzinfo=UTC)
    cost = directory.cost_options[0]
    assert (cost.amount, cost.currency, cost.option) == (35, "gbp", "Under 18s and Over 60s")
    assert (cost.valid_from, cost.valid_to) == (date(2020, 1, 1), date(2022, 12, 31))
    term = directory.taxonomy_terms[0]
    assert (term.code, term.taxonomy, term.parent_id) == ("code", "taxonomy", None)


def test_a_single_spec_json_file_is_flattened_and_its_nested_organization_kept_once():
    directory, problems = read(SPEC / "service_full.json")

    assert counts(directory) == {
        "organizations": 1,
        "services": 1,
        "service_areas": 1,
        "cost_options": 1,
    }
    assert directory.service_areas[0].service_id == SERVICE
    assert directory.cost_options[0].service_id == SERVICE
    # The location nested three times is reported once, with each record that needed it.
    assert (
        problems.count(
            Problem(
                "service_full.json", CIVIC_CENTER, "latitude", "must be between -90 and 90 degrees"
            )
        )
        == 1
    )
    assert sorted(p.record_id for p in problems if p.reason == LEFT_OUT) == [
        "1554f2e2-a373-45db-a3fa-9fc48a61c15e",  # the phone, also the service's
        "2989d3ed-c547-48f8-8f9d-432d81c7892e",  # Urdu, also the service's
        "48102e86-bb50-41c4-8f1e-e269368c41d1",  # the schedule, also the service's
        "74706e55-df26-4b84-80fe-ecc30b5befb4",  # the address
        "afcf296e-1cb2-4139-9c88-33d587d1a50b",  # the accessibility
        "e94c9f38-1e8f-4564-91d4-d53501ab1765",  # the service at the location
    ]
    assert (
        Problem(
            "service_full.json",
            "ae58cc39-8b70-4ab1-8aea-786882e5ac8e",
            "link_entity",
            "differs from the service it is nested in",
        )
        in problems
    )
    assert len(problems) == 8


def test_the_spec_json_examples_folder_merges_every_copy_of_each_record():
    directory, problems = read(SPEC)

    assert counts(directory) == {
        "organizations": 1,
        "services": 1,
        "service_areas": 1,
        "cost_options": 1,
        "taxonomy_terms": 1,
    }
    # tabular.json (the tabular form in JSON) writes the location's UPRN as a number.
    assert Problem("tabular.json", CIVIC_CENTER, "external_identifier", "must be text") in problems
    assert {p.file for p in problems} == {
        "location.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
        "service_full.json",
        "tabular.json",
    }
    assert len(problems) == 17


def test_the_mock_api_folder_reads_one_json_file_per_record_and_its_nested_records():
    directory, problems = read(DATA / "mock-hsds-api-3.0")

    assert counts(directory) == {
        "organizations": 1,
        "services": 1,
        "service_areas": 1,
        "cost_options": 1,
        "taxonomy_terms": 1,
    }
    assert directory.services[0].organization_id == ORGANIZATION
    # Its taxonomy term is in taxonomy_terms/, its vocabulary nested in it.
    assert directory.taxonomy_terms[0].taxonomy == "taxonomy"
    assert Counter(p.file.split("/")[0] for p in problems) == {
        "organizations": 8,  # it nests everything: the location and all that needed it
        "service_at_locations": 2,  # the location, the placeholder link_entity
        "services": 2,
        "taxonomy_terms": 1,  # the parent term
    }


def test_the_full_11_sample_package_becomes_30_records():
    directory, problems = read(SAMPLE_11 / "all_resources")

    assert counts(directory) == {
        "organizations": 10,
        "services": 13,
        "locations": 10,
        "service_at_locations": 13,
        "addresses": 2,
        "phones": 5,
        "schedules": 3,
        "service_areas": 1,
        "languages": 8,  # 2 from languages.csv, 6 from the phones' language codes
        "accessibility": 1,
        "taxonomy_terms": 1,
    }
    assert problems == (
        Problem(
            "taxonomy.csv",
            "df7be950-1b0f-11e9-b56e-0800200c9a66",
            "parent_id",
            "refers to taxonomy term e9004840-1b0f-11e9-b56e-0800200c9a66, which is not in the "
            "directory; the term is kept without a parent",
        ),
    )


def test_11_eligibility_payments_addresses_and_accessibility_keep_the_sources_words():
    directory, _ = read(SAMPLE_11 / "all_resources")

    helpline = next(s for s in directory.services if s.name == "Never Homeless Helpline")
    assert helpline.eligibility_description == "adult"
    assert helpline.fees_description == "Payments accepted: cash, credit card"
    assert {(a.address_type, a.address_2) for a in directory.addresses} == {
        ("physical", "Address 2"),
        ("postal", "Address 2"),
    }
    assert directory.accessibility[0].description == "disabled_parking"
    assert all(location.location_type == "physical" for location in directory.locations)
    term = directory.taxonomy_terms[0]
    assert (term.name, term.description, term.taxonomy) == ("Taxonomy A", "Taxonomy A", "AIRS")
    roz = next(p for p in directory.phones if p.description == "Roz Bernstein Main Office")
    assert sorted(x.code for x in directory.languages if x.phone_id == roz.id) == ["en", "es"]
    assert roz.extension == 42


def test_11_weekday_rows_become_weekly_schedules_with_one_day_each():
    directory, _ = read(SAMPLE_11 / "all_resources")

    # weekday 1, 2, 3 with 09:00:00-17:00:00: Monday to Wednesday, as ISO 8601 numbers days.
    assert sorted((s.freq, s.byday, s.opens_at, s.closes_at) for s in directory.schedules) == [
        ("WEEKLY", "MO", time(9), time(17)),
        ("WEEKLY", "TU", time(9), time(17)),
        ("WEEKLY", "WE", time(9), time(17)),
    ]
    assert {s.service_at_location_id for s in directory.schedules} == {
        "d254626c-6858-46ad-850a-6e1c53ea463a"
    }


def test_the_simple_11_sample_package_is_read_whole_without_a_problem():
    directory, problems = read(SAMPLE_11 / "simple")

    assert counts(directory) == {
        "organizations": 10,
        "services": 13,
        "locations": 10,
        "service_at_locations": 13,
        "phones": 5,
        "languages": 6,
    }
    assert problems == ()


def test_illinois_gives_no_service_a_status_so_every_service_is_left_out():
    directory, problems = read(ILLINOIS)

    assert counts(directory) == {
        "organizations": 33,
        "locations": 72,
        "phones": 104,  # 33 of organizations and 71 of locations; 19 rows have no number
        "schedules": 262,
    }
    missing_status = [p for p in problems if p.file == "services.csv" and p.field == "status"]
    assert len(missing_status) == 430
    assert missing_status[0] == Problem(
        "services.csv", "135836", "status", "is missing; HSDS 3.0 requires it"
    )


def test_illinois_with_services_read_as_active_keeps_those_of_its_33_organizations():
    directory, problems = read(ILLINOIS, status_if_missing="active")

    assert counts(directory) == {
        "organizations": 33,
        "services": 89,
        "locations": 72,
        "phones": 193,
        "schedules": 262,
    }
    service = next(s for s in directory.services if s.id == legacy_id("service", "129441"))
    assert service.organization_id == legacy_id("organization", "25231")
    assert service.fees_description == "Free to eligible persons/entities"
    assert service.status == "active"
    assert Counter((p.file, p.field) for p in problems) == {
        ("regular_schedules.csv", "location_id"): 1565,
        ("locations.csv", "organization_id"): 448,
        ("phones.csv", "location_id"): 430,
        ("services.csv", "organization_id"): 340,
        ("phones.csv", "service_id"): 340,
        ("postal_addresses.csv", "city"): 33,
        ("postal_addresses.csv", "country"): 33,
        ("phones.csv", "number"): 19,
        ("services.csv", "id"): 1,
        ("services.csv", "name"): 1,
    }


@pytest.mark.parametrize(
    "problem",
    [
        # The export holds 33 organizations; most services and locations name others.
        Problem(
            "services.csv",
            "135836",
            "organization_id",
            "refers to organization 91676, which is not in the directory",
        ),
        Problem(
            "locations.csv",
            "135831",
            "organization_id",
            "refers to organization 91676, which is not in the directory",
        ),
        # So that library's opening hours go with it.
        Problem(
            "regular_schedules.csv",
            "line 2",
            "location_id",
            "refers to location 135831, which was left out (see its problem)",
        ),
        # The last row of services.csv is empty but for an organization.
        Problem("services.csv", "line 651", "id", "is missing; HSDS 3.0 requires it"),
        Problem("services.csv", "line 651", "name", "is missing; HSDS 3.0 requires it"),
        # Postal addresses run street and city together and give no city or country.
        Problem("postal_addresses.csv", "line 2", "city", "is missing; HSDS 3.0 requires it"),
        Problem("postal_addresses.csv", "line 2", "country", "is missing; HSDS 3.0 requires it"),
        # A location's phone row without a number.
        Problem("phones.csv", "line 226", "number", "is missing; HSDS 3.0 requires it"),
    ],
)
def test_illinois_gaps_are_reported_with_file_record_and_field(problem):
    _, problems = read(ILLINOIS, status_if_missing="active")

    assert problem in problems


def test_illinois_has_no_coordinates_so_every_location_is_kept_without_them():
    directory, _ = read(ILLINOIS)

    assert {(x.latitude, x.longitude) for x in directory.locations} == {(None, None)}


def test_illinois_weekday_names_and_unpadded_times_become_schedules_and_closed_days_none():
    directory, _ = read(ILLINOIS)

    hotline = legacy_id("location", "131331")  # IL-AFLAN Hotline: weekdays 9:00-17:00
    hours = sorted(
        (s.byday, s.opens_at, s.closes_at) for s in directory.schedules if s.location_id == hotline
    )
    assert hours == sorted((day, time(9), time(17)) for day in ("MO", "TU", "WE", "TH", "FR"))


def test_an_11_id_that_is_not_a_uuid_becomes_a_stable_uuid_and_problems_show_the_original():
    assert legacy_id("service", "129441") == legacy_id("service", "129441")
    assert legacy_id("service", "129441") != legacy_id("location", "129441")
    assert legacy_id("service", SERVICE) == SERVICE
