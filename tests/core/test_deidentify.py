"""Safe Harbor de-identification and the k-anonymity check (core.deidentify).

Each identifier category of 45 CFR 164.514(b)(2)(i) is planted in every free-form input the
de-identifier receives (the person key, every group label, the postal code, the discharge
reason, the level, the instrument and band of a score) and must appear nowhere in the CSV bytes.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trellis.core.deidentify import (
    EPISODE_COLUMNS,
    QUASI_IDENTIFIERS,
    KAnonymityRefused,
    SourceEpisode,
    SourceScore,
    age_band,
    deidentify,
    shift_days,
    zip3,
)

KEY = b"k" * 32
SALT = b"s" * 32
ADMITTED = date(2026, 3, 9)
BORN = date(1961, 7, 4)

IDENTIFIERS = {
    "A-names": "Zebulon Quackenbush",
    "B-geography": "1600 Pennsylvania Avenue, Springfield, 62704",
    "D-telephone": "(217) 555-0143",
    "E-fax": "Fax 217-555-0199",
    "F-email": "zeb.q@example.org",
    "G-ssn": "078-05-1120",
    "H-medical-record": "MRN-00482913",
    "I-health-plan": "HPB-99812-77",
    "J-account": "ACCT-5512-0098",
    "K-licence": "DL-Q123-4567-8901",
    "L-vehicle": "1HGCM82633A004352",
    "M-device": "SN-PUMP-7781-AX",
    "N-url": "https://zeb.example.org/profile",
    "O-ip-address": "203.0.113.77",
    "P-biometric": "fingerprint 9f86d081884c7d65",
    "Q-photograph": "photo zeb-face-2024.jpg",
    "R-other-unique-id": "6f1c2b1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b",
}


def planted(value: str, people: int = 5) -> tuple[list[SourceEpisode], list[SourceScore]]:
    """`people` people whose every free-form input carries `value`."""
    groups = dict.fromkeys(("race_ethnicity", "sex", "insurance", "rurality", "language"), value)
    episodes, scores = [], []
    for n in range(people):
        key = f"{value}#{n}"
        episodes.append(
            SourceEpisode(
                person_key=key,
                admitted_on=ADMITTED,
                level_of_care=value,
                birth_date=BORN,
                discharged_on=ADMITTED + timedelta(days=30),
                discharge_reason=value,
                groups=groups,
                postal_code=value,
            )
        )
        scores.append(SourceScore(key, value, 12, value, ADMITTED))
    return episodes, scores


def csv_bytes(export) -> bytes:
    return (export.episodes_csv() + export.scores_csv()).encode()


@pytest.mark.parametrize("value", IDENTIFIERS.values(), ids=IDENTIFIERS.keys())
def test_a_planted_identifier_appears_nowhere_in_the_export(value):
    episodes, scores = planted(value)

    export = deidentify(episodes, scores, key=KEY, salt=SALT)

    assert len(export.episodes) == 5
    assert len(export.scores) == 5
    assert value.encode() not in csv_bytes(export)
    assert value.lower().encode() not in csv_bytes(export).lower()


def test_c_dates_are_shifted_and_neither_the_birth_date_nor_its_year_is_exported():
    episodes, scores = planted("x")

    export = deidentify(episodes, scores, key=KEY, salt=SALT)

    out = csv_bytes(export)
    for day in (ADMITTED, ADMITTED + timedelta(days=30), BORN):
        assert day.isoformat().encode() not in out
    assert not any("birth" in column for column in EPISODE_COLUMNS)
    assert export.episodes[0]["age_band"] == "55-64"


def test_the_identified_person_key_becomes_a_study_id_that_changes_with_each_export():
    episodes, _ = planted("x")

    first = deidentify(episodes, key=KEY, salt=SALT)
    second = deidentify(episodes, key=KEY, salt=b"another export")

    assert {r["study_id"] for r in first.episodes}.isdisjoint(
        {r["study_id"] for r in second.episodes}
    )
    assert sorted(r["admitted_on"] for r in first.episodes) == sorted(
        r["admitted_on"] for r in second.episodes
    )


def test_the_same_inputs_give_the_same_export():
    episodes, scores = planted("x")

    assert csv_bytes(deidentify(episodes, scores, key=KEY, salt=SALT)) == csv_bytes(
        deidentify(list(reversed(episodes)), scores, key=KEY, salt=SALT)
    )


def test_every_date_of_one_person_moves_by_the_same_offset_so_intervals_survive():
    person = [
        SourceEpisode("p1", date(2025, 1, 10), "1.0", BORN, date(2025, 3, 1), "completed"),
        SourceEpisode("p1", date(2025, 6, 2), "2.1", BORN),
    ]
    score = SourceScore("p1", "phq9", 14, "moderate", date(2025, 2, 20))

    export = deidentify(person, [score], key=KEY, salt=SALT, k=1)

    first, second = export.episodes
    offset = timedelta(days=shift_days(KEY, "p1"))
    assert first["admitted_on"] == (date(2025, 1, 10) + offset).isoformat()
    assert first["discharged_on"] == (date(2025, 3, 1) + offset).isoformat()
    assert second["admitted_on"] == (date(2025, 6, 2) + offset).isoformat()
    assert export.scores[0]["taken_on"] == (date(2025, 2, 20) + offset).isoformat()
    assert first["length_of_stay_days"] == "50"
    assert (export.scores[0]["instrument"], export.scores[0]["band"]) == ("phq9", "moderate")
    assert (first["episode"], second["episode"]) == ("1", "2")


def test_the_offset_differs_between_people_and_is_never_zero_or_beyond_a_year():
    offsets = [shift_days(KEY, f"person-{n}") for n in range(2000)]

    assert len(set(offsets)) > 500
    assert 0 not in offsets
    assert min(offsets) >= -365
    assert max(offsets) <= 365
    assert shift_days(KEY, "person-1") != shift_days(KEY, "person-2")
    assert shift_days(KEY, "person-1") != shift_days(b"another key", "person-1")


@pytest.mark.parametrize(
    ("age", "band"), [(17, "under 18"), (34, "25-34"), (89, "65-89"), (90, "90+"), (104, "90+")]
)
def test_ages_over_89_are_one_band(age, band):
    born = date(ADMITTED.year - age, 1, 1)

    assert age_band(born, ADMITTED) == band


@pytest.mark.parametrize(
    ("postal_code", "expected"),
    [
        ("62704", "627"),
        ("62704-1234", "627"),
        ("03601", "000"),  # 036: a restricted three-digit area
        ("89301", "000"),  # 893
        ("10201", "000"),  # 102
        ("SW1A 1AA", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_zip_codes_keep_three_digits_and_restricted_areas_become_000(postal_code, expected):
    assert zip3(postal_code) == expected


def crowd(people: int, *, zip_code: str = "62704") -> list[SourceEpisode]:
    groups = {"race_ethnicity": "white", "sex": "female", "language": "en"}
    return [
        SourceEpisode(
            f"p{n}", ADMITTED, "1.0", date(1990, 1, 1), groups=groups, postal_code=zip_code
        )
        for n in range(people)
    ]


def test_an_export_with_a_group_of_fewer_than_5_people_is_refused_naming_the_quasi_identifiers():
    episodes = crowd(5) + crowd(4, zip_code="60601")

    with pytest.raises(KAnonymityRefused) as refused:
        deidentify(episodes, key=KEY, salt=SALT)

    assert refused.value.failing_records == 4
    assert refused.value.quasi_identifiers == QUASI_IDENTIFIERS
    assert str(refused.value) == (
        "4 record(s) share their combination of age_band, sex, race_ethnicity, zip3 "
        "with fewer than 5 people"
    )
    assert "606" not in str(refused.value)


def test_five_people_sharing_every_quasi_identifier_pass():
    export = deidentify(crowd(5), key=KEY, salt=SALT)

    assert export.people == 5
    assert {r["zip3"] for r in export.episodes} == {"627"}


def test_one_person_with_five_episodes_does_not_make_a_group_of_five():
    alone = [SourceEpisode("p1", ADMITTED + timedelta(days=40 * n), "1.0") for n in range(5)]

    with pytest.raises(KAnonymityRefused):
        deidentify(alone, key=KEY, salt=SALT)


def test_group_labels_outside_the_vocabulary_are_exported_as_other():
    episodes = crowd(5)
    odd = [
        SourceEpisode(
            e.person_key, e.admitted_on, "1.0", e.birth_date,
            groups={**e.groups, "language": "Klingon dialect", "insurance": "Acme Plan 7"},
            postal_code=e.postal_code,
        )
        for e in episodes
    ]  # fmt: skip

    export = deidentify(odd, key=KEY, salt=SALT)

    assert {(r["language"], r["insurance"]) for r in export.episodes} == {("other", "other")}
