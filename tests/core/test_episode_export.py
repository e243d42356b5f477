"""TEDS admission and discharge records (core.episode_export). Codes: SAMHSA TEDS-A and TEDS-D
2020 codebooks."""

from __future__ import annotations

from datetime import date

import pytest

from trellis.core.episode_export import (
    ADMISSION_FIELDS,
    DISCHARGE_FIELDS,
    EpisodeFacts,
    admission_record,
    case_id,
    discharge_record,
    ethnic,
    los_code,
    race,
    to_csv,
)

INTAKE = {
    "person": {
        "sex_at_birth": "female",
        "pregnant": True,
        "veteran": False,
        "race_ethnicity": ["White", "Mexican"],
        "insurance": "medicaid",
    },
    "substances": [
        {"substance": "tobacco", "days_used_past_30": 30},
        {"substance": "alcohol", "route": "oral", "days_used_past_30": 12, "age_first_use": 14},
        {"substance": "heroin", "primary": True, "route": "injection", "days_used_past_30": 30,
         "age_first_use": 19},
    ],
    "history": {"prior_treatment": [{"level": "1.0"}, {"level": "3.5"}]},
    "mental_health": {"diagnoses": ["depression"]},
    "environment": {"housing": "stable", "employment": "student"},
}  # fmt: skip


def test_an_admission_maps_the_intake_to_the_published_codes():
    facts = EpisodeFacts("c1", date(2026, 3, 2), "2.1", date(1990, 5, 17), intake=INTAKE)

    record = admission_record(facts)

    assert {k: record[k] for k in ("CASEID", "ADMYR", "SERVICES", "AGE", "GENDER")} == {
        "CASEID": "c1", "ADMYR": 2026, "SERVICES": 6, "AGE": 7, "GENDER": 2,
    }  # fmt: skip
    assert (record["RACE"], record["ETHNIC"], record["PREG"], record["VET"]) == (5, 2, 1, 2)
    assert (record["EMPLOY"], record["DETNLF"], record["LIVARAG"]) == (4, 2, 3)
    assert (record["NOPRIOR"], record["PSYPROB"], record["HLTHINS"]) == (2, 1, 2)
    assert [record[f] for f in ("SUB1", "ROUTE1", "FREQ1", "FRSTUSE1")] == [5, 4, 3, 4]
    assert [record[f] for f in ("SUB2", "ROUTE2", "FREQ2", "FRSTUSE2")] == [2, 1, 2, 2]
    assert [record[f] for f in ("SUB3", "ROUTE3", "FREQ3", "FRSTUSE3")] == [1, -9, -9, -9]
    assert record["DSMCRIT"] == record["PSOURCE"] == record["METHUSE"] == -9
    assert list(record) == list(ADMISSION_FIELDS)


def test_without_an_intake_every_intake_field_is_the_missing_code():
    record = admission_record(EpisodeFacts("c2", date(2026, 3, 2), "1.0"))

    assert record["SERVICES"] == 7
    intake_fields = set(ADMISSION_FIELDS) - {"CASEID", "ADMYR", "SERVICES"}
    assert {record[f] for f in intake_fields} == {-9}


@pytest.mark.parametrize(
    ("level", "services"),
    [("0.5", 7), ("1.0", 7), ("2.1", 6), ("2.5", 6), ("3.1", 5), ("3.5", 4), ("3.7", 4),
     ("4.0", 3), ("9.9", -9)],
)  # fmt: skip
def test_each_asam_level_has_one_teds_service_setting(level, services):
    assert admission_record(EpisodeFacts("c", date(2026, 1, 1), level))["SERVICES"] == services


@pytest.mark.parametrize(
    ("days", "code"),
    [(0, 1), (1, 1), (30, 30), (31, 31), (45, 31), (46, 32), (90, 33), (365, 36), (366, 37),
     (-1, -9)],
)  # fmt: skip
def test_length_of_stay_uses_the_codebook_ranges(days, code):
    assert los_code(days) == code


def test_a_discharge_record_carries_the_reason_and_the_length_of_stay():
    facts = EpisodeFacts("c3", date(2025, 12, 20), "3.5", None, date(2026, 1, 31), "left")

    record = discharge_record(facts)

    assert (record["ADMYR"], record["DISYR"], record["LOS"], record["REASON"]) == (
        2025, 2026, 31, 2,
    )  # fmt: skip
    assert (record["SERVICES"], record["SERVICES_D"], record["EMPLOY_D"]) == (4, 4, -9)
    assert list(record) == list(DISCHARGE_FIELDS)


def test_an_open_episode_has_no_discharge_record():
    with pytest.raises(ValueError, match="a discharge record needs a discharge date"):
        discharge_record(EpisodeFacts("c4", date(2026, 1, 1), "1.0"))


def test_race_and_ethnicity_come_only_from_terms_the_codebook_names():
    assert race(["Black or African American"]) == 4
    assert race(["white", "asian"]) == 8
    assert race(["Hispanic"]) == -9
    assert ethnic(["Hispanic"]) == 5
    assert ethnic(["white"]) == -9
    assert ethnic(["Puerto Rican", "Hispanic"]) == 1


def test_the_case_id_is_stable_per_episode_and_hides_the_database_key():
    first = case_id(b"key", 41)

    assert first == case_id(b"key", 41)
    assert first != case_id(b"key", 42)
    assert first != case_id(b"other key", 41)
    assert len(first) == 16


def test_the_csv_has_the_field_names_as_its_header():
    text = to_csv(DISCHARGE_FIELDS, [discharge_record(
        EpisodeFacts("c5", date(2026, 1, 1), "1.0", None, date(2026, 1, 1), "completed"))])  # fmt: skip

    header, row = text.splitlines()
    assert header.split(",") == list(DISCHARGE_FIELDS)
    assert row.startswith("c5,2026,2026,1,7,7,1,")
