from datetime import date

import pytest

from trellis.core.demographics import MULTIPLE, UNKNOWN, age_band, age_on, groups


def test_groups_read_every_attribute_from_the_intake():
    document = {
        "person": {
            "age": 30,
            "sex_at_birth": "female",
            "race_ethnicity": ["Hispanic"],
            "insurance": "medicaid",
            "preferred_language": "es-MX",
        },
        "environment": {"rural": True},
    }
    assert groups(document).as_dict() == {
        "race_ethnicity": "hispanic",
        "sex": "female",
        "age_band": "25-34",
        "insurance": "medicaid",
        "rurality": "rural",
        "language": "es",
    }


def test_what_the_intake_does_not_say_is_unknown():
    assert set(groups({}).as_dict().values()) == {UNKNOWN}
    assert groups({"person": {"race_ethnicity": []}}).race_ethnicity == UNKNOWN


def test_several_races_count_as_multiple_and_rural_false_is_urban():
    g = groups({"person": {"race_ethnicity": ["white", "black"]}, "environment": {"rural": False}})
    assert (g.race_ethnicity, g.rurality) == (MULTIPLE, "urban")


def test_the_date_of_birth_wins_over_the_recorded_age():
    g = groups({"person": {"age": 40}}, date(2000, 6, 2), date(2025, 6, 1))
    assert g.age_band == "18-24"  # 24 the day before the 25th birthday


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (17, "under 18"),
        (18, "18-24"),
        (34, "25-34"),
        (35, "35-44"),
        (64, "55-64"),
        (65, "65+"),
        (None, UNKNOWN),
    ],
)
def test_age_bands_edges(age, band):
    assert age_band(age) == band


def test_age_on_counts_completed_years():
    assert age_on(date(1990, 3, 1), date(2020, 2, 29)) == 29
    assert age_on(date(1990, 3, 1), date(2020, 3, 1)) == 30
