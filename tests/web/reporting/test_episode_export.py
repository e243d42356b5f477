"""The TEDS episode export: supervisors only, filtered by dates and program, audited."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import make_user, sign_in
from tests.web.reporting.conftest import cohort_member
from trellis.audit.models import AuditEvent
from trellis.core.access import Role
from trellis.core.episode_export import ADMISSION_FIELDS, DISCHARGE_FIELDS
from trellis.people.models import Program

RANGE = {"start": "2026-01-01", "end": "2026-12-31"}


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def cohort(program, sam):
    return [cohort_member(program, sam.user, n) for n in range(3)]


def test_the_admissions_csv_has_the_teds_fields_and_codes(client, sam, cohort):
    sign_in(client, sam)

    response = client.get("/reporting/episodes/admissions.csv", RANGE)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "teds-admissions-2026-01-01-2026-12-31.csv" in response["Content-Disposition"]
    header = response.content.decode().splitlines()[0]
    assert header.split(",") == list(ADMISSION_FIELDS)
    found = rows(response)
    assert len(found) == 3
    first = found[0]
    assert {k: first[k] for k in ("ADMYR", "SERVICES", "AGE", "GENDER", "RACE", "ETHNIC")} == {
        "ADMYR": "2026", "SERVICES": "6", "AGE": "7", "GENDER": "2", "RACE": "5", "ETHNIC": "-9",
    }  # fmt: skip
    assert (first["SUB1"], first["FREQ1"], first["EMPLOY"], first["LIVARAG"]) == (
        "2",
        "3",
        "1",
        "3",
    )


def test_the_case_id_is_stable_and_never_a_name_or_public_id(client, sam, cohort):
    sign_in(client, sam)

    first = client.get("/reporting/episodes/admissions.csv", RANGE)
    again = client.get("/reporting/episodes/admissions.csv", RANGE)

    assert [r["CASEID"] for r in rows(first)] == [r["CASEID"] for r in rows(again)]
    body = first.content.decode()
    for episode in cohort:
        assert str(episode.person.public_id) not in body
        assert episode.person.given_name not in body
    assert "Quackenbush" not in body


def test_the_discharges_csv_lists_episodes_discharged_in_the_range(client, sam, cohort):
    sign_in(client, sam)

    response = client.get("/reporting/episodes/discharges.csv", RANGE)

    found = rows(response)
    assert response.content.decode().splitlines()[0].split(",") == list(DISCHARGE_FIELDS)
    assert len(found) == 2  # members 0 and 2 were discharged
    assert {(r["REASON"], r["DISYR"]) for r in found} == {("1", "2026")}
    assert {r["LOS"] for r in found} == {"31"}  # 42 and 40 days: the 31-45 range


def test_the_range_and_the_program_filter_the_episodes(client, sam, cohort, program):
    other = Program.objects.create(name="Lakeside")
    cohort_member(other, sam.user, 9)
    sign_in(client, sam)

    narrow = client.get("/reporting/episodes/admissions.csv", {**RANGE, "end": "2026-02-02"})
    lakeside = client.get("/reporting/episodes/admissions.csv", {**RANGE, "program": other.pk})
    everyone = client.get("/reporting/episodes/admissions.csv", RANGE)

    assert len(rows(narrow)) == 2  # admitted 1 and 2 February
    assert len(rows(lakeside)) == 1
    assert len(rows(everyone)) == 4


def test_every_download_is_audited_with_counts_and_no_protected_data(client, sam, cohort, program):
    sign_in(client, sam)

    client.get("/reporting/episodes/admissions.csv", {**RANGE, "program": program.pk})

    event = AuditEvent.objects.get(object_type="EpisodeExport")
    assert (event.actor, event.action, event.object_id, event.purpose) == (
        sam.user, "export", "admissions", "operations",
    )  # fmt: skip
    assert event.detail == {
        "records": 3, "start": "2026-01-01", "end": "2026-12-31", "program": program.pk,
    }  # fmt: skip


def test_the_page_shows_counts_and_download_links(client, sam, cohort):
    sign_in(client, sam)

    response = client.get("/reporting/episodes/", RANGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert "3 episodes admitted in the range" in page
    assert "2 episodes discharged in the range" in page
    assert "/reporting/episodes/admissions.csv?start=2026-01-01&amp;end=2026-12-31" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-12-31", "end": "2026-01-01"}, "The end date must be on or after the start date."),
        ({"start": "someday", "end": "2026-01-01"}, "Enter a valid date."),
        ({**RANGE, "program": "999999"}, "Choose one of the listed programs."),
        ({"start": "2010-01-01", "end": "2026-01-01"}, "Choose a range of at most five years."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_is_exported(client, sam, query, message):
    sign_in(client, sam)

    response = client.get("/reporting/episodes/admissions.csv", query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="EpisodeExport").exists()


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.RESEARCHER, Role.ADMIN, Role.NAVIGATOR])
def test_only_a_supervisor_may_export_episodes(client, program, role):
    sign_in(client, make_user(f"u-{role}", role))

    for url in ("/reporting/episodes/", "/reporting/episodes/admissions.csv"):
        assert client.get(url).status_code == 404
