"""The family member's PHQ-4 well-being check-in, scored by hand.

Bands and the positive-screen cut-off are Kroenke, Spitzer, Williams & Löwe, Psychosomatics
2009;50:613-21: total 0-2 normal, 3-5 mild, 6-8 moderate, 9-12 severe; a PHQ-2 or GAD-2
subscale of 3 or more is a positive screen.
"""

from __future__ import annotations

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.family_wellbeing import needs_referral, score
from trellis.knowledge.family import content


@pytest.fixture(scope="module")
def rules():
    return content().wellbeing.rules


def answers(interest: object, down: object, nervous: object, worry: object) -> dict[str, object]:
    return {"interest": interest, "down": down, "nervous": nervous, "worry": worry}


def test_all_zero_answers_score_zero_in_the_normal_band_with_no_positive_screen(rules):
    result = score(rules, answers(0, 0, 0, 0), 0)

    assert (result.total, result.band, result.positive) == (0, "normal", ())
    assert result.subscales == (("depression", 0), ("anxiety", 0))
    assert not needs_referral(rules, result)


def test_subscales_add_their_own_two_items(rules):
    # PHQ-2 = 2 + 1 = 3 (positive); GAD-2 = 0 + 2 = 2 (negative); total = 5 (mild).
    result = score(rules, answers(2, 1, 0, 2), 4)

    assert result.subscale("depression") == 3
    assert result.subscale("anxiety") == 2
    assert result.total == 5
    assert result.band == "mild"
    assert result.positive == ("depression",)
    assert result.stress == 4


def test_a_mild_total_with_a_positive_subscale_still_calls_for_a_referral(rules):
    # GAD-2 = 1 + 2 = 3 (positive), PHQ-2 = 0; total 3 is mild, but the screen is positive.
    result = score(rules, answers(0, 0, 1, 2), 0)

    assert (result.total, result.band, result.positive) == (3, "mild", ("anxiety",))
    assert needs_referral(rules, result)


def test_a_mild_total_with_no_positive_subscale_does_not(rules):
    # PHQ-2 = 1 + 1 = 2, GAD-2 = 1 + 1 = 2: total 4, mild, neither subscale reaches 3.
    result = score(rules, answers(1, 1, 1, 1), 9)

    assert (result.total, result.band, result.positive) == (4, "mild", ())
    assert not needs_referral(rules, result)


@pytest.mark.parametrize(
    ("responses", "total", "band"),
    [
        ((1, 0, 1, 0), 2, "normal"),
        ((1, 1, 1, 0), 3, "mild"),
        ((2, 1, 1, 1), 5, "mild"),
        ((2, 1, 2, 1), 6, "moderate"),
        ((2, 2, 2, 2), 8, "moderate"),
        ((3, 2, 2, 2), 9, "severe"),
        ((3, 3, 3, 3), 12, "severe"),
    ],
)
def test_each_band_edge(rules, responses, total, band):
    result = score(rules, answers(*responses), 0)

    assert (result.total, result.band) == (total, band)


def test_a_moderate_total_calls_for_a_referral(rules):
    # PHQ-2 = 2 + 1 = 3, GAD-2 = 2 + 1 = 3: total 6, moderate, both subscales positive.
    result = score(rules, answers(2, 1, 2, 1), 0)

    assert result.band == "moderate"
    assert result.positive == ("depression", "anxiety")
    assert needs_referral(rules, result)


def test_the_referral_bands_are_moderate_and_severe(rules):
    assert rules.refer_bands == {"moderate", "severe"}


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (answers(4, 0, 0, 0), "interest"),
        (answers(0, -1, 0, 0), "down"),
        (answers(0, 0, None, 0), "nervous"),
        (answers(0, 0, 0, "2"), "worry"),
        (answers(0, 0, 0, True), "worry"),
    ],
)
def test_an_answer_outside_0_3_is_refused_naming_the_item(rules, bad, field):
    with pytest.raises(InvalidInput, match=f"^{field} must be a whole number 0-3$"):
        score(rules, bad, 0)


@pytest.mark.parametrize("stress", [11, -1, None, 2.5])
def test_a_stress_rating_outside_0_10_is_refused(rules, stress):
    with pytest.raises(InvalidInput, match="^stress must be a whole number 0-10$"):
        score(rules, answers(0, 0, 0, 0), stress)


def test_the_stress_rating_never_changes_the_score_or_the_referral(rules):
    calm = score(rules, answers(1, 0, 0, 0), 0)
    stressed = score(rules, answers(1, 0, 0, 0), 10)

    assert (calm.total, calm.band, calm.positive) == (
        stressed.total,
        stressed.band,
        stressed.positive,
    )
    assert needs_referral(rules, calm) == needs_referral(rules, stressed) is False
