"""Scoring vectors for every instrument: band boundaries on both sides, reverse and weighted
items, skip rules, critical items, and invalid input with its exact message. Cut-offs are the
ones contracts/instruments.md binds (Kroenke 2001/2003, Spitzer 2006, Babor 2001, Bradley 2007,
Skinner 1982, Knight 2018, Posner 2011, NIMH ASQ, ASAM 2020, Wesson & Ling 2003, Weathers 2013,
Cacciola 2013)."""

from __future__ import annotations

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.instruments import instrument, instrument_ids, score


def spread(total: int, items: int, top: int) -> list[int]:
    """Answers in item order that add up to `total`, filling from the first item."""
    out = []
    for _ in range(items):
        out.append(min(top, total))
        total -= out[-1]
    assert total == 0
    return out


def test_all_thirteen_instruments_of_the_contract_are_defined_and_the_gad2_screen():
    assert set(instrument_ids()) == {
        "phq9",
        "phq2",
        "gad7",
        "gad2",
        "audit",
        "auditc",
        "dast10",
        "crafft",
        "cssrs_screen",
        "ciwa_ar",
        "cows",
        "pcl5",
        "bam",
        "asq",
    }


@pytest.mark.parametrize(
    ("instrument_id", "items", "top", "bands"),
    [
        (
            "phq9",
            9,
            3,
            [
                (0, "minimal"),
                (4, "minimal"),
                (5, "mild"),
                (9, "mild"),
                (10, "moderate"),
                (14, "moderate"),
                (15, "moderately severe"),
                (19, "moderately severe"),
                (20, "severe"),
                (27, "severe"),
            ],
        ),
        ("phq2", 2, 3, [(0, "negative"), (2, "negative"), (3, "positive"), (6, "positive")]),
        (
            "gad7",
            7,
            3,
            [
                (0, "minimal"),
                (4, "minimal"),
                (5, "mild"),
                (9, "mild"),
                (10, "moderate"),
                (14, "moderate"),
                (15, "severe"),
                (21, "severe"),
            ],
        ),
        (
            "ciwa_ar",
            10,
            7,
            [
                (0, "mild"),
                (9, "mild"),
                (10, "moderate"),
                (18, "moderate"),
                (19, "severe"),
                (67, None),
            ],
        ),
        ("pcl5", 20, 4, [(0, "negative"), (32, "negative"), (33, "positive"), (80, "positive")]),
    ],
)
def test_totals_fall_in_the_published_bands_on_both_sides_of_each_boundary(
    instrument_id, items, top, bands
):
    for total, band in bands:
        answers = spread(total, items, top)
        if instrument_id == "ciwa_ar" and total == 67:
            answers = [7] * 9 + [4]
            band = "severe"
        result = score(instrument_id, answers)
        assert (result.total, result.band) == (total, band), total


def test_phq9_item_9_above_zero_raises_the_suicide_flag_whatever_the_total():
    assert score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]).flags == ("suicidal_ideation",)
    assert score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).flags == ()


def test_a_tenth_phq9_response_is_rejected_with_the_expected_count():
    with pytest.raises(InvalidInput, match=r"^phq9 takes 9 responses$"):
        score("phq9", [0] * 10)


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 4], "phq9 item 9 must be 0-3"),
        ("phq9", [0, 0, 0, None, 0, 0, 0, 0, 0], "phq9 item 4 must be 0-3"),
        ("gad7", [0, 0, 0, 0, 0, 0, True], "gad7 item 7 must be 0-3"),
        (
            "dast10",
            [True, False, 1, False, False, False, False, False, False, False],
            "dast10 item 3 must be yes or no (true or false)",
        ),
        ("cows", [3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "cows item 1 must be 0, 1, 2 or 4"),
        ("cows", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], "cows item 11 must be 0, 3 or 5"),
        ("ciwa_ar", [0] * 9 + [5], "ciwa_ar item 10 must be 0-4"),
        ("audit", [1, 1, 1, 0, 0, 0, 0, 0, 3, 0], "audit item 9 must be 0-2"),
        (
            "bam",
            [0, 0, 0, 0, None, 0, None, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            "bam item 14 must be yes or no (true or false)",
        ),
        (
            "bam",
            [0, 0, 0, 0, None, 2, [0, 0, 31, 0, 0, 0, 0], 0, 0, 0, 0, 0, 0, True, 0, 0, 0],
            "bam item 7 must be a list of 7 day counts, each 0-30",
        ),
        ("pcl5", [0] * 19, "pcl5 takes 20 responses"),
    ],
)
def test_a_value_outside_an_item_is_an_error_naming_the_instrument_item_and_allowed_values(
    instrument_id, answers, message
):
    with pytest.raises(InvalidInput) as error:
        score(instrument_id, answers)
    assert error.value.message == message


def test_an_unknown_instrument_names_the_known_ones():
    with pytest.raises(InvalidInput) as error:
        score("beck", [1])
    assert (
        error.value.message
        == "instrument must be one of asq, audit, auditc, bam, ciwa_ar, cows, crafft, cssrs_screen, dast10, gad2, gad7, pcl5, phq2, phq9"
    )


