"""The de-identified research export: researchers only, audited with its outcome, refused when
a quasi-identifier group is smaller than 5 people, and free of the identifiers planted in the
stored records."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from tests.conftest import make_user, sign_in
from tests.web.reporting.conftest import EMAIL, PHONE, STREET, cohort_member
from trellis.audit.models import AuditEvent
from trellis.core.access import Role


@pytest.fixture
def cohort(program, rae):
    return [cohort_member(program, rae.user, n) for n in range(5)]


def archive(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def test_a_researcher_gets_a_zip_with_episodes_and_scores(client, rae, cohort):
    sign_in(client, rae)

    response = client.post("/reporting/research/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = archive(response)
    assert set(files) == {"episodes.csv", "scores.csv", "README.txt"}
    episodes = list(csv.DictReader(io.StringIO(files["episodes.csv"].decode())))
    assert len(episodes) == 5
    groups = ("age_band", "sex", "race_ethnicity", "insurance", "rurality", "language", "zip3")
    assert {tuple(row[g] for g in groups) for row in episodes} == {
        ("35-44", "female", "white", "medicaid", "unknown", "en", "627")
    }
    assert {row["level_of_care"] for row in episodes} == {"2.1"}
    assert sorted(row["length_of_stay_days"] for row in episodes) == ["", "", "38", "40", "42"]


def test_a_persons_scores_share_their_study_id_and_date_offset(client, rae, cohort):
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    from trellis.assessments.models import Score

    first = cohort[0]  # admitted 2026-02-01
    taken = timezone.make_aware(datetime(2026, 2, 11, 12, 0))
    Score.objects.create(
        person=first.person, instrument="phq9", total=12, band="moderate", responses=[],
        result={}, source="intake", entered_by=rae.user, taken_at=taken,
    )  # fmt: skip
    sign_in(client, rae)

    files = archive(client.post("/reporting/research/"))

    (score,) = csv.DictReader(io.StringIO(files["scores.csv"].decode()))
    episodes = csv.DictReader(io.StringIO(files["episodes.csv"].decode()))
    (episode,) = [row for row in episodes if row["study_id"] == score["study_id"]]
    assert (score["instrument"], score["total"], score["band"]) == ("phq9", "12", "moderate")
    shifted = date.fromisoformat(score["taken_on"]) - date.fromisoformat(episode["admitted_on"])
    assert shifted == timedelta(days=10)
    assert score["taken_on"] != "2026-02-11"


def test_nothing_identifying_in_the_stored_records_reaches_the_export(client, rae, cohort):
    from datetime import date

    from trellis.people.models import Episode

    # One admission day for everyone and no discharge: a date is never shifted by 0 days, so no
    # exported date can equal a real one by chance (one person's shifted date another's real).
    Episode.objects.update(admitted_on=date(2026, 2, 1), discharged_on=None, discharge_reason="")
    sign_in(client, rae)

    files = archive(client.post("/reporting/research/"))

    everything = b"".join(files.values())
    planted = [PHONE, EMAIL, STREET, "Zebulon", "Quackenbush", "62704", "1990-05-17"]
    planted += [str(e.person.public_id) for e in cohort]
    planted.append("2026-02-01")
    for value in planted:
        assert value.encode() not in everything, value


def test_a_successful_export_is_audited_with_its_size(client, rae, cohort):
    sign_in(client, rae)

    client.post("/reporting/research/")

    event = AuditEvent.objects.get(object_type="ResearchExport")
    assert (event.actor, event.action, event.outcome) == (rae.user, "export", "allowed")
    assert event.detail == {"episodes": 5, "people": 5, "scores": 0}


def test_a_small_group_refuses_the_export_names_the_quasi_identifiers_and_is_audited(
    client, rae, cohort, program
):
    cohort_member(program, rae.user, 7, sex_at_birth="male")
    sign_in(client, rae)

    response = client.post("/reporting/research/")

    page = response.content.decode()
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert (
        "Export refused: 1 record falls in a group of fewer than 5 people with the same "
        "quasi-identifiers." in page
    )
    assert "age band, sex, race and ethnicity, three-digit ZIP code" in page
    assert "Nothing was exported." in page
    event = AuditEvent.objects.get(object_type="ResearchExport")
    assert (event.outcome, event.detail) == (
        "denied", {"refused": "k-anonymity", "failing_records": 1, "k": 5},
    )  # fmt: skip


def test_the_page_explains_the_method_and_offers_the_build_button(client, rae):
    sign_in(client, rae)

    page = client.get("/reporting/research/").content.decode()

    assert "45 CFR 164.514(b)(2)" in page
    assert "Build export" in page


@pytest.mark.parametrize(
    "role",
    [Role.PERSON, Role.CLINICIAN, Role.SUPERVISOR, Role.NAVIGATOR, Role.FAMILY, Role.ADMIN],
)
def test_every_role_but_the_researcher_is_refused(client, cohort, role):
    sign_in(client, make_user(f"u-{role}", role, is_staff=role == Role.ADMIN))

    assert client.get("/reporting/research/").status_code == 404
    assert client.post("/reporting/research/").status_code == 404
    assert not AuditEvent.objects.filter(object_type="ResearchExport").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cohort):
    response = client.post("/reporting/research/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
