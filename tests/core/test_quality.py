"""Quality-oversight measures, checked against numbers worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from trellis.core import bar_charts
from trellis.core.demographics import Groups
from trellis.core.errors import InvalidInput
from trellis.core.quality import (
    CONTINUATION_DAYS,
    MIN_CELL,
    Deviation,
    EpisodeRecord,
    Placed,
    PlanAuthored,
    Records,
    ScoreRecord,
    Stat,
    VisitRecord,
    access,
    check_visit,
    equity,
    fidelity,
    jaccard_distance,
    measures,
    retention,
    score_change,
    top_dimensions,
    variation,
)

TODAY = date(2026, 12, 5)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# Fidelity -----------------------------------------------------------------------------------


def test_fidelity_counts_plans_deviations_by_action_and_code_and_the_rate():
    plans = [
        PlanAuthored("dana", "p1"),
        PlanAuthored("dana", "p1"),  # a second version of the same plan is still one plan
        PlanAuthored("dana", "p2"),
        PlanAuthored("dana", "p3"),
        PlanAuthored("dana", "p4"),
        PlanAuthored("eli", "p5"),
    ]
    deviations = [
        Deviation("dana", "p1", "psy.cbt", "remove", "prefers group work"),
        Deviation("dana", "p1", "mat.bup", "add", "asked for it"),
        Deviation("dana", "p2", "psy.cbt", "remove", "no therapist in Spanish"),
    ]

    rows = fidelity(plans, deviations)

    dana, eli = rows
    assert (dana.clinician, dana.plans, dana.plans_with_deviation, dana.deviations) == (
        "dana",
        4,
        2,
        3,
    )
    assert dana.rate == 0.5  # 2 of 4 plans
    assert dana.by_action == {"add": 1, "remove": 2}
    assert dana.by_code == {"mat.bup": 1, "psy.cbt": 2}
    assert [d.reason for d in dana.reasons] == [
        "prefers group work",
        "asked for it",
        "no therapist in Spanish",
    ]
    assert (eli.plans, eli.deviations, eli.rate) == (1, 0, 0.0)


def test_a_deviation_on_someone_elses_plan_counts_that_plan_as_written_by_the_deviator():
    rows = fidelity([PlanAuthored("dana", "p1")], [Deviation("eli", "p1", "x", "add", "r")])

    assert [(r.clinician, r.plans, r.rate) for r in rows] == [("dana", 1, 0.0), ("eli", 1, 1.0)]


def test_no_plans_gives_no_rows_and_no_rate():
    assert fidelity([], []) == []


# Variation ----------------------------------------------------------------------------------


def test_jaccard_distance_worked_examples():
    a = frozenset({"psy.mi", "psy.cbt", "mat.bup"})
    b = frozenset({"psy.mi", "psy.cbt", "safety.naloxone"})

    assert jaccard_distance(a, b) == pytest.approx(1 - 2 / 4)  # 0.5
    assert jaccard_distance(a, a) == 0.0
    assert jaccard_distance(frozenset(), frozenset()) == 0.0
    assert jaccard_distance(a, frozenset()) == 1.0


def test_top_dimensions_are_the_ones_at_the_highest_risk():
    assert top_dimensions({1: 2, 2: 3, 3: 3, 4: 0, 5: 1, 6: 2}) == {2, 3}
    assert top_dimensions({}) == frozenset()


def test_variation_groups_by_profile_and_clinician():
    kb = frozenset({"a", "b"})
    placed = [
        Placed("p1", "dana", "2.1", frozenset({3}), False, frozenset({"a", "b"}), kb),  # 0
        Placed("p2", "dana", "2.1", frozenset({3}), True, frozenset({"a"}), kb),  # 0.5
        Placed("p3", "eli", "2.1", frozenset({3}), True, frozenset({"a", "b", "c", "d"}), kb),
        Placed("p4", "eli", "1.0", frozenset({3, 5}), False, kb, kb),
    ]

    cells = variation(placed)

    assert [(c.level, c.top_dimensions, c.clinician, c.people) for c in cells] == [
        ("1.0", (3, 5), "eli", 1),
        ("2.1", (3,), "dana", 2),
        ("2.1", (3,), "eli", 1),
    ]
    dana = cells[1]
    assert dana.overrides == 1
    assert dana.override_rate == 0.5
    assert dana.plan_distance == pytest.approx(0.25)  # mean of 0 and 0.5
    assert cells[2].plan_distance == pytest.approx(0.5)  # 1 - 2/4
    assert cells[2].override_rate == 1.0


# Outcomes -----------------------------------------------------------------------------------


def test_retention_counts_eligible_episodes_still_in_care_or_completed_after_the_window():
    episodes = [
        EpisodeRecord("p1", ago(40)),  # in care: kept
        EpisodeRecord("p2", ago(100), ago(60), "completed"),  # completed after 40 days: kept
        EpisodeRecord("p3", ago(100), ago(80), "completed"),  # completed after 20 days: not
        EpisodeRecord("p4", ago(50), ago(5), "left"),  # left: not kept
        EpisodeRecord("p5", ago(10)),  # admitted too recently: not eligible
    ]

    at_30 = retention(episodes, 30, today=TODAY)
    at_90 = retention(episodes, 90, today=TODAY)

    assert (at_30.numerator, at_30.n, at_30.value) == (2, 4, 0.5)
    # Eligible at 90 days: p2 (stayed 40 days, not kept) and p3 (20 days, not kept).
    assert (at_90.numerator, at_90.n, at_90.value) == (0, 2, 0.0)
    assert retention([], 30, today=TODAY) == Stat(None, 0, 0)


def test_score_change_is_first_to_latest_per_person_with_reliable_improvement():
    scores = [
        # p1: 18 -> 12 -> 8, change -10: reliable improvement (PHQ-9 needs 4 points or more)
        ScoreRecord("p1", "phq9", "total", ago(60), 18),
        ScoreRecord("p1", "phq9", "total", ago(30), 12),
        ScoreRecord("p1", "phq9", "total", ago(1), 8),
        # p2: 10 -> 13, change +3: not reliable
        ScoreRecord("p2", "phq9", "total", ago(50), 10),
        ScoreRecord("p2", "phq9", "total", ago(2), 13),
        # p3: one score only: left out
        ScoreRecord("p3", "phq9", "total", ago(5), 20),
        ScoreRecord("p1", "gad7", "total", ago(5), 20),
    ]

    change = score_change(scores, "phq9")

    assert change.n == 2
    assert change.mean_change == pytest.approx(-3.5)  # (-10 + 3) / 2
    assert change.reliably_improved == 1
    assert change.improved_share == 0.5


def test_a_scale_without_published_figures_has_a_change_but_no_reliable_share():
    scores = [
        ScoreRecord("p1", "bam", "use", ago(30), 12),
        ScoreRecord("p1", "bam", "use", TODAY, 2),
    ]

    change = score_change(scores, "bam", "use")

    assert (change.n, change.mean_change, change.reliably_improved) == (1, -10, None)
    assert change.improved_share is None


def test_no_pairs_gives_no_change_and_no_share_but_keeps_whether_figures_exist():
    phq9 = score_change([ScoreRecord("p1", "phq9", "total", TODAY, 9)], "phq9")
    bam = score_change([], "bam", "use")

    assert (phq9.n, phq9.mean_change, phq9.reliably_improved, phq9.improved_share) == (
        0,
        None,
        0,
        None,
    )
    assert bam.reliably_improved is None


def test_bam_alcohol_days_use_the_published_figures():
    # S_diff 4.718 (knowledge/monitoring.yaml): 10 days fewer is reliable, 9 is not.
    scores = [
        ScoreRecord("p1", "bam", "alcohol_days", ago(30), 20),
        ScoreRecord("p1", "bam", "alcohol_days", TODAY, 10),
        ScoreRecord("p2", "bam", "alcohol_days", ago(30), 20),
        ScoreRecord("p2", "bam", "alcohol_days", TODAY, 11),
    ]

    assert score_change(scores, "bam", "alcohol_days").reliably_improved == 1


# Access (NIATx) -----------------------------------------------------------------------------


def visits_of(person: str, *rows: tuple[str, int, str]) -> list[VisitRecord]:
    return [VisitRecord(person, kind, ago(days), status) for kind, days, status in rows]


def test_days_to_first_session_and_first_dose_count_from_the_first_contact():
    visits = [
        *visits_of(
            "p1",
            ("first_contact", 40, "attended"),
            ("session", 38, "no_show"),  # missed: not the first attended session
            ("session", 35, "attended"),  # 5 days
            ("medication_dose", 39, "attended"),  # 1 day
        ),
        *visits_of(
            "p2",
            ("session", 50, "attended"),  # before the first contact: ignored
            ("first_contact", 45, "attended"),
            ("session", 30, "attended"),  # 15 days
        ),
        *visits_of("p3", ("session", 30, "attended")),  # no first contact: no wait measured
    ]

    result = access(visits, today=TODAY)

    assert (result.days_to_session.value, result.days_to_session.n) == (10, 2)  # (5 + 15) / 2
    assert result.medians["days_to_session"] == 10
    assert (result.days_to_dose.value, result.days_to_dose.n) == (1, 1)


def test_no_show_rate_leaves_cancelled_sessions_out():
    visits = visits_of(
        "p1",
        ("session", 30, "attended"),
        ("session", 23, "no_show"),
        ("session", 16, "cancelled"),
        ("session", 9, "attended"),
        ("first_contact", 35, "no_show"),  # not a session
    ) + visits_of("p2", ("session", 5, "no_show"))

    rate = access(visits, today=TODAY).no_show

    assert (rate.numerator, rate.n) == (2, 2)
    assert rate.value == pytest.approx(2 / 4)


def test_continuation_counts_only_people_whose_first_session_is_old_enough():
    old = CONTINUATION_DAYS
    visits = [
        *visits_of("p1", *[("session", old + 7 - 7 * k, "attended") for k in range(4)]),  # 4th
        *visits_of("p2", ("session", old, "attended"), ("session", old - 7, "attended")),  # 2
        *visits_of("p3", *[("session", old - 1 - k, "attended") for k in range(4)]),  # too new
    ]

    rate = access(visits, today=TODAY).continuation

    assert (rate.numerator, rate.n, rate.value) == (1, 2, 0.5)


def test_a_visit_to_record_is_checked_field_by_field():
    check_visit("session", "attended", TODAY, today=TODAY)
    with pytest.raises(InvalidInput, match="^kind must be one of first_contact, session"):
        check_visit("phone", "attended", TODAY, today=TODAY)
    with pytest.raises(InvalidInput, match="^status must be one of attended, no_show"):
        check_visit("session", "late", TODAY, today=TODAY)
    with pytest.raises(
        InvalidInput, match=r"^on must be a date \(YYYY-MM-DD\) no later than today"
    ):
        check_visit("session", "attended", TODAY + timedelta(days=1), today=TODAY)


# Equity -------------------------------------------------------------------------------------


def test_equity_gives_each_group_its_value_and_suppresses_small_groups():
    people = [f"r{n}" for n in range(12)] + [f"u{n}" for n in range(3)]
    groups = {p: Groups(rurality="rural" if p.startswith("r") else "urban") for p in people}
    # Rural: 12 episodes, 9 in care; urban: 3 episodes, all in care.
    episodes = [
        EpisodeRecord(p, ago(40), *((ago(20), "left") if p in {"r0", "r1", "r2"} else ()))
        for p in people
    ]

    cells = equity(groups, Records(episodes=episodes), today=TODAY)

    rural = {
        c.group: c.stat for c in cells if c.attribute == "rurality" and c.measure == "retention_30"
    }
    assert (rural["rural"].n, rural["rural"].value, rural["rural"].suppressed) == (12, 0.75, False)
    assert (rural["urban"].n, rural["urban"].suppressed) == (3, True)
    assert {c.group for c in cells if c.attribute == "sex"} == {"unknown"}
    assert Stat(None, 0).suppressed is False  # nothing to show is not a suppressed cell
    assert Stat(1.0, MIN_CELL - 1).suppressed
    assert not Stat(1.0, MIN_CELL).suppressed


def test_equity_measures_cover_outcomes_and_access():
    assert set(measures(Records(), today=TODAY)) == {
        "retention_30",
        "retention_90",
        "change_phq9",
        "change_gad7",
        "change_bam_use",
        "change_bam_alcohol_days",
        "days_to_session",
        "days_to_dose",
        "no_show_rate",
        "continuation",
    }


# Bar charts ---------------------------------------------------------------------------------


def test_a_bar_chart_has_a_title_a_description_and_no_bar_for_a_suppressed_value():
    svg = bar_charts.bar_chart(
        [bar_charts.Bar("rural", 0.75, "75%"), bar_charts.Bar("urban", None, "suppressed")],
        title="Retention <30 days>",
        description="Share retained by rurality",
        maximum=1,
    )

    assert "<title" in svg
    assert "Retention &lt;30 days&gt;</title>" in svg
    assert "Share retained by rurality</desc>" in svg
    assert svg.count("<rect") == 1
    assert 'width="105.0"' in svg  # 0.75 of the 140-unit plot
    assert ">suppressed</text>" in svg
    assert "<script" not in svg
