from __future__ import annotations

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.intake import validate


def doc(**sections):
    return {"schema": "trellis.intake/1", "person": {"age": 34}, **sections}


def test_a_partial_intake_is_accepted_and_lists_what_is_missing():
    intake = validate(doc())

    assert "substances" in intake.missing
    assert "instruments.phq2 or phq9 (depression screen)" in intake.missing
    assert "instruments.asq or cssrs_screen (suicide screen)" in intake.missing


def test_what_is_missing_shrinks_as_sections_arrive():
    intake = validate(
        doc(
            substances=[{"substance": "opioids", "dsm5_criteria_count": 7}],
            instruments={"phq2": [0, 0], "asq": [False] * 4},
        )
    )

    assert "substances" not in intake.missing
    assert "instruments.phq2 or phq9 (depression screen)" not in intake.missing
    assert "instruments.cows (opioid withdrawal)" in intake.missing


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"schema": "trellis.intake/1"}, "person must be present"),
        ({"schema": "trellis.intake/2", "person": {"age": 30}}, "schema must be trellis.intake/1"),
        (doc(person={"age": 9}), "person.age must be 10-110"),
        (doc(person={"age": "thirty"}), "person.age must be a whole number"),
        (
            doc(substances=[{"substance": "kratom"}]),
            "substances[0].substance must be one of alcohol, opioids, fentanyl, heroin, prescription_opioids, stimulants, cocaine, methamphetamine, cannabis, benzodiazepines, sedatives, tobacco, hallucinogens, inhalants, other",
        ),
        (
            doc(substances=[{"substance": "alcohol", "days_used_past_30": 31}]),
            "substances[0].days_used_past_30 must be 0-30",
        ),
        (doc(substances=[{"primary": True}]), "substances[0].substance must be present"),
        (doc(assessed_on="last tuesday"), "assessed_on must be a date such as 2026-11-25"),
        (doc(readiness={"importance_0_10": 11}), "readiness.importance_0_10 must be 0-10"),
        (
            doc(instruments={"phq9": [0, 0, 0, 0, 0, 0, 0, 0, 4]}),
            "instruments.phq9 item 9 must be 0-3",
        ),
        (
            doc(instruments={"beck": [1]}),
            "instruments.beck must be an instrument id: asq, audit, auditc, bam, ciwa_ar, cows, crafft, cssrs_screen, dast10, gad2, gad7, pcl5, phq2, phq9",
        ),
        (
            doc(instruments={"crafft": [False] * 6}),
            "instruments.crafft is for ages 12-21; person.age is outside that range",
        ),
    ],
)
def test_an_intake_that_fails_names_the_field_path_and_what_is_allowed(document, message):
    with pytest.raises(InvalidInput) as error:
        validate(document)
    assert error.value.message == message


def test_contradictory_data_is_asked_about_not_guessed():
    with pytest.raises(InvalidInput) as error:
        validate(doc(person={"age": 30, "sex_at_birth": "male", "pregnant": True}))

    assert error.value.field == "person.pregnant"
    assert (
        error.value.message
        == "person.pregnant is true but person.sex_at_birth is male: check both with the person"
    )


def test_two_primary_substances_and_use_days_that_contradict_the_last_use_are_refused():
    with pytest.raises(
        InvalidInput, match=r"^substances\[1\]\.primary must be true for one substance only$"
    ):
        validate(
            doc(
                substances=[
                    {"substance": "alcohol", "primary": True},
                    {"substance": "cannabis", "primary": True},
                ]
            )
        )
    with pytest.raises(
        InvalidInput, match=r"^substances\[0\]\.last_use_days_ago must be 30 or fewer"
    ):
        validate(
            doc(
                substances=[
                    {"substance": "alcohol", "days_used_past_30": 4, "last_use_days_ago": 60}
                ]
            )
        )


def test_an_adolescent_may_take_the_crafft():
    intake = validate(
        {
            "schema": "trellis.intake/1",
            "person": {"age": 16},
            "instruments": {"crafft": [True, True, False, False, False, False]},
        }
    )
    assert intake.instruments["crafft"][0] is True
