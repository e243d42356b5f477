"""The allocation report (who goes where and why, who waits and about how long, unmet need,
fairness by group through fairlearn) and the three policies compared, on instances worked by
hand."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from tests.core.test_allocation import instances
from trellis.core.allocation import allocate, parse_capacity, parse_requests
from trellis.core.allocation.policies import Situation
from trellis.core.allocation.report import GroupFigures, compare, expected_waits, report

KM = 111.19508  # one degree of longitude on the equator
TODAY = date(2026, 3, 2)


def person(id, *, level="1.0", need=1.0, since="2026-01-01", lon=0.0, **extra):
    groups = {k: v for k, v in extra.items() if k not in ("languages", "insurance")}
    return {
        "id": id,
        "waiting_since": since,
        "level": level,
        "need_weight": need,
        "location": {"lat": 0.0, "lon": lon},
        "max_travel_km": 50,
        "languages": list(extra.get("languages", ("en",))),
        "insurance": extra.get("insurance", "medicaid"),
        "groups": groups,
    }


def clinic():
    """A (level 1.0, 1 place, English and Spanish, Medicaid or none) at 0 km; B (level 2.1,
    1 place, English, Medicaid) 11.12 km east.

    r1 (need 3) fits both; r2 (need 2, Spanish only, no insurance) fits A only; r3 and r4 (need
    1, beside B) fit both; r5 (2.1, need 0.5) fits B only; r6 (3.7) fits nothing. The most need
    is r1 + r2 = 5 with r2 at A, so r1 goes to B; r3, r4, r5 and r6 wait.
    """
    people = [
        person("r1", need=3.0, sex="female", language="en", age_band="26-34"),
        person(
            "r2",
            need=2.0,
            since="2026-02-01",
            languages=("es",),
            insurance="none",
            sex="male",
            language="es",
            age_band="26-34",
        ),
        person("r3", since="2026-01-15", lon=0.1, sex="male", language="en", age_band="18-25"),
        person("r4", since="2026-01-10", lon=0.1, sex="female", language="en", age_band="26-34"),
        person("r5", level="2.1", need=0.5, since="2026-02-10", lon=0.1, sex="male", language="en"),
        person("r6", level="3.7", need=2.0, sex="male"),
    ]
    programs = [
        {
            "id": "A",
            "name": "Harbor",
            "level": "1.0",
            "slots": 1,
            "location": {"lat": 0.0, "lon": 0.0},
            "languages": ["en", "es"],
            "insurance": ["medicaid", "none"],
        },
        {
            "id": "B",
            "name": "Bridge",
            "level": "2.1",
            "slots": 1,
            "location": {"lat": 0.0, "lon": 0.1},
            "languages": ["en"],
            "insurance": ["medicaid"],
        },
    ]
    return parse_requests(people), parse_capacity(programs)


def optimal_report(turnover=None):
    requests, programs = clinic()
    allocation = allocate(requests, programs, "optimal")
    return report(requests, programs, allocation, today=TODAY, turnover_per_week=turnover)


@pytest.fixture(scope="module")
def reported():
    """The optimal allocation's report, made once (fairlearn takes a moment per attribute)."""
    return optimal_report()


def test_each_placement_says_why_it_is_appropriate(reported):
    result = reported

    assert [(p.request, p.program, p.distance_km) for p in result.placements] == [
        ("r1", "B", 11.12),
        ("r2", "A", 0.0),
    ]
    assert result.placements[0].why == (
        "level 2.1, the next more intensive level after the recommended 1.0",
        "shared language: en",
        "accepts medicaid insurance",
        "11.12 km away, within the 50 km travel limit",
    )
    assert result.placements[1].why == (
        "level 1.0, the level of care recommended",
        "shared language: es",
        "accepts people without insurance (free or sliding scale)",
        "0 km away, within the 50 km travel limit",
    )


def test_the_unplaced_have_their_reason_need_days_waited_and_an_estimated_wait():
    # Queue (need, then longest waiting): r4 (1, Jan 10), r3 (1, Jan 15), r5 (0.5). A frees 0.5
    # places a week, B 1.5. r4: 1st over A + B = 2 a week: 1 / 2 x 7 = 3.5 days. r3: r4 shares
    # A and B, so 2nd: 7 days. r5 (B only): r4 and r3 share B, so 3rd over 1.5: 14 days.
    result = optimal_report({"A": 0.5, "B": 1.5, "elsewhere": 9.0})

    rows = {w.request: w for w in result.unplaced}
    assert {k: (w.need_weight, w.days_waited, w.expected_wait_days) for k, w in rows.items()} == {
        "r3": (1.0, 46, 7.0),
        "r4": (1.0, 51, 3.5),
        "r5": (0.5, 20, 14.0),
        "r6": (2.0, 60, None),  # no appropriate program: no estimate
    }
    assert rows["r3"].reason == (
        "all appropriate programs full (2 appropriate programs, no free place left)"
    )
    assert rows["r6"].reason.startswith("no appropriate program (level)")


def test_without_known_turnover_there_is_no_estimate_rather_than_a_guess():
    requests, programs = clinic()
    allocation = allocate(requests, programs, "optimal")
    situation = Situation(requests, programs)
    for turnover in (None, {}, {"A": 0.0}):
        assert expected_waits(situation, allocation, turnover) == {}
    assert expected_waits(situation, allocation, {"A": 0.5}) == {"r4": 14.0, "r3": 28.0}


def test_unmet_need_is_counted_and_summed_by_recommended_level(reported):
    unmet = reported.unmet

    assert (unmet.count, unmet.need) == (4, 4.5)
    assert unmet.by_level == {"1.0": (2, 2.0), "2.1": (1, 0.5), "3.7": (1, 2.0)}