def test_audit_items_9_and_10_score_0_2_4_and_the_item_scores_are_returned():
    result = score("audit", [1, 0, 0, None, None, None, None, None, 1, 2])

    assert result.item_scores == (1, 0, 0, 0, 0, 0, 0, 0, 2, 4)
    assert (result.total, result.band) == (7, "zone i")


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (7, "zone i"),
        (8, "zone ii"),
        (15, "zone ii"),
        (16, "zone iii"),
        (19, "zone iii"),
        (20, "zone iv"),
        (40, "zone iv"),
    ],
)
def test_audit_risk_zones_follow_the_who_cut_offs(total, band):
    answers = [*spread(min(total, 32), 8, 4), 2 if total > 32 else 0, 2 if total > 36 else 0]
    assert score("audit", answers).band == band


def test_audit_skips_items_2_to_8_when_item_1_is_never_and_items_4_to_8_when_2_and_3_are_zero():
    assert score("audit", [0, None, None, None, None, None, None, None, 0, 0]).total == 0
    assert score("audit", [2, 0, 0, None, None, None, None, None, 0, 0]).total == 2


def test_audit_refuses_a_null_that_the_skip_rules_do_not_allow():
    with pytest.raises(InvalidInput, match=r"^audit item 4 must be 0-4$"):
        score("audit", [2, 1, 0, None, None, None, None, None, 0, 0])


@pytest.mark.parametrize(
    ("answers", "sex", "band", "noted"),
    [
        ([1, 1, 0], "female", "negative", False),
        ([1, 1, 1], "female", "positive", False),
        ([1, 1, 1], "male", "negative", False),
        ([2, 1, 1], "male", "positive", False),
        ([1, 1, 0], None, "negative", False),
        ([1, 1, 1], None, "positive", True),
        ([2, 1, 1], None, "positive", False),
    ],
)
def test_auditc_cut_offs_depend_on_sex_and_a_3_without_sex_says_why(answers, sex, band, noted):
    result = score("auditc", answers, {"sex": sex} if sex else {})
    assert result.band == band
    assert bool(result.notes) is noted


def test_dast10_scores_item_3_for_no_and_the_other_items_for_yes():
    none = [False, False, True, False, False, False, False, False, False, False]
    reversed_only = [False] * 10

    assert score("dast10", none).total == 0
    assert score("dast10", none).band == "no problems reported"
    assert score("dast10", reversed_only).item_scores == (0, 0, 1, 0, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "no problems reported"),
        (1, "low level"),
        (2, "low level"),
        (3, "moderate level"),
        (5, "moderate level"),
        (6, "substantial level"),
        (8, "substantial level"),
        (9, "severe level"),
        (10, "severe level"),
    ],
)
def test_dast10_bands(total, band):
    answers = [i < total for i in range(10)]
    answers[2] = not answers[2]  # item 3 scores for "no"
    assert score("dast10", answers).band == band


def test_crafft_is_positive_at_two_and_allows_only_car_when_part_a_was_zero():
    assert score("crafft", [True, None, None, None, None, None]).band == "negative"
    assert score("crafft", [True, True, False, False, False, False]).band == "positive"
    assert score("crafft", [False, True, False, False, False, False]).band == "negative"
    with pytest.raises(InvalidInput, match="crafft item 3"):
        score("crafft", [True, True, None, None, None, None])


@pytest.mark.parametrize(
    ("answers", "band", "flags"),
    [
        ([False, False, None, None, None, False], None, ()),
        ([True, False, None, None, None, False], "low risk", ("suicidal_ideation",)),
        ([True, True, False, False, False, False], "low risk", ("suicidal_ideation",)),
        ([True, True, True, False, False, False], "moderate risk", ("suicidal_ideation",)),
        ([True, True, False, True, False, False], "high risk", ("suicidal_ideation",)),
        ([True, True, False, False, True, False], "high risk", ("suicidal_ideation",)),
        ([False, False, None, None, None, True, True], "high risk", ("suicidal_behavior",)),
        ([False, False, None, None, None, True, False], "moderate risk", ("suicidal_behavior",)),
    ],
)
def test_cssrs_screen_triage_follows_columbia(answers, band, flags):
    result = score("cssrs_screen", answers)
    assert (result.band, result.flags) == (band, flags)


def test_cssrs_item_6_without_its_timing_is_high_risk_and_says_so():
    result = score("cssrs_screen", [False, False, None, None, None, True])
    assert result.band == "high risk"
    assert "timing was not given" in result.notes[0]


def test_cssrs_refuses_answers_to_3_to_5_when_2_is_no():
    with pytest.raises(InvalidInput) as error:
        score("cssrs_screen", [True, False, True, None, None, False])
    assert error.value.message == "cssrs_screen item 3 must be null (asked only when item 2 is yes)"


