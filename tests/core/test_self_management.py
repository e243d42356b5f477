"""Self-management core: check-in rules, insights (hand-computed), SMART goals, the timeline,
weekly lifestyle summaries, and the SVG chart."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from trellis.core import charts, checkins, goals, insights, lifestyle, recovery
from trellis.core.checkins import CheckIn, CopingUse, JournalEntry

TODAY = date(2026, 11, 25)  # a Wednesday
TRIGGERS = {"stress", "boredom", "conflict"}
COPING = {"paced-breathing", "called-someone", "urge-surfing"}


def good(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "date": "2026-11-25",
        "craving": 4,
        "mood": 6,
        "sleep_hours": 7.5,
        "used": False,
        "triggers": ["stress"],
        "coping": [{"code": "paced-breathing", "helped": 6}],
    }
    data.update(changes)
    return data


def check(**changes: object):
    return checkins.check_checkin(good(**changes), today=TODAY, triggers=TRIGGERS, coping=COPING)


def test_a_good_checkin_passes():
    checkin, problems = check()
    assert problems.by_field == {}
    assert checkin == CheckIn(
        TODAY, 4, 6, Decimal("7.5"), False, "", ("stress",), (CopingUse("paced-breathing", 6),)
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"craving": 11}, "craving"),
        ({"craving": -1}, "craving"),
        ({"craving": True}, "craving"),
        ({"mood": None}, "mood"),
        ({"sleep_hours": -0.5}, "sleep_hours"),
        ({"sleep_hours": 25}, "sleep_hours"),
        ({"sleep_hours": "NaN"}, "sleep_hours"),
        ({"date": "2026-11-26"}, "date"),
        ({"date": "not a date"}, "date"),
        ({"used": "yes"}, "used"),
        ({"used": True}, "use_amount"),
        ({"use_amount": "2 drinks"}, "use_amount"),
        ({"triggers": ["payday"]}, "triggers"),
        ({"coping": [{"code": "paced-breathing", "helped": 12}]}, "coping"),
        ({"coping": [{"code": "juggling", "helped": 3}]}, "coping"),
    ],
)
def test_bad_checkins_name_the_field(changes, field):
    checkin, problems = check(**changes)
    assert checkin is None
    assert field in problems.by_field


def test_support_is_offered_from_craving_seven_or_any_use():
    assert [checkins.needs_support(c, False) for c in (6, 7, 10)] == [False, True, True]
    assert checkins.needs_support(0, True)


def test_a_journal_entry_needs_words_or_a_trigger_and_no_future_time():
    now = datetime(2026, 11, 25, 12, 0)
    entry, problems = checkins.check_journal(
        {"at": now, "craving": 5}, now=now, triggers=TRIGGERS, coping=COPING
    )
    assert entry is None
    assert "text" in problems.by_field
    _, problems = checkins.check_journal(
        {"at": datetime(2026, 11, 25, 13, 0), "craving": 5, "text": "x"},
        now=now,
        triggers=TRIGGERS,
        coping=COPING,
    )
    assert "at" in problems.by_field


def ci(day: int, craving: int, triggers=(), coping=()) -> CheckIn:
    return CheckIn(
        date(2026, 11, day), craving, 5, Decimal(7), False, "", tuple(triggers), tuple(coping)
    )


def je(day: int, hour: int, craving: int, triggers=(), coping=()) -> JournalEntry:
    return JournalEntry(
        datetime(2026, 11, day, hour, 0), craving, tuple(triggers), "", tuple(coping)
    )


def test_insights_by_hand():
    # Nov 23 2026 is a Monday; 24 Tuesday; 28 Saturday.
    data_checkins = [
        ci(23, 2, ["stress"], [CopingUse("paced-breathing", 4)]),
        ci(24, 6, ["stress", "boredom"], [CopingUse("called-someone", 9)]),
        ci(28, 8, ["conflict"], [CopingUse("paced-breathing", 6)]),
    ]
    data_journal = [
        je(23, 21, 7, ["stress"], [CopingUse("urge-surfing", 8)]),  # Monday evening
        je(28, 22, 9, ["conflict"]),  # Saturday evening
        je(24, 8, 3, ["boredom"]),  # Tuesday morning
    ]

    found = insights.insights(data_checkins, data_journal)

    # stress named 3 times (cravings 2, 6, 7 -> mean 5.0); conflict 2 (8, 9 -> 8.5); boredom 2 (6, 3 -> 4.5)
    assert [(t.key, t.count, t.mean) for t in found.triggers] == [
        ("stress", 3, 5.0),
        ("conflict", 2, 8.5),
        ("boredom", 2, 4.5),
    ]
    # evening: 7 and 9 -> 8.0 over 2; morning: 3 over 1
    assert [(t.key, t.count, t.mean) for t in found.times_of_day] == [
        ("evening", 2, 8.0),
        ("morning", 1, 3.0),
    ]
    # saturday: 8, 9 -> 8.5; tuesday: 6, 3 -> 4.5; monday: 2, 7 -> 4.5 (tie on mean and count: by name)
    assert [(t.key, t.mean) for t in found.days_of_week] == [
        ("saturday", 8.5),
        ("monday", 4.5),
        ("tuesday", 4.5),
    ]
    # called-someone 9 (1 use); urge-surfing 8 (1); paced-breathing (4 + 6) / 2 = 5.0
    assert [(t.key, t.count, t.mean) for t in found.coping] == [
        ("called-someone", 1, 9.0),
        ("urge-surfing", 1, 8.0),
        ("paced-breathing", 2, 5.0),
    ]
    assert insights.top_codes(found.coping, 2) == ["called-someone", "urge-surfing"]


def test_no_data_no_insights():
    assert insights.insights([], []).empty


def test_time_of_day_boundaries():
    assert [insights.time_of_day(h) for h in (0, 5, 6, 11, 12, 17, 18, 23)] == [
        "night",
        "night",
        "morning",
        "morning",
        "afternoon",
        "afternoon",
        "evening",
        "evening",
    ]


def smart(**changes: object):
    data: dict[str, object] = {
        "statement": "Walk to the park after work",
        "measure": "walks",
        "target": "4 a week",
        "confidence": 7,
        "reason": "To feel calmer",
        "due": "2026-12-31",
    }
    data.update(changes)
    return goals.check_goal(data, today=TODAY)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"statement": "better"}, "statement"),
        ({"measure": " "}, "measure"),
        ({"target": ""}, "target"),
        ({"confidence": 11}, "confidence"),
        ({"confidence": None}, "confidence"),
        ({"reason": ""}, "reason"),
        ({"due": None}, "due"),
        ({"due": "2026-11-24"}, "due"),
    ],
)
def test_a_goal_is_not_smart_until_every_part_is_there(changes, field):
    goal, problems = smart(**changes)
    assert goal is None
    assert list(problems.by_field) == [field]


def test_a_smart_goal_passes_and_a_milestone_cannot_outlast_its_goal():
    goal, _ = smart()
    assert goal is not None
    assert goal.confidence == 7
    _, problems = goals.check_goal(
        {
            "statement": "Walk twice this week",
            "measure": "walks",
            "target": "2",
            "confidence": 8,
            "reason": "start",
            "due": "2027-01-05",
        },
        today=TODAY,
        parent_due=date(2026, 12, 31),
    )
    assert "due" in problems.by_field


def test_timeline_keeps_the_past_after_a_return_to_use():
    events = [
        recovery.Event("start", date(2026, 1, 1)),
        recovery.Event("return", date(2026, 3, 2)),  # 60 days counted
        recovery.Event("start", date(2026, 3, 3)),
    ]

    line = recovery.timeline(events, date(2026, 4, 2))  # 30 days into the new count

    assert line.days == 30
    assert line.current.start == date(2026, 3, 3)
    assert [(s.start, s.end, s.days) for s in line.past] == [
        (date(2026, 1, 1), date(2026, 3, 2), 60)
    ]
    assert line.total_days == 90
    assert line.reached == [1, 7, 30]
    assert (line.next_milestone, line.days_to_next) == (60, 30)


def test_milestones_go_on_every_year_after_the_first():
    assert recovery.milestones_upto(0) == []
    assert recovery.milestones_upto(800) == [1, 7, 30, 60, 90, 180, 365, 730]
    assert recovery.next_milestone(365) == 730
    assert recovery.timeline([], TODAY).current is None


def test_weekly_lifestyle_summary_by_hand():
    logs = [
        lifestyle.Log("sleep", date(2026, 11, 23), Decimal(7)),
        lifestyle.Log("sleep", date(2026, 11, 24), Decimal(5)),
        lifestyle.Log("sleep", date(2026, 11, 24), Decimal("1.5")),  # a nap: same day adds up
        lifestyle.Log("exercise", date(2026, 11, 25), Decimal(90)),
        lifestyle.Log("exercise", date(2026, 11, 29), Decimal(60)),
        lifestyle.Log("nutrition", date(2026, 11, 25), Decimal(3), meals=3),
        lifestyle.Log("nutrition", date(2026, 11, 26), Decimal(4), meals=2),
        lifestyle.Log("exercise", date(2026, 11, 30), Decimal(20)),  # next week
    ]

    weeks = lifestyle.weekly(logs)

    assert [w.starts for w in weeks] == [date(2026, 11, 30), date(2026, 11, 23)]
    week = weeks[1]
    assert (week.sleep_nights, week.sleep_mean_hours) == (2, Decimal("6.8"))  # (7 + 6.5) / 2 = 6.75
    assert (week.exercise_minutes, week.exercise_sessions) == (Decimal(150), 2)
    assert week.meets_exercise_guideline
    assert (week.servings_per_day, week.meals_per_day) == (Decimal("3.5"), Decimal("2.5"))
    assert not weeks[0].meets_exercise_guideline


def test_chart_plots_points_on_a_fixed_scale_with_a_title():
    svg = charts.line_chart(
        [charts.Point(date(2026, 11, 1), 0), charts.Point(date(2026, 11, 11), 10)],
        title="Craving <0-10>",
        low=0,
        high=10,
        ticks=[0, 10],
    )
    assert svg.startswith("<svg")
    assert "<title" in svg
    assert "Craving &lt;0-10&gt;" in svg
    # first point at the left edge and the bottom, last at the right edge and the top
    assert (
        f'points="{charts.PAD_LEFT:.1f},{charts.HEIGHT - charts.PAD_BOTTOM:.1f} {charts.WIDTH - charts.PAD_RIGHT:.1f},{charts.PAD_TOP:.1f}"'
        in svg
    )


def test_content_loads_with_sources_and_both_languages():
    from trellis.knowledge.self_management import content

    c = content()
    assert {
        "paced-breathing",
        "urge-surfing",
        "grounding-54321",
        "progressive-muscle-relaxation",
        "body-scan",
        "mindful-breathing",
        "leaves-on-a-stream",
        "self-compassion-break",
        "compassionate-letter",
    } <= set(c.exercises)
    for exercise in c.exercises.values():
        assert exercise.source
        assert all(step.text["es"] and step.text["en"] for step in exercise.steps)
    assert c.exercises["paced-breathing"].breathing == {"inhale": 4, "hold": 0, "exhale": 6}


def test_a_bad_content_file_fails_loudly_naming_the_entry(tmp_path, monkeypatch):
    from trellis.knowledge import self_management

    bad = tmp_path / "exercises.yaml"
    bad.write_text(
        self_management.FILE.read_text(encoding="utf-8").replace("minutes: 3", "minutes: 90", 1),
        encoding="utf-8",
    )
    monkeypatch.setattr(self_management, "FILE", bad)
    self_management.content.cache_clear()
    try:
        with pytest.raises(self_management.ContentError, match="paced-breathing: minutes"):
            self_management.content()
    finally:
        monkeypatch.undo()
        self_management.content.cache_clear()