def test_fairness_by_group_matches_the_hand_arithmetic(reported):
    # sex: women r1 (placed, waited 60 days, 11.12 km) and r4; men r2 (placed, 29 days, 0 km),
    # r3, r5, r6. Rates 1/2 and 1/4: ratio 0.5; waits 60 and 29: 29/60; travel 0/11.12 = 0.
    fairness = reported.fairness

    sex = fairness["sex"]
    assert {g: (f.members, f.placed, f.placement_rate) for g, f in sex.groups.items()} == {
        "female": (2, 1, 0.5),
        "male": (4, 1, 0.25),
    }
    assert {g: (f.mean_wait_days, f.mean_travel_km) for g, f in sex.groups.items()} == {
        "female": (60.0, 11.12),
        "male": (29.0, 0.0),
    }
    assert sex.ratios == {
        "placement_rate": 0.5,
        "mean_wait_days": pytest.approx(29 / 60, abs=1e-6),
        "mean_travel_km": 0.0,
    }
    # r6 gives no language, so is in neither language group: en 1 of 4, es 1 of 1.
    assert fairness["language"].ratios["placement_rate"] == 0.25
    assert list(fairness) == ["sex", "age_band", "language"]


def test_a_group_with_nobody_placed_has_no_mean_wait_or_travel_not_zero(reported):
    age = reported.fairness["age_band"]

    assert age.groups["18-25"].placement_rate == 0.0
    assert (age.groups["18-25"].mean_wait_days, age.groups["18-25"].mean_travel_km) == (None, None)
    # Over the groups with a value: only 26-34 has one.
    assert age.ratios == {"placement_rate": 0.0, "mean_wait_days": 1.0, "mean_travel_km": 1.0}


def test_the_report_is_json_ready():
    document = optimal_report({"A": 1.0}).as_dict()

    assert list(document) == [
        "policy",
        "equity_floor",
        "today",
        "placements",
        "unplaced",
        "unmet",
        "fairness",
    ]
    assert document["today"] == "2026-03-02"
    assert document["unmet"]["by_level"]["3.7"] == {"count": 1, "need": 2.0}
    assert document["fairness"]["age_band"]["groups"]["18-25"]["mean_wait_days"] is None


def test_the_three_policies_are_compared_on_the_same_input():
    # fcfs: r1 (Jan 1) takes A, its nearest; r4 (Jan 10) takes B beside her: need 4, 0 km each.
    # optimal: r1 to B and r2 to A: need 5 (5/4 = 1.25), the same 2 people, 5.56 km on average.
    requests, programs = clinic()

    result = compare(requests, programs, equity_floor=0.8, today=TODAY)

    assert list(result.runs) == ["fcfs", "optimal", "equitable"]
    fcfs, optimal = result.runs["fcfs"], result.runs["optimal"]
    assert {a.request: a.program for a in fcfs.allocation.assignments} == {"r1": "A", "r4": "B"}
    assert (fcfs.need_placed, fcfs.people_placed, fcfs.mean_travel_km) == (4.0, 2, 0.0)
    assert (fcfs.bound_ratio, fcfs.worst_ratio) == (None, 0.0)
    assert (optimal.need_placed, optimal.bound_ratio, optimal.mean_travel_km) == (5.0, 1.0, 5.56)
    assert result.against_fcfs["optimal"] == {
        "need_placed": 1.25,
        "people_placed": 1.0,
        "worst_ratio": None,  # fcfs's is 0
        "mean_travel_km": None,  # fcfs's is 0
    }
    equitable = result.runs["equitable"]
    assert equitable.report.policy == "equitable"
    assert equitable.need_placed <= optimal.need_placed
    assert equitable.allocation.feasible == (equitable.worst_ratio >= 0.8)
    assert min(r.seconds for r in result.runs.values()) >= 0
    assert set(result.as_dict()["runs"]["optimal"]) >= {"allocation", "report", "seconds"}


def test_compare_checks_the_floor():
    from trellis.core.errors import InvalidInput

    requests, programs = clinic()
    with pytest.raises(InvalidInput, match="^equity_floor must be a number from 0 to 1$"):
        compare(requests, programs, equity_floor=1.2, today=TODAY)


def test_a_single_person_makes_a_report_with_one_group_of_one():
    requests, programs = clinic()
    allocation = allocate(requests[:1], programs, "equitable")

    result = report(requests[:1], programs, allocation, today=TODAY)

    assert result.fairness["sex"].groups["female"] == GroupFigures(1, 1, 1.0, 60.0, 0.0)
    assert result.fairness["sex"].ratios == {
        "placement_rate": 1.0,
        "mean_wait_days": 1.0,
        "mean_travel_km": None,  # 0 / 0: undefined, not invented
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_fairlearn_figures_are_the_plain_counts_of_the_output(instance):
    requests, programs, floor = instance
    allocation = allocate(requests, programs, "equitable", equity_floor=floor)

    result = report(requests, programs, allocation, today=TODAY)

    placed = {a.request: a.distance_km for a in allocation.assignments}
    for attribute, figures in result.fairness.items():
        for group, g in figures.groups.items():
            members = [r for r in requests if r.group(attribute) == group]
            count = sum(r.id in placed for r in members)
            assert (g.members, g.placed) == (len(members), count)
            assert g.placement_rate == round(count / len(members), 6)
            assert allocation.fairness[attribute].rates[group] == g.placement_rate
            if count == 0:
                assert (g.mean_wait_days, g.mean_travel_km) == (None, None)
    assert len(result.placements) + len(result.unplaced) == len(requests)
    assert result.unmet.count == len(result.unplaced)
