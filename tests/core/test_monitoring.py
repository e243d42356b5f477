"""Measurement-based care monitoring: the re-assessment schedule on real generated plans, every
signal on hand-made time series with its boundaries, stable event keys, and a loader that fails
loudly. Reliable change itself is worked by hand in test_reliable_change.py."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from trellis.core.checkins import SUPPORT_CRAVING
from trellis.core.errors import InvalidInput
from trellis.core.monitoring import (
    SEVERITY_ORDER,
    DayCheckIn,
    GoalState,
    Measure,
    Signal,
    SignalKind,
    checkin_signals,
    risk_score,
    schedule,
    signals,
)
from trellis.core.planning import generate
from trellis.core.reliable_change import Reliability, reliable_change
from trellis.knowledge import placement_rules, plan_rules
from trellis.knowledge.interventions import knowledge_base
from trellis.knowledge.monitoring import PATH, MonitoringError, load, rules

TODAY = date(2026, 11, 20)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def calm(on: date, craving: int = 2, used: bool = False) -> DayCheckIn:
    return DayCheckIn(on, craving=craving, mood=6, used=used)


def daily(first: date, last: date, **answers) -> list[DayCheckIn]:
    return [calm(first + timedelta(days=n), **answers) for n in range((last - first).days + 1)]


def evaluate(checkins=(), measures=(), goals=(), plan=None, last_taken=None, today=TODAY):
    return signals(
        checkins=list(checkins),
        measures=list(measures),
        goals=list(goals),
        plan=plan,
        last_taken=last_taken or {},
        today=today,
    )


def of_kind(found: list[Signal], kind: SignalKind) -> list[Signal]:
    return [s for s in found if s.kind is kind]


# --- the schedule, on plans made by the real plan generator ---------------------------------------

MOODS = {"phq9": [2, 2, 2, 2, 1, 1, 1, 1, 0], "gad7": [2, 2, 2, 2, 1, 1, 1]}  # 12 and 11: moderate


def real_plan(*substances: tuple[str, int], instruments=None, **sections):
    document = {
        "schema": "trellis.intake/1",
        "assessed_on": "2026-11-20",
        "person": {"id": "v", "age": 35},
        "instruments": {"asq": [False, False, False, False], **(instruments or {})},
        "substances": [
            {
                "substance": name,
                "dsm5_criteria_count": criteria,
                "days_used_past_30": 20,
                "last_use_days_ago": 5,
            }
            for name, criteria in substances
        ],
        **sections,
    }
    return generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=TODAY,
    )


def due_map(plan, last_taken=None, today=TODAY):
    return {d.instrument: d for d in schedule(plan, last_taken or {}, today=today)}


def test_a_real_plan_with_depression_anxiety_and_cocaine_schedules_each_of_its_measures():
    plan = real_plan(("cocaine", 4), instruments=MOODS)

    dues = due_map(plan)

    assert list(dues) == ["phq9", "gad7", "bam", "dast10", "checkin"]
    assert dues["phq9"].because == "depression is in the plan: PHQ-9 every 14 days"
    assert dues["gad7"].because == "anxiety is in the plan: GAD-7 every 14 days"
    assert dues["bam"].because == (
        "in treatment for alcohol or drug use (placed above level 0.5): BAM every 30 days"
    )
    assert dues["dast10"].because == (
        "drug use other than alcohol and tobacco is in the plan: DAST-10 at each plan review "
        f"(the next on {plan['review_on']})"
    )
    assert dues["checkin"].because == "everyone in care: the daily check-in every day"


def test_a_real_plan_for_alcohol_asks_for_the_auditc_and_not_the_dast10():
    dues = due_map(real_plan(("alcohol", 6)))

    assert list(dues) == ["bam", "auditc", "checkin"]


def test_a_real_plan_for_cannabis_alone_is_found_by_its_use_disorder_phrase():
    plan = real_plan(("cannabis", 4))
    assert not {i["code"] for i in plan["interventions"]} & rules().conditions["drugs"].codes

    assert "dast10" in due_map(plan)


def test_a_real_plan_for_opioids_is_found_by_its_medication_codes():
    plan = real_plan(("heroin", 6))
    plan["dimensions"] = plan["problems"] = []  # leave only the intervention codes

    assert {"bam", "dast10"} <= set(due_map(plan))


def test_a_real_plan_for_mood_alone_measures_mood_but_not_substance_use():
    dues = due_map(real_plan(instruments=MOODS))

    assert list(dues) == ["phq9", "gad7", "checkin"]


def test_the_bam_waits_for_a_level_above_early_intervention_and_follows_an_override():
    plan = real_plan(("alcohol", 6))
    early = {**plan, "placement": {**plan["placement"], "level": "0.5"}}
    overridden = {
        **early,
        "placement": {**early["placement"], "override": {"level": "1.0", "reason": "r", "by": "d"}},
    }

    assert "bam" not in due_map(early)
    assert "bam" in due_map(overridden)


def test_a_measure_never_taken_is_due_today():
    due = due_map(real_plan(instruments=MOODS))["phq9"]

    assert (due.due_on, due.overdue, due.last_taken) == (TODAY, False, None)


def test_a_measure_is_overdue_only_after_its_grace_period():
    plan = real_plan(instruments=MOODS)
    taken = {"phq9": date(2026, 10, 1)}  # due 14 days later, on 2026-10-15; grace 7 days

    on_time = due_map(plan, taken, today=date(2026, 10, 22))["phq9"]
    late = due_map(plan, taken, today=date(2026, 10, 23))["phq9"]

    assert on_time.due_on == late.due_on == date(2026, 10, 15)
    assert (on_time.overdue, late.overdue) == (False, True)


def test_a_review_measure_is_due_on_the_review_date_unless_taken_in_the_week_before_it():
    plan = real_plan(("alcohol", 6))
    review = date.fromisoformat(plan["review_on"])

    early = due_map(plan, {"auditc": review - timedelta(days=8)})
    ready = due_map(plan, {"auditc": review - timedelta(days=7)})

    assert early["auditc"].due_on == review
    assert "auditc" not in ready


def test_a_review_date_that_is_not_a_date_is_refused():
    with pytest.raises(InvalidInput, match=r"^plan review_on must be a date \(YYYY-MM-DD\)$"):
        schedule({"review_on": "soon"}, {}, today=TODAY)


# --- signals from the daily check-in --------------------------------------------------------------


def test_a_self_harm_answer_raises_an_urgent_signal_at_once():
    checkin = DayCheckIn(TODAY, craving=3, mood=2, used=False, self_harm=True)

    found = checkin_signals(checkin, [])

    assert found == [
        Signal(
            SignalKind.SUICIDAL_IDEATION,
            "urgent",
            "checkin:2026-11-20:self_harm",
            (
                "The check-in of 2026-11-20 answered yes to thoughts of being better off dead "
                "or of hurting oneself.",
            ),
        )
    ]


def test_use_after_seven_check_ins_without_use_is_a_return_to_use():
    week = daily(ago(7), ago(1))

    found = checkin_signals(calm(TODAY, used=True), week)

    assert [(s.kind, s.severity, s.event_key) for s in found] == [
        (SignalKind.RETURN_TO_USE, "high", "use:2026-11-20")
    ]
    assert found[0].reasons == (
        "The check-in of 2026-11-20 reports use after 7 check-ins in a row without use "
        "(since 2026-11-13).",
    )


def test_use_after_six_check_ins_without_use_is_not_yet_a_return_to_use():
    six = [calm(ago(7), used=True), *daily(ago(6), ago(1))]

    assert checkin_signals(calm(TODAY, used=True), six) == []


def test_use_continued_the_next_day_belongs_to_the_same_run():
    history = [*daily(ago(9), ago(2)), calm(ago(1), used=True), calm(TODAY, used=True)]

    found = of_kind(evaluate(history), SignalKind.RETURN_TO_USE)

    assert [s.event_key for s in found] == ["use:2026-11-19"]


def test_a_craving_of_7_well_above_the_usual_is_a_spike_and_6_is_not():
    usual = daily(ago(7), ago(1), craving=2)

    spike = checkin_signals(calm(TODAY, craving=7), usual)
    high_but_below = checkin_signals(calm(TODAY, craving=6), usual)

    assert [(s.kind, s.severity, s.event_key) for s in spike] == [
        (SignalKind.CRAVING_SPIKE, "medium", "craving:2026-11-20")
    ]
    assert spike[0].reasons == (
        "Craving was 7 out of 10 on 2026-11-20, 5.0 above the mean of 2.0 over the 7 check-ins "
        "before it.",
    )
    assert high_but_below == []


def test_a_craving_spike_needs_three_points_over_the_mean_of_the_last_seven():
    def previous(*cravings: int) -> list[DayCheckIn]:
        return [calm(ago(len(cravings) - n), craving=c) for n, c in enumerate(cravings)]

    # Only the last seven count: the 10 eight days ago is outside the window.
    exactly_three = previous(10, 4, 4, 4, 4, 4, 4, 4)  # mean 4, 7 - 4 = 3
    not_quite = previous(4, 4, 4, 4, 5, 5, 5)  # mean 31/7 = 4.43, 7 - 4.43 = 2.57

    assert [s.kind for s in checkin_signals(calm(TODAY, craving=7), exactly_three)] == [
        SignalKind.CRAVING_SPIKE
    ]
    assert checkin_signals(calm(TODAY, craving=7), not_quite) == []


def test_a_craving_spike_needs_three_previous_check_ins():
    two = daily(ago(2), ago(1), craving=0)
    three = daily(ago(3), ago(1), craving=0)

    assert checkin_signals(calm(TODAY, craving=9), two) == []
    assert len(checkin_signals(calm(TODAY, craving=9), three)) == 1


def test_the_craving_rule_uses_the_just_in_time_support_threshold():
    assert rules().signals.craving_at_least == SUPPORT_CRAVING


def test_three_missed_days_raise_one_signal():
    history = [*daily(ago(10), ago(4))]  # nothing on days 3, 2 and 1 ago; today is not missed yet

    found = of_kind(evaluate(history), SignalKind.MISSED_CHECKINS)

    assert [(s.severity, s.event_key) for s in found] == [("medium", "missed:2026-11-17")]
    assert found[0].reasons == (
        "No check-in for 3 days in a row, from 2026-11-17 to 2026-11-19; the last check-in was "
        "on 2026-11-16.",
    )


def test_two_missed_days_raise_nothing():
    assert of_kind(evaluate(daily(ago(10), ago(3))), SignalKind.MISSED_CHECKINS) == []


def test_each_run_of_missed_days_raises_its_own_signal():
    history = [*daily(ago(20), ago(15)), *daily(ago(10), ago(8)), calm(ago(3))]

    found = of_kind(evaluate(history), SignalKind.MISSED_CHECKINS)

    assert [s.event_key for s in found] == ["missed:2026-11-06", "missed:2026-11-13"]


def test_days_before_the_first_check_in_are_never_missed():
    assert of_kind(evaluate([calm(ago(1))]), SignalKind.MISSED_CHECKINS) == []
    assert evaluate([]) == []


def test_a_run_of_missed_days_keeps_its_key_while_it_goes_on():
    history = daily(ago(10), ago(5))

    keys = [
        [
            s.event_key
            for s in of_kind(
                evaluate(history, today=TODAY + timedelta(days=n)), SignalKind.MISSED_CHECKINS
            )
        ]
        for n in range(4)
    ]

    assert keys == [["missed:2026-11-16"]] * 4


# --- signals from re-assessments ------------------------------------------------------------------


def test_a_suicidal_ideation_flag_on_a_measure_raises_an_urgent_signal():
    phq9 = Measure("phq9", ago(2), 14, flags=("suicidal_ideation",))

    found = evaluate(measures=[phq9])

    assert [(s.kind, s.severity, s.event_key, s.reasons) for s in found] == [
        (
            SignalKind.SUICIDAL_IDEATION,
            "urgent",
            "flag:phq9:2026-11-18",
            ("PHQ-9 of 2026-11-18 was flagged by its scorer: suicidal ideation.",),
        )
    ]


def test_two_flagged_measures_on_one_day_are_one_event():
    morning = Measure("phq9", ago(2), 14, flags=("suicidal_ideation",))
    corrected = Measure("phq9", ago(2), 15, flags=("suicidal_ideation",))

    assert [s.event_key for s in evaluate(measures=[morning, corrected])] == [
        "flag:phq9:2026-11-18"
    ]


def test_a_reliable_rise_in_phq9_raises_a_high_signal_naming_the_scores():
    measures = [
        Measure("phq9", date(2026, 10, 1), 5),
        Measure("phq9", date(2026, 10, 20), 8),
        Measure("phq9", date(2026, 11, 1), 16),
    ]

    found = evaluate(measures=measures)

    assert [(s.kind, s.severity, s.event_key) for s in found] == [
        (SignalKind.RELIABLE_WORSENING, "high", "rc:phq9:2026-11-01")
    ]
    # (16 - 8) / (sqrt(2) * 3.52 * sqrt(1 - 0.89)) = 8 / 1.651 = 4.85
    assert found[0].reasons == (
        "PHQ-9 rose from 8 to 16 between 2026-10-20 and 2026-11-01; the reliable change index "
        "is 4.85 (over 1.96).",
    )


def test_only_the_previous_and_latest_measures_are_compared():
    slow_rise = [
        Measure("gad7", date(2026, 10, 1), 4),
        Measure("gad7", date(2026, 10, 15), 7),
        Measure("gad7", date(2026, 11, 1), 10),  # +3 twice: reliable overall, not step by step
    ]
    improved = [Measure("gad7", date(2026, 10, 15), 12), Measure("gad7", date(2026, 11, 1), 6)]

    assert evaluate(measures=slow_rise) == []
    assert evaluate(measures=improved) == []


def test_a_fall_on_a_scale_where_lower_is_worse_is_keyed_on_the_scale():
    shipped = rules()
    test_rules = dataclasses.replace(
        shipped,
        reliabilities={
            ("bam", "protective"): Reliability("bam", "protective", 10.0, 0.5, "down", ("test",))
        },
    )
    bam = [
        Measure("bam", date(2026, 10, 15), None, {"protective": 90}),
        Measure("bam", date(2026, 11, 14), None, {"protective": 60}),
    ]

    found = signals(
        checkins=[], measures=bam, goals=[], plan=None, last_taken={}, today=TODAY, rules=test_rules
    )

    assert [s.event_key for s in found] == ["rc:bam:protective:2026-11-14"]
    assert found[0].reasons[0].endswith("the reliable change index is -3.00 (under -1.96).")


def test_an_overdue_reassessment_raises_a_low_signal_keyed_on_the_due_date():
    plan = real_plan(instruments=MOODS)
    taken = {"phq9": date(2026, 10, 1), "gad7": date(2026, 11, 10), "checkin": date(2026, 11, 1)}

    found = of_kind(evaluate(plan=plan, last_taken=taken), SignalKind.OVERDUE_REASSESSMENT)

    assert [(s.severity, s.event_key) for s in found] == [("low", "due:phq9:2026-10-15")]
    assert found[0].reasons == (
        "PHQ-9 was due on 2026-10-15 and has not been taken (last taken: 2026-10-01); scheduled "
        "because depression is in the plan: PHQ-9 every 14 days.",
    )


# --- goals at the review --------------------------------------------------------------------------

GOAL_DUE = date(2027, 1, 15)


def goals_plan(review_on: date) -> dict:
    return {"placement": {"level": "1.0"}, "review_on": review_on.isoformat()}


def test_goals_without_progress_by_the_review_date_raise_one_signal_naming_them():
    goals = [
        GoalState("G3", GOAL_DUE, percent=40, percent_at_start=40),  # no change
        GoalState("G5", GOAL_DUE, percent=None, percent_at_start=None),  # never recorded
        GoalState("G6", GOAL_DUE, percent=60, percent_at_start=20),  # progress
        GoalState("G1", GOAL_DUE, percent=100, percent_at_start=100),  # reached
    ]

    found = of_kind(evaluate(goals=goals, plan=goals_plan(TODAY)), SignalKind.GOALS_STALLED)

    assert [(s.severity, s.event_key) for s in found] == [("medium", "goals:2026-11-20")]
    assert found[0].reasons == (
        "By the review date 2026-11-20, 2 of 4 goals showed no progress since the previous "
        "review: G3 (due 2027-01-15), G5 (due 2027-01-15).",
    )


def test_goals_are_not_judged_before_the_review_date_or_when_all_progressed():
    stalled = [GoalState("G3", GOAL_DUE, percent=0, percent_at_start=None)]
    progressed = [GoalState("G3", GOAL_DUE, percent=10, percent_at_start=None)]

    assert evaluate(goals=stalled, plan=goals_plan(TODAY + timedelta(days=1))) == []
    assert evaluate(goals=progressed, plan=goals_plan(TODAY)) == []
    assert len(evaluate(goals=stalled, plan=goals_plan(TODAY))) == 1


# --- one alert per event --------------------------------------------------------------------------


def busy_history():
    checkins = [
        *daily(ago(25), ago(14)),
        DayCheckIn(ago(13), craving=8, mood=3, used=True, self_harm=True),
        *daily(ago(8), ago(2)),
    ]
    measures = [
        Measure("phq9", ago(20), 6),
        Measure("phq9", ago(5), 13, flags=("suicidal_ideation",)),
    ]
    goals = [GoalState("G5", GOAL_DUE, percent=None, percent_at_start=None)]
    plan = {**real_plan(("cocaine", 4), instruments=MOODS), "review_on": ago(1).isoformat()}
    return {"checkins": checkins, "measures": measures, "goals": goals, "plan": plan}


def test_evaluating_twice_or_the_next_day_gives_the_same_event_keys():
    history = busy_history()
    taken = {"phq9": ago(5), "gad7": ago(40), "bam": ago(10), "dast10": ago(60)}

    first = evaluate(**history, last_taken=taken)
    again = evaluate(**history, last_taken=taken)
    tomorrow = evaluate(**history, last_taken=taken, today=TODAY + timedelta(days=1))

    assert first == again
    assert [s.event_key for s in first] == [
        "checkin:2026-11-07:self_harm",
        "flag:phq9:2026-11-15",
        "rc:phq9:2026-11-15",
        "use:2026-11-07",
        "craving:2026-11-07",
        "goals:2026-11-19",
        "missed:2026-11-08",
        "due:gad7:2026-10-25",
    ]
    assert {s.event_key for s in first} <= {s.event_key for s in tomorrow}


def test_a_check_in_raises_the_same_keys_at_once_as_the_nightly_evaluation():
    history = busy_history()["checkins"]
    newest = history[-1]
    for checkin in history:
        previous = [c for c in history if c.day < checkin.day]
        at_once = {s.event_key for s in checkin_signals(checkin, previous)}
        nightly = {s.event_key for s in evaluate(history, today=newest.day)}
        assert at_once <= nightly


def test_events_older_than_the_look_back_raise_nothing():
    old = [
        *daily(ago(60), ago(45)),
        DayCheckIn(ago(44), 9, 1, used=True, self_harm=True),
        calm(ago(43)),
    ]
    recent = [*old, *daily(ago(5), ago(1))]
    old_measures = [
        Measure("phq9", ago(60), 4),
        Measure("phq9", ago(31), 20, flags=("suicidal_ideation",)),
    ]

    assert rules().signals.lookback_days == 30
    assert [s.event_key for s in evaluate(recent, old_measures)] == ["missed:2026-10-09"]
    assert [s.event_key for s in evaluate(recent, old_measures, today=ago(1))] == [
        "flag:phq9:2026-10-20",
        "rc:phq9:2026-10-20",
        "missed:2026-10-09",
    ]


# --- severity, ordering and the caseload score ----------------------------------------------------


def test_signals_come_most_severe_first_and_the_risk_score_sorts_a_caseload():
    found = evaluate(**busy_history(), last_taken={"gad7": ago(40)})
    severities = [s.severity for s in found]
    quiet = evaluate(daily(ago(6), ago(1)))
    one_high = evaluate([*daily(ago(8), ago(1)), calm(TODAY, used=True)])

    assert severities == sorted(severities, key=SEVERITY_ORDER.index)
    assert risk_score(found) == (2, 2, 3, 1)
    caseload = sorted([quiet, found, one_high], key=risk_score, reverse=True)
    assert caseload == [found, one_high, quiet]


def test_a_signal_refuses_an_unknown_severity_or_an_overlong_key():
    with pytest.raises(
        InvalidInput, match="^signal severity must be one of urgent, high, medium, low$"
    ):
        Signal(SignalKind.CRAVING_SPIKE, "severe", "craving:2026-11-20", ())
    with pytest.raises(InvalidInput, match="^signal event_key must be at most 120 characters$"):
        Signal(SignalKind.CRAVING_SPIKE, "medium", "k" * 121, ())


# --- the rules file -------------------------------------------------------------------------------


def test_the_shipped_rules_cite_a_source_for_every_figure_and_schedule():
    shipped = rules()

    assert shipped.threshold == 1.96
    assert set(shipped.reliabilities) == {
        ("phq9", "total"),
        ("gad7", "total"),
        ("bam", "alcohol_days"),
        ("bam", "drug_days"),
        ("bam", "psych_days"),
    }
    assert shipped.items("bam") == {"alcohol_days": 4, "drug_days": 6, "psych_days": 3}
    assert all(len(r.sources) >= 1 for r in shipped.reliabilities.values())
    assert [(e.instrument, e.every_days) for e in shipped.schedule] == [
        ("phq9", 14),
        ("gad7", 14),
        ("bam", 30),
        ("auditc", None),
        ("dast10", None),
        ("checkin", 1),
    ]


def broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "monitoring.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _set(*keys, value):
    def change(data):
        for key in keys[:-1]:
            data = data[key]
        data[keys[-1]] = value

    return change


def _delete(*keys):
    def change(data):
        for key in keys[:-1]:
            data = data[key]
        del data[keys[-1]]

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            _set("reliable_change", "instruments", "phq9", "total", "reliability", value=1.2),
            "monitoring.yaml: reliable_change.phq9.total: reliability must be a number between 0 and 1",
            id="reliability-out-of-range",
        ),
        pytest.param(
            _set(
                "reliable_change", "instruments", "gad7", "total", "sd_source", value="somebody2020"
            ),
            "monitoring.yaml: reliable_change.gad7.total: sd_source must name one of the sources",
            id="unnamed-source",
        ),
        pytest.param(
            _delete("reliable_change", "instruments", "phq9", "total", "sd"),
            "monitoring.yaml: reliable_change.phq9.total: needs sd",
            id="half-the-figures",
        ),
        pytest.param(
            _set("reliable_change", "instruments", "bam", "craving", value={"worse": "up"}),
            "monitoring.yaml: reliable_change.bam.craving: scale must be total or a subscale of bam",
            id="unknown-scale",
        ),
        pytest.param(
            _set("schedule", 0, "instrument", value="phq10"),
            "monitoring.yaml: schedule 1 (phq10): instrument must be checkin or a known instrument",
            id="unknown-instrument",
        ),
        pytest.param(
            _set("schedule", 0, "at_review", value=True),
            "monitoring.yaml: schedule 1 (phq9): needs either every_days or at_review: true",
            id="two-schedules",
        ),
        pytest.param(
            _set("schedule", 1, "when", value="worry"),
            "monitoring.yaml: schedule 2 (gad7): when must name one of the conditions",
            id="unknown-condition",
        ),
        pytest.param(
            _set("conditions", "depression", "codes", value=["mh.depresion_treatment"]),
            "monitoring.yaml: conditions.depression: mh.depresion_treatment is not a code of interventions.csv",
            id="misspelt-code",
        ),
        pytest.param(
            _set("conditions", "in_treatment", "any_of", value=["alcohol", "mood"]),
            "monitoring.yaml: conditions.in_treatment: any_of: mood must be a condition without any_of",
            id="unknown-condition-in-any-of",
        ),
        pytest.param(
            _set("conditions", "in_treatment", "levels_except", value=["0.7"]),
            "monitoring.yaml: conditions.in_treatment: 0.7 is not a level of placement.yaml",
            id="unknown-level",
        ),
        pytest.param(
            _set("signals", "craving_spike", "severity", value="critical"),
            "monitoring.yaml: signals.craving_spike: severity must be one of urgent, high, medium, low",
            id="unknown-severity",
        ),
        pytest.param(
            _set("signals", "craving_spike", "min_previous", value=8),
            "monitoring.yaml: signals.craving_spike: min_previous must be a whole number, 1-7",
            id="more-previous-than-averaged",
        ),
        pytest.param(
            _set("signals", "missed_checkins", "after", value=3),
            "monitoring.yaml: signals.missed_checkins: unknown key after",
            id="unknown-key",
        ),
        pytest.param(
            _delete("signals", "goals_stalled"),
            "monitoring.yaml: signals: needs goals_stalled",
            id="missing-signal",
        ),
    ],
)
def test_a_bad_rules_file_fails_loudly_naming_the_entry_and_the_reason(tmp_path, change, message):
    path = broken(tmp_path, change)

    with pytest.raises(MonitoringError) as error:
        load(path)

    assert str(error.value) == message


def test_an_unchanged_copy_of_the_rules_file_loads_the_same_rules(tmp_path):
    """The failures above come from each change alone, not from copying the file."""
    assert load(broken(tmp_path, lambda data: None)) == rules()


def test_a_bam_day_item_reliable_change_is_the_published_figures_worked_by_hand():
    # Cacciola 2013: days of alcohol use SD 9.63 (Table 1), test-retest ICC 0.88 (Table 4).
    # S_diff = 9.63 * sqrt(2 * 0.12) = 4.7177; 10 days more: 2.12 (reliable); 9: 1.91 (not).
    ten = reliable_change("bam", 0, 10, scale="alcohol_days")
    nine = reliable_change("bam", 0, 9, scale="alcohol_days")
    assert round(ten.s_diff, 4) == 4.7177
    assert (ten.direction.value, round(ten.index, 2)) == ("worsened", 2.12)
    assert (nine.direction.value, round(nine.index, 2)) == ("no reliable change", 1.91)


def test_an_item_figure_must_name_an_item_of_the_instrument_under_a_new_scale(tmp_path):
    text = PATH.read_text()
    broken = text.replace("item: 4 ", "item: 40 ")
    (tmp_path / "monitoring.yaml").write_text(broken)
    with pytest.raises(MonitoringError, match="item must be an item number of bam"):
        load(tmp_path / "monitoring.yaml")
