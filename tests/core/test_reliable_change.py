"""Reliable change (Jacobson & Truax 1991) with the published figures of monitoring.yaml, worked
by hand, and the trend of one measure over time."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.monitoring import Measure
from trellis.core.reliable_change import Direction, Reliability, reliable_change, trend
from trellis.knowledge.monitoring import rules

DAY = date(2026, 10, 1)


def with_figures(*figures: Reliability):
    """The shipped rules with test figures added (so the boundary can be hit exactly)."""
    shipped = rules()
    return dataclasses.replace(
        shipped,
        reliabilities={**shipped.reliabilities, **{(f.instrument, f.scale): f for f in figures}},
    )


# Test figures, not published ones: SD 1 and r = 0.5 make S_diff = 1 * sqrt(2 * 0.5) = 1 exactly.
UNIT = Reliability("unit", "total", sd=1.0, reliability=0.5, worse="up", sources=("test",))
BAM_PROTECTIVE = Reliability("bam", "protective", 10.0, 0.5, "down", ("test",))


def test_a_phq9_rise_of_four_points_is_a_reliable_worsening():
    # Kocalevent 2013 SD 3.52, Kroenke 2001 alpha 0.89:
    se = 3.52 * math.sqrt(1 - 0.89)  # 1.1675
    s_diff = math.sqrt(2) * se  # 1.6510
    by_hand = (12 - 8) / s_diff  # 2.4228

    change = reliable_change("phq9", 8, 12)

    assert change.index == pytest.approx(by_hand)
    assert round(change.index, 2) == 2.42
    assert change.s_diff == pytest.approx(1.6510, abs=1e-4)
    assert change.direction is Direction.WORSENED
    assert change.direction == "worsened"
    assert change.threshold == 1.96


def test_a_phq9_rise_of_three_points_is_within_measurement_error():
    change = reliable_change("phq9", 8, 11)

    assert round(change.index, 2) == 1.82  # 3 / 1.6510
    assert change.direction == "no reliable change"
    assert not change.reliable


def test_a_gad7_fall_of_four_points_is_a_reliable_improvement():
    # Löwe 2008: SD 3.41, alpha 0.89 -> SE 1.1310, S_diff 1.5994, index -4 / 1.5994 = -2.50
    s_diff = math.sqrt(2) * 3.41 * math.sqrt(1 - 0.89)

    change = reliable_change("gad7", 15, 11)

    assert change.index == pytest.approx(-4 / s_diff)
    assert round(change.index, 2) == -2.50
    assert change.direction == "improved"


def test_an_index_of_exactly_the_threshold_is_reliable_and_just_under_is_not():
    test_rules = with_figures(UNIT)

    def direction(before: float, after: float) -> str:
        return reliable_change("unit", before, after, rules=test_rules).direction

    assert reliable_change("unit", 0, 1.96, rules=test_rules).index == 1.96
    assert direction(0, 1.96) == "worsened"
    assert direction(0, 1.9599) == "no reliable change"
    assert direction(1.96, 0) == "improved"
    assert direction(1.9599, 0) == "no reliable change"


def test_a_fall_on_a_scale_where_lower_is_worse_is_a_worsening():
    test_rules = with_figures(BAM_PROTECTIVE)  # S_diff = 10 * sqrt(2 * 0.5) = 10

    fall = reliable_change("bam", 90, 60, scale="protective", rules=test_rules)
    rise = reliable_change("bam", 60, 90, scale="protective", rules=test_rules)

    assert fall.index == -3.0
    assert fall.direction == "worsened"
    assert rise.direction == "improved"


def test_the_change_names_the_figures_it_used_and_their_sources():
    change = reliable_change("gad7", 5, 9)

    assert (change.sd, change.reliability) == (3.41, 0.89)
    assert len(change.sources) == 1
    assert change.sources[0].startswith("Löwe B, Decker O, Müller S")
    assert reliable_change("phq9", 5, 9).sources[0].startswith("Kocalevent RD")
    assert reliable_change("phq9", 5, 9).sources[1].startswith("Kroenke K")


def test_bam_subscales_have_no_reliable_change_until_their_figures_are_published():
    with pytest.raises(InvalidInput) as error:
        reliable_change("bam", 10, 40, scale="use")

    assert str(error.value) == (
        "bam use must be a scale with published reliable-change figures: bam alcohol_days, bam drug_days, bam psych_days, gad7 total, phq9 total"
    )
    assert rules().directions[("bam", "protective")] == "down"


def phq9(offset_days: int, total: int) -> Measure:
    return Measure("phq9", DAY + timedelta(days=offset_days), total)


def test_a_trend_lists_the_points_in_date_order_with_their_published_bands():
    measures = [phq9(28, 6), phq9(0, 16), Measure("gad7", DAY, 12), phq9(14, 11)]

    result = trend(measures, "phq9")

    assert [(p.on.isoformat(), p.value, p.band) for p in result.points] == [
        ("2026-10-01", 16, "moderately severe"),
        ("2026-10-15", 11, "moderate"),
        ("2026-10-29", 6, "mild"),
    ]
    assert (result.first.value, result.latest.value) == (16, 6)


def test_the_trend_slope_is_the_least_squares_slope_per_30_days():
    two = trend([phq9(0, 5), phq9(30, 11)], "phq9")
    # Days 0, 15, 30 with 4, 10, 7: mean day 15, mean value 7;
    # slope = ((-15)(-3) + 0 + 15(0)) / (225 + 0 + 225) = 45 / 450 = 0.1 a day = 3 per 30 days.
    three = trend([phq9(0, 4), phq9(15, 10), phq9(30, 7)], "phq9")

    assert two.slope_per_30_days == pytest.approx(6.0)
    assert three.slope_per_30_days == pytest.approx(3.0)


def test_the_trend_classifies_the_latest_measure_against_the_first():
    result = trend([phq9(0, 16), phq9(14, 14), phq9(28, 9)], "phq9")

    assert result.change is not None
    assert (result.change.before, result.change.after) == (16, 9)
    assert result.change.direction == "improved"


def test_one_measure_has_no_slope_and_no_change():
    result = trend([phq9(0, 12)], "phq9")

    assert result.slope_per_30_days is None
    assert result.change is None
    assert trend([], "phq9").first is None


def test_a_bam_subscale_trend_has_points_but_no_classification_yet():
    bam = [
        Measure("bam", DAY, None, {"use": 20, "risk": 50, "protective": 60}),
        Measure("bam", DAY + timedelta(days=30), None, {"use": 4, "risk": 40, "protective": 90}),
    ]

    result = trend(bam, "bam", scale="use")

    assert [(p.value, p.band) for p in result.points] == [(20, None), (4, None)]
    assert result.slope_per_30_days == pytest.approx(-16.0)
    assert result.change is None
    assert trend(bam, "bam").points == ()  # the BAM has no total