@pytest.mark.parametrize(
    ("answers", "band", "flags"),
    [
        ([False, False, False, False, None], "negative", ()),
        ([False, False, False, False], "negative", ()),
        ([True, False, False, False, False], "non-acute positive", ("suicidal_ideation",)),
        (
            [False, False, False, True, True],
            "acute positive",
            ("suicidal_ideation", "acute_suicide_risk"),
        ),
    ],
)
def test_asq_positive_screens_and_acuity(answers, band, flags):
    result = score("asq", answers)
    assert (result.band, result.flags) == (band, flags)


def test_asq_needs_the_acuity_question_after_a_yes_and_refuses_it_otherwise():
    with pytest.raises(InvalidInput, match=r"^asq item 5 must be yes or no"):
        score("asq", [True, False, False, False, None])
    with pytest.raises(
        InvalidInput, match=r"^asq item 5 must be null \(asked only when one of items 1-4 is yes\)$"
    ):
        score("asq", [False, False, False, False, True])


def test_cows_below_5_has_no_band_and_bands_follow_wesson_and_ling():
    assert score("cows", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]).band is None
    assert score("cows", [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3]).band == "mild"
    assert score("cows", [4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 5]).total == 48
    assert score("cows", [4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 5]).band == "severe"
    assert score("cows", [4, 4, 5, 5, 4, 4, 5, 4, 0, 1, 0]).band == "moderately severe"


def test_pcl5_subscales_and_provisional_diagnosis():
    answers = [2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0]
    result = score("pcl5", answers)

    assert result.subscales == {
        "intrusion": 2,
        "avoidance": 2,
        "negative_cognition_mood": 4,
        "arousal_reactivity": 4,
    }
    assert result.extra["dsm5_provisional"] is True
    answers[16 - 1] = 1
    assert score("pcl5", answers).extra["dsm5_provisional"] is False


def test_bam_converts_likert_items_and_sums_its_three_subscales_without_a_total():
    answers = [1, 3, 2, 4, 1, 2, [1, 0, 0, 0, 1, 0, 0], 2, 3, 4, 1, 0, 10, True, 1, 5, 2]
    result = score("bam", answers)

    # use = 4 + 5 + 6 raw; risk = 1(8) + 2 + 3 + 8(15) + 11 + 15(8); protective = 9(22) + 10 + 12(0) + 13 + 14(30) + 16
    assert result.subscales == {
        "use": 4 + 1 + 2,
        "risk": 8 + 3 + 2 + 15 + 1 + 8,
        "protective": 22 + 4 + 0 + 10 + 30 + 5,
    }
    assert (result.total, result.band) == (None, None)


def test_bam_skips_5_after_no_drinking_and_7_after_no_drug_use():
    answers = [0, 0, 0, 0, None, 0, None, 0, 4, 0, 0, 0, 0, False, 0, 0, 4]
    assert score("bam", answers).subscales["use"] == 0
    answers[4] = 3
    with pytest.raises(InvalidInput, match=r"^bam item 5 must be null \(item 4 is 0\)$"):
        score("bam", answers)


def test_every_instrument_names_its_source_and_terms_and_critical_items():
    for instrument_id in instrument_ids():
        definition = instrument(instrument_id)
        assert definition.source
        assert definition.terms
    assert instrument("phq9").items[8].critical
    assert instrument("phq9").loinc_panel == "44249-1"
    assert instrument("cssrs_screen").extra["licence_setting_required"] is True


def test_the_result_has_exactly_the_contract_keys():
    assert list(score("gad7", [0] * 7).as_dict()) == [
        "instrument",
        "total",
        "band",
        "flags",
        "subscales",
        "item_scores",
        "notes",
    ]
    assert "dsm5_provisional" in score("pcl5", [0] * 20).as_dict()


def test_dast10_item_1_no_may_leave_items_2_to_10_unasked_and_scores_0_saying_so():
    result = score("dast10", [False] + [None] * 9)

    assert (result.total, result.band) == (0, "no problems reported")
    assert result.item_scores == (0,) * 10
    assert "item 1 no" in result.notes[0]


def test_dast10_fully_answered_after_item_1_no_is_still_scored_item_by_item():
    result = score("dast10", [False] * 10)

    assert result.total == 1  # item 3 "always able to stop": no
    assert result.notes == ()


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([True] + [None] * 9, "dast10 item 2"),
        ([False, False, None] + [False] * 7, "dast10 item 3"),
        ([None] + [False] * 9, "dast10 item 1"),
    ],
)
def test_dast10_unasked_items_only_all_together_after_item_1_no(answers, field):
    with pytest.raises(InvalidInput) as refused:
        score("dast10", answers)
    assert refused.value.field == field


@pytest.mark.parametrize(("answers", "band"), [([1, 1], "negative"), ([2, 1], "positive")])
def test_gad2_is_positive_at_3_as_kroenke_2007_and_shares_the_gad7_first_items(answers, band):
    assert score("gad2", answers).band == band
    assert [i.text for i in instrument("gad2").items] == [
        i.text for i in instrument("gad7").items[:2]
    ]
