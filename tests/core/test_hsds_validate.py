"""What reading does with bad input: each problem names the file, the record, the field and the
reason; the record is left out, with whatever needed it; everything sound is kept."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trellis.core.errors import InvalidInput
from trellis.core.hsds import Problem, read, schema
from trellis.core.hsds.csv_source import Plan, plan_of
from trellis.core.hsds.model import RECORDS
from trellis.core.hsds.tabular import NUMBER, number
from trellis.core.hsds.write import record

ORG = "11111111-1111-4111-8111-111111111111"
SERVICE = "22222222-2222-4222-8222-222222222222"
LOCATION = "33333333-3333-4333-8333-333333333333"
AT = "44444444-4444-4444-8444-444444444444"
PHONE = "55555555-5555-4555-8555-555555555555"
TERM = "66666666-6666-4666-8666-666666666666"
ATTRIBUTE = "77777777-7777-4777-8777-777777777777"
MISSING = "99999999-9999-4999-8999-999999999999"


def table(folder: Path, name: str, rows: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    header = list(dict.fromkeys(k for row in rows for k in row))
    with (folder / name).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([row.get(h, "") for h in header] for row in rows)


def package(folder: Path, **changes: list[dict[str, object]]) -> Path:
    """A small sound HSDS 3.0 CSV package; `changes` replaces or adds whole tables."""
    tables = {
        "organizations.csv": [{"id": ORG, "name": "Harbor", "description": "Peer support"}],
        "services.csv": [
            {"id": SERVICE, "organization_id": ORG, "name": "Meetings", "status": "active"}
        ],
        "locations.csv": [
            {"id": LOCATION, "location_type": "physical", "latitude": 41.88, "longitude": -87.63}
        ],
        "service_at_location.csv": [{"id": AT, "service_id": SERVICE, "location_id": LOCATION}],
        "phones.csv": [{"id": PHONE, "service_id": SERVICE, "number": "312-555-0100"}],
        "taxonomy_terms.csv": [{"id": TERM, "name": "Peer support", "description": "Peers"}],
        "attributes.csv": [
            {
                "id": ATTRIBUTE,
                "link_id": SERVICE,
                "link_entity": "service",
                "taxonomy_term_id": TERM,
            }
        ],
    }
    for name, rows in changes.items():
        tables[name.replace("__", ".")] = rows
    for name, rows in tables.items():
        table(folder, name, rows)
    return folder


def test_the_sound_package_is_read_whole(tmp_path):
    directory, problems = read(package(tmp_path))

    assert problems == ()
    assert [len(directory.services), len(directory.phones), len(directory.attributes)] == [1, 1, 1]


def test_a_file_that_is_not_json_is_one_problem_without_a_record(tmp_path):
    (tmp_path / "services.json").write_text('[{"id": "x",}]')

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "services.json",
            None,
            None,
            "is not valid JSON (line 1, column 13: Expecting property name enclosed in double "
            "quotes)",
        ),
    )
    assert directory.services == ()


def test_nan_is_not_json(tmp_path):
    (tmp_path / "locations.json").write_text('[{"id": "x", "latitude": NaN}]')

    _, problems = read(tmp_path)

    assert problems == (
        Problem("locations.json", None, None, "is not valid JSON (NaN is not a JSON number)"),
    )


def test_a_csv_file_that_breaks_quoting_keeps_the_rows_before_the_break(tmp_path):
    package(tmp_path)
    (tmp_path / "phones.csv").write_text(
        f'id,service_id,number\n{PHONE},{SERVICE},312-555-0100\n{MISSING},{SERVICE},"312" 555\n'
    )

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "phones.csv",
            None,
            None,
            "is not valid CSV at line 3 (',' expected after '\"'); the rows after line 2 were "
            "not read",
        ),
    )
    assert [p.id for p in directory.phones] == [PHONE]


def test_an_empty_csv_file_and_a_row_wider_than_its_header_are_reported(tmp_path):
    package(tmp_path)
    (tmp_path / "phones.csv").write_text("")
    (tmp_path / "cost_options.csv").write_text(f"id,service_id\n{MISSING},{SERVICE},extra\n")

    _, problems = read(tmp_path)

    assert problems == (
        Problem("cost_options.csv", "line 2", None, "has 3 cells but the header has 2"),
        Problem("phones.csv", None, None, "is empty: it has no header row"),
    )


def test_a_nul_character_in_a_csv_cell_is_reported_with_its_field_and_the_row_left_out(tmp_path):
    package(
        tmp_path,
        phones__csv=[
            {"id": PHONE, "service_id": SERVICE, "number": "312-555-\x000100"},
            {"id": MISSING, "service_id": SERVICE, "number": "312-555-0101"},
        ],
    )

    directory, problems = read(tmp_path)

    reason = "holds a NUL character (U+0000), which no text in the directory may hold"
    assert problems == (Problem("phones.csv", "line 2", "number", reason),)
    assert [p.number for p in directory.phones] == ["312-555-0101"]
    assert len(directory.services) == 1


def test_a_nul_character_escaped_in_json_is_reported_with_its_record_and_field(tmp_path):
    services = [
        {"id": SERVICE, "organization_id": ORG, "name": "Meet\u0000ings", "status": "active"},
        {"id": MISSING, "organization_id": ORG, "name": "Groups", "status": "active"},
    ]
    # json.dumps writes the NUL as the escape \u0000, the one way JSON text can hold it.
    (tmp_path / "services.json").write_text(json.dumps(services), encoding="utf-8")
    (tmp_path / "organizations.json").write_text(
        json.dumps([{"id": ORG, "name": "Harbor", "description": "Peers"}]), encoding="utf-8"
    )

    directory, problems = read(tmp_path)

    reason = "holds a NUL character (U+0000), which no text in the directory may hold"
    assert problems == (Problem("services.json", SERVICE, "name", reason),)
    assert [s.name for s in directory.services] == ["Groups"]


def test_a_file_that_is_not_utf8_is_one_problem(tmp_path):
    package(tmp_path)
    (tmp_path / "phones.csv").write_bytes(b"id,number\n\xff\xfe,1\n")

    _, problems = read(tmp_path)

    assert problems == (Problem("phones.csv", None, None, "is not UTF-8 text"),)


def test_a_datapackage_path_that_does_not_resolve_is_reported_and_the_rest_read(tmp_path):
    package(tmp_path)
    resources = [
        {"name": "organization", "path": "organizations.csv"},
        {"name": "service", "path": "services.csv"},
        {"name": "phone", "path": "phone_numbers.csv"},
        {"name": "location", "path": "../locations.csv"},
        {"name": "schedule", "path": "https://example.org/schedules.csv"},
    ]
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": resources}))

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "datapackage.json",
            "phone",
            "path",
            "declares phone_numbers.csv, which is not in the folder",
        ),
        Problem(
            "datapackage.json",
            "location",
            "path",
            "declares ../locations.csv, which lies outside the package folder",
        ),
        Problem(
            "datapackage.json",
            "schedule",
            "path",
            "declares https://example.org/schedules.csv, a remote file; only files in the "
            "package folder are read",
        ),
    )
    assert [len(directory.organizations), len(directory.services)] == [1, 1]
    assert directory.locations == directory.phones == ()  # declared nowhere that resolves


def test_a_datapackage_that_is_not_json_is_reported_and_the_files_are_read_by_name(tmp_path):
    package(tmp_path)
    (tmp_path / "datapackage.json").write_text("{")

    directory, problems = read(tmp_path)

    assert [(p.file, p.record_id) for p in problems] == [("datapackage.json", None)]
    assert problems[0].reason.startswith("is not valid JSON")
    assert len(directory.services) == 1


def test_a_30_record_of_the_wrong_type_or_missing_a_required_field_is_rejected_naming_it(
    tmp_path,
):
    service = {"id": SERVICE, "organization_id": ORG, "status": "active", "minimum_age": "twelve"}
    (tmp_path / "services.json").write_text(json.dumps([service]))

    directory, problems = read(tmp_path)

    assert directory.services == ()
    assert problems == (
        Problem("services.json", SERVICE, "minimum_age", "must be a number"),
        Problem("services.json", SERVICE, "name", "is missing; HSDS 3.0 requires it"),
    )


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("status", "open", "must be one of: active, inactive, defunct, temporarily closed"),
        ("id", "svc-1", "must be a UUID (HSDS 3.0 ids are UUIDs)"),
        ("organization_id", 7, "must be text"),
        ("email", "harbor.example.org", "must be an email address"),
        (
            "url",
            "www.harbor.example.org",
            "must be a URI with its scheme, such as https://example.org",
        ),
        ("assured_date", "1/5/2024", "must be a date (YYYY-MM-DD)"),
        (
            "last_modified",
            "2024-01-05",
            "must be a date and time (YYYY-MM-DDTHH:MM:SS, with Z or an offset if any)",
        ),
        ("phones", {"id": PHONE}, "must be a list"),
        ("organization", "Harbor", "must be an object"),
    ],
)
def test_each_kind_of_schema_break_is_named_without_echoing_the_value(
    tmp_path, field, value, reason
):
    service = {"id": SERVICE, "organization_id": ORG, "name": "Meetings", "status": "active"}
    (tmp_path / "services.json").write_text(json.dumps([service | {field: value}]))

    _, problems = read(tmp_path)

    record_id = value if field == "id" else SERVICE
    assert Problem("services.json", record_id, field, reason) in problems


def test_a_schedule_time_must_be_a_time(tmp_path):
    package(
        tmp_path,
        schedules__csv=[
            {"id": MISSING, "service_id": SERVICE, "freq": "WEEKLY", "opens_at": "9am"}
        ],
    )

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "schedules.csv",
            MISSING,
            "opens_at",
            "must be a time (HH:MM or HH:MM:SS, with Z or an offset if any)",
        ),
    )
    assert directory.schedules == ()


def test_null_and_empty_text_in_json_mean_absent(tmp_path):
    organization = {
        "id": ORG,
        "name": "Harbor",
        "description": "Peers",
        "email": None,
        "website": "",
    }
    (tmp_path / "organizations.json").write_text(json.dumps(organization))

    directory, problems = read(tmp_path)

    assert problems == ()
    assert (directory.organizations[0].email, directory.organizations[0].website) == (None, None)


def test_a_service_of_a_missing_organization_is_left_out_with_what_depends_on_it(tmp_path):
    package(
        tmp_path,
        services__csv=[
            {"id": SERVICE, "organization_id": MISSING, "name": "Meetings", "status": "active"}
        ],
    )

    directory, problems = read(tmp_path)

    left_out = f"refers to service {SERVICE}, which was left out (see its problem)"
    assert problems == (
        Problem(
            "services.csv",
            SERVICE,
            "organization_id",
            f"refers to organization {MISSING}, which is not in the directory",
        ),
        Problem("service_at_location.csv", AT, "service_id", left_out),
        Problem("phones.csv", PHONE, "service_id", left_out),
        Problem("attributes.csv", ATTRIBUTE, "link_id", left_out),
    )
    assert directory.services == directory.service_at_locations == directory.phones == ()
    assert len(directory.locations) == 1


def test_a_service_at_a_missing_location_is_left_out(tmp_path):
    package(tmp_path, locations__csv=[])

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "service_at_location.csv",
            AT,
            "location_id",
            f"refers to location {LOCATION}, which is not in the directory",
        ),
    )
    assert directory.service_at_locations == ()
    assert len(directory.services) == 1


def test_coordinates_off_the_globe_leave_the_location_out(tmp_path):
    package(
        tmp_path,
        locations__csv=[
            {"id": LOCATION, "location_type": "physical", "latitude": 91, "longitude": -180.5}
        ],
    )

    directory, problems = read(tmp_path)

    assert problems[:2] == (
        Problem("locations.csv", LOCATION, "latitude", "must be between -90 and 90 degrees"),
        Problem("locations.csv", LOCATION, "longitude", "must be between -180 and 180 degrees"),
    )
    assert problems[2].record_id == AT  # the service there goes with it
    assert directory.locations == ()


def test_an_attribute_of_an_unknown_taxonomy_term_is_left_out(tmp_path):
    package(tmp_path, taxonomy_terms__csv=[])

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "attributes.csv",
            ATTRIBUTE,
            "taxonomy_term_id",
            f"refers to taxonomy term {TERM}, which is not in the directory",
        ),
    )
    assert directory.attributes == ()


def test_an_11_service_taxonomy_row_of_an_unknown_term_is_left_out(tmp_path):
    table(tmp_path, "organizations.csv", [{"id": "1", "name": "Harbor", "description": "Peers"}])
    table(
        tmp_path,
        "services.csv",
        [{"id": "7", "organization_id": "1", "name": "Meetings", "status": "active"}],
    )
    table(tmp_path, "taxonomy.csv", [{"id": "BD-1800", "name": "Peer support"}])
    table(
        tmp_path,
        "services_taxonomy.csv",
        [
            {"id": "st-1", "service_id": "7", "taxonomy_id": "BD-1800"},
            {"id": "st-2", "service_id": "7", "taxonomy_id": "BD-9999"},
        ],
    )

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "services_taxonomy.csv",
            "st-2",
            "taxonomy_term_id",
            "refers to taxonomy term BD-9999, which is not in the directory",
        ),
    )
    assert [a.taxonomy_term_id for a in directory.attributes] == [directory.taxonomy_terms[0].id]


def test_a_phone_that_belongs_to_nothing_is_left_out(tmp_path):
    package(tmp_path, phones__csv=[{"id": PHONE, "number": "312-555-0100"}])

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "phones.csv",
            PHONE,
            "service_id or location_id or organization_id or service_at_location_id",
            "names no service or location or organization or service at location it belongs to",
        ),
    )
    assert directory.phones == ()


def test_two_different_records_with_one_id_keep_the_first_and_report_the_second(tmp_path):
    (tmp_path / "a.json").write_text("{}")  # no kind in its name: reported, not read
    organization = {"id": ORG, "name": "Harbor", "description": "Peers"}
    (tmp_path / "organizations.json").write_text(
        json.dumps([organization, organization | {"name": "Harbour"}])
    )

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "a.json",
            None,
            None,
            "cannot tell which HSDS object it holds: name it or its folder after one "
            "(services.json, services/…)",
        ),
        Problem(
            "organizations.json",
            ORG,
            "name",
            "differs from the organization with the same id in organizations.json, which is kept",
        ),
    )
    assert [o.name for o in directory.organizations] == ["Harbor"]


def test_one_record_nested_in_several_places_is_kept_once_with_every_link(tmp_path):
    phone = {"id": PHONE, "number": "312-555-0100"}
    location = {"id": LOCATION, "location_type": "physical", "phones": [phone]}
    organization = {"id": ORG, "name": "Harbor", "description": "Peers"}
    service = {
        "id": SERVICE,
        "name": "Meetings",
        "status": "active",
        "organization": organization,
        "phones": [phone],
        "service_at_locations": [{"id": AT, "location": location}],
    }
    (tmp_path / "services.json").write_text(json.dumps([service, service]))

    directory, problems = read(tmp_path)

    assert problems == ()
    assert len(directory.organizations) == len(directory.phones) == 1
    assert (directory.phones[0].service_id, directory.phones[0].location_id) == (
        SERVICE,
        LOCATION,
    )
    at = directory.service_at_locations[0]
    assert (at.service_id, at.location_id) == (SERVICE, LOCATION)


def test_a_nested_record_that_names_another_parent_is_left_out(tmp_path):
    other = {"id": PHONE, "number": "312-555-0100", "service_id": MISSING}
    service = {
        "id": SERVICE,
        "organization_id": ORG,
        "name": "Meetings",
        "status": "active",
        "phones": [other],
    }
    (tmp_path / "services.json").write_text(json.dumps(service))

    _, problems = read(tmp_path)

    assert (
        Problem("services.json", PHONE, "service_id", "differs from the service it is nested in")
        in problems
    )


def test_a_record_whose_link_disagrees_with_its_nested_owner_keeps_its_own_link(tmp_path):
    organization = {"id": ORG, "name": "Harbor", "description": "Peers"}
    other = organization | {"id": MISSING, "name": "Other"}
    service = {
        "id": SERVICE,
        "organization_id": ORG,
        "organization": other,
        "name": "Meetings",
        "status": "active",
    }
    (tmp_path / "organizations.json").write_text(json.dumps([organization]))
    (tmp_path / "services.json").write_text(json.dumps([service]))

    directory, problems = read(tmp_path)

    assert problems == (
        Problem(
            "services.json",
            SERVICE,
            "organization_id",
            "differs from the id of its nested organization; organization_id is kept",
        ),
    )
    assert directory.services[0].organization_id == ORG
    assert [o.id for o in directory.organizations] == [ORG, MISSING]


def test_a_term_named_only_by_its_taxonomy_id_takes_the_taxonomys_name(tmp_path):
    vocabulary = "88888888-8888-4888-8888-888888888888"
    package(
        tmp_path,
        taxonomies__csv=[{"id": vocabulary, "name": "AIRS", "description": "211 taxonomy"}],
        taxonomy_terms__csv=[
            {"id": TERM, "name": "Peer support", "description": "Peers", "taxonomy_id": vocabulary}
        ],
    )

    directory, problems = read(tmp_path)

    assert problems == ()
    assert directory.taxonomy_terms[0].taxonomy == "AIRS"


def test_services_without_a_status_are_kept_only_when_the_caller_says_what_silence_means(
    tmp_path,
):
    package(
        tmp_path,
        services__csv=[{"id": SERVICE, "organization_id": ORG, "name": "Meetings", "status": ""}],
    )

    strict, problems = read(tmp_path)
    lenient, none = read(tmp_path, status_if_missing="active")

    assert strict.services == ()
    assert problems[0] == Problem(
        "services.csv", SERVICE, "status", "is missing; HSDS 3.0 requires it"
    )
    assert none == ()
    assert lenient.services[0].status == "active"


def test_a_list_item_that_is_not_an_object_is_named_by_its_place(tmp_path):
    (tmp_path / "services.json").write_text(json.dumps({"contents": ["Meetings"]}))

    _, problems = read(tmp_path)

    assert problems == (
        Problem("services.json", "/contents/0", None, "must be an object (an HSDS service)"),
    )


def test_a_path_that_is_not_hsds_is_one_problem(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")

    assert read(tmp_path / "missing")[1] == (Problem("missing", None, None, "does not exist"),)
    assert read(tmp_path / "notes.txt")[1][0].reason.startswith("is not HSDS")
    assert read(tmp_path)[1][0].reason.startswith("is not HSDS")


def test_an_11_weekday_that_is_no_day_and_eligibility_of_a_missing_service_are_reported(
    tmp_path,
):
    table(tmp_path, "organizations.csv", [{"id": "1", "name": "Harbor", "description": "Peers"}])
    table(tmp_path, "locations.csv", [{"id": "5", "organization_id": "1"}])
    table(
        tmp_path,
        "regular_schedules.csv",
        [
            {"id": "r1", "location_id": "5", "weekday": "Funday", "opens_at": "9:00"},
            {"id": "r2", "location_id": "5", "weekday": "0", "opens_at": "9:00"},
            {"id": "r3", "location_id": "5", "weekday": "7", "opens_at": "9:30"},
        ],
    )
    table(tmp_path, "eligibility.csv", [{"id": "e1", "service_id": "8", "eligibility": "adult"}])

    directory, problems = read(tmp_path)

    weekday = "must be a day of the week: 1 (Monday) to 7 (Sunday), or its name"
    assert problems == (
        Problem(
            "eligibility.csv",
            "e1",
            "service_id",
            "refers to service 8, which is not in the directory",
        ),
        Problem("regular_schedules.csv", "r1", "weekday", weekday),
        Problem("regular_schedules.csv", "r2", "weekday", weekday),
    )
    assert [(s.byday, str(s.opens_at)) for s in directory.schedules] == [("SU", "09:30:00")]


def test_a_status_to_read_for_silence_must_be_an_hsds_status():
    with pytest.raises(InvalidInput) as raised:
        read(".", status_if_missing="open")

    assert str(raised.value) == (
        "status_if_missing must be one of: active, inactive, defunct, temporarily closed"
    )


# The fast check lets records through before jsonschema; it must never pass one jsonschema
# would not, nor (for plain JSON values) refuse one it would pass.
VALUES = [
    SERVICE,
    "not-a-uuid",
    "harbor@example.org",
    "https://example.org",
    "www.example.org",
    "2024-01-05",
    "2024-13-05",
    "10:00",
    "25:00",
    "2023-03-15T10:30:45.123Z",
    "active",
    "physical",
    "WEEKLY",
    "TU",
    "",
    12,
    41.5,
    True,
    None,
    {},
    [],
    [{}],
    ["x"],
]


@given(st.data())
def test_the_fast_check_agrees_with_jsonschema(data):
    kind = data.draw(st.sampled_from(schema.KINDS))
    check = schema.check(kind)
    names = [*schema.flat_schema(kind)["properties"], "extra"]
    record = data.draw(st.dictionaries(st.sampled_from(names), st.sampled_from(VALUES)))

    assert check.passes(record) == check.validator.is_valid(record)


@given(st.data())
def test_the_csv_plan_agrees_with_the_check_of_the_same_row_as_a_record(data):
    kind = data.draw(st.sampled_from(schema.KINDS))
    header = schema.tables()[kind].fields
    plan = plan_of(kind, header)
    if plan is None:
        return  # this kind's rows always go the long way
    texts = [v for v in VALUES if isinstance(v, str)] + ["12", "4x"]
    row = [data.draw(st.sampled_from(texts)) for _ in header]
    numbers = schema.tables()[kind].numbers
    record = {
        name: number(cell) if name in numbers else cell
        for name, cell in zip(header, row, strict=True)
        if cell
    }

    assert plan.passes(row) == schema.check(kind).validator.is_valid(record)


def _planned(data: st.DataObject) -> tuple[str, tuple[str, ...], Plan]:
    """A kind whose CSV rows have a plan, drawn; its header and plan."""
    kind = data.draw(st.sampled_from([k for k in RECORDS if plan_of(k, schema.tables()[k].fields)]))
    header = schema.tables()[kind].fields
    plan = plan_of(kind, header)
    assert plan is not None
    return kind, header, plan


def _sound_row(data: st.DataObject, plan: Plan, width: int, texts: list[str]) -> list[str]:
    """A row drawn from `texts` whose every cell its check lets by, required ones filled."""
    checks = dict(plan.checks)
    row = []
    for i in range(width):
        passing = [t for t in texts if t and (i not in checks or checks[i](t))]
        row.append(data.draw(st.sampled_from(passing if i in plan.required else ["", *passing])))
    return row


@given(st.data())
def test_the_csv_plan_makes_the_record_the_value_it_builds_is_written_as(data):
    kind, header, plan = _planned(data)
    texts = [v for v in VALUES if isinstance(v, str) and v]
    texts += ["12", "-0.50", "1e3", "007", "10:00:00", "2024-02-29T23:59:59+01:00"]
    row = _sound_row(data, plan, len(header), texts)

    assert plan.passes(row)
    made = record(RECORDS[kind][1](*plan.values(row)))
    assert list(plan.record(row).items()) == list(made.items())


@given(st.data())
def test_the_csv_plan_checks_and_makes_a_record_in_one_step_as_in_two(data):
    _, header, plan = _planned(data)
    texts = [v for v in VALUES if isinstance(v, str)] + ["12", "4x", "-0.50", "north"]
    sound = data.draw(st.booleans())  # every cell one its check lets by, or any cell at all
    if sound:
        row = _sound_row(data, plan, len(header), texts)
    else:
        row = [data.draw(st.sampled_from(texts)) for _ in header]

    assert plan.checked(row) == (plan.record(row) if plan.passes(row) else None)
    assert not sound or plan.checked(row) is not None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12", 12),
        ("-12", -12),
        ("007", 7),
        ("12.", 12.0),
        ("12.50", 12.5),
        (".5", 0.5),
        ("-.5e3", -500.0),
        ("1e5", 100000.0),
        ("1E+5", 100000.0),
        ("2e-1", 0.2),
        ("+1", "+1"),
        ("1.2.3", "1.2.3"),
        ("1e", "1e"),
        ("-", "-"),
        (".", "."),
        ("e5", "e5"),
        ("12 ", "12 "),
        ("twelve", "twelve"),
        ("\u0663", 3),  # ARABIC-INDIC DIGIT THREE: a digit, as NUMBER's \\d has it
        ("-\u0661.5", -1.5),
        ("\u00b2", "\u00b2"),  # SUPERSCRIPT TWO: str.isdigit() takes it, NUMBER does not
        ("1\u00b2", "1\u00b2"),
        ("--1", "--1"),
        ("-.", "-."),
    ],
)
def test_a_cell_is_read_as_the_number_it_spells_integer_or_decimal(cell, expected):
    found = number(cell)
    assert found == expected
    assert type(found) is type(expected)


def _by_pattern(text: str) -> int | float | str:
    """`number` without its shortcut for plain decimals: the pattern decides every cell."""
    found = NUMBER.fullmatch(text)
    if found is None:
        return text
    return int(text) if found.lastindex is None else float(text)


@given(st.text(alphabet="-+.eE0123456789 \u0663\u00b2x", max_size=12))
def test_the_shortcut_for_plain_decimals_reads_every_cell_as_the_pattern_does(text):
    found = number(text)
    assert found == _by_pattern(text)
    assert type(found) is type(_by_pattern(text))
