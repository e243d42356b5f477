"""Measurement-based care: what to re-measure and when, and which patterns in the check-ins,
re-assessments and goals raise a signal for the care team.

Every interval, cut-off and severity comes from knowledge/monitoring.yaml with its source. Each
signal carries an `event_key` that names the event, not the evaluation, so evaluating the same
history again (twice today, or tomorrow) gives the same key and the alert table's unique
(person, event_key) keeps one alert per event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from trellis.core.errors import InvalidInput
from trellis.core.placement import placement_level
from trellis.core.reliable_change import (
    TOTAL,
    Direction,
    Reliability,
    reliable_change,
    value_of,
)

CHECKIN = "checkin"  # the daily check-in, scheduled like an instrument
SEVERITY_ORDER: tuple[str, ...] = ("urgent", "high", "medium", "low")  # the alerts app's strings
MAX_KEY = 120
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Measure:
    """One scored re-assessment."""

    instrument: str
    taken_on: date
    total: int | None  # None for the BAM, which has subscales only
    subscales: Mapping[str, int] = field(default_factory=dict)
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DayCheckIn:
    day: date
    craving: int  # 0-10
    mood: int  # 0-10
    used: bool  # any use that day
    self_harm: bool = False  # thoughts of being better off dead or of hurting oneself


@dataclass(frozen=True, slots=True)
class GoalState:
    goal_id: str
    due: date
    percent: int | None  # latest progress 0-100; None when never recorded
    percent_at_start: int | None  # progress at or before the previous review; None if none


class SignalKind(StrEnum):
    SUICIDAL_IDEATION = "suicidal_ideation"
    RETURN_TO_USE = "return_to_use"
    CRAVING_SPIKE = "craving_spike"
    MISSED_CHECKINS = "missed_checkins"
    RELIABLE_WORSENING = "reliable_worsening"
    OVERDUE_REASSESSMENT = "overdue_reassessment"
    GOALS_STALLED = "goals_stalled"


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    severity: str  # one of SEVERITY_ORDER
    event_key: str  # stable per event; ids and dates only, never protected free text
    reasons: tuple[str, ...]  # plain sentences naming the data that raised it

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_ORDER:
            raise InvalidInput("signal severity", "one of " + ", ".join(SEVERITY_ORDER))
        if len(self.event_key) > MAX_KEY:
            raise InvalidInput("signal event_key", f"at most {MAX_KEY} characters")


@dataclass(frozen=True, slots=True)
class Due:
    instrument: str  # an instrument id, or "checkin" for the daily check-in
    due_on: date
    overdue: bool  # due_on + grace < today
    because: str
    last_taken: date | None


@dataclass(frozen=True, slots=True)
class Condition:
    """When a plan document calls for a measure.

    Any code or phrase is enough; `levels_except`, when given, must hold as well (alone, it is
    enough by itself).
    """

    id: str
    label: str  # "depression is in the plan"
    always: bool = False
    codes: frozenset[str] = frozenset()  # intervention codes, whatever their status
    phrases: tuple[str, ...] = ()  # lower case; looked for in dimension reasons, problem evidence
    levels_except: tuple[str, ...] | None = None  # placed at any level but these

    def holds(self, plan: Mapping[str, Any]) -> bool:
        if self.always:
            return True
        if self.levels_except is not None:
            level = placement_level(plan)
            if not level or level in self.levels_except:
                return False
            if not (self.codes or self.phrases):
                return True
        if any(i.get("code") in self.codes for i in plan.get("interventions") or []):
            return True
        return any(p in text for text in _plan_texts(plan) for p in self.phrases)


@dataclass(frozen=True, slots=True)
class Scheduled:
    instrument: str
    when: str  # a Condition id
    grace_days: int
    every_days: int | None = None  # None: at each plan review instead
    window_days: int = 0  # at review: a measure this many days before the review counts for it


@dataclass(frozen=True, slots=True)
class SignalRules:
    severity: Mapping[SignalKind, str]
    lookback_days: int  # events older than this are history, not alerts
    suicide_flags: frozenset[str]
    abstinent_checkins: int  # return to use: use after at least this many check-ins without
    craving_at_least: int
    craving_above_mean_by: float
    craving_window: int  # previous check-ins averaged
    craving_min_previous: int
    missed_days: int


@dataclass(frozen=True, slots=True)
class Rules:
    version: int
    names: Mapping[str, str]
    conditions: Mapping[str, Condition]
    schedule: tuple[Scheduled, ...]
    threshold: float
    reliabilities: Mapping[tuple[str, str], Reliability]
    directions: Mapping[tuple[str, str], str]  # scales still waiting for published figures
    signals: SignalRules
    sources: Mapping[str, str]
    labels: Mapping[tuple[str, str], str] = field(default_factory=dict)  # scale → words

    def items(self, instrument: str) -> dict[str, int]:
        """Scales that are one item's answer (scale name → 1-based item), kept with the score
        so reliable change can be computed on them."""
        return {
            scale: r.item
            for (i, scale), r in self.reliabilities.items()
            if i == instrument and r.item is not None
        }

    def name(self, instrument: str, scale: str = TOTAL) -> str:
        base = self.names.get(instrument, instrument)
        return base if scale == TOTAL else f"{base} {self.labels.get((instrument, scale), scale)}"


def risk_score(signals: Iterable[Signal]) -> tuple[int, int, int, int]:
    """Count the signals by severity, most severe first, to sort a caseload.

    Tuples compare item by item, so sorting in reverse puts anyone with an urgent signal first,
    then whoever has the most high ones, and so on:
    `sorted(people, key=lambda p: risk_score(p.signals), reverse=True)`.
    """
    counts = Counter(s.severity for s in signals)
    return (counts["urgent"], counts["high"], counts["medium"], counts["low"])


def ordered(signals: Iterable[Signal]) -> list[Signal]:
    """Most severe first, then by event key; one signal per event key."""
    unique = {s.event_key: s for s in reversed(list(signals))}
    return sorted(unique.values(), key=lambda s: (SEVERITY_ORDER.index(s.severity), s.event_key))


def review_on(plan: Mapping[str, Any]) -> date | None:
    value = plan.get("review_on")
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput("plan review_on", "a date (YYYY-MM-DD)") from None


def schedule(
    plan: Mapping[str, Any],
    last_taken: Mapping[str, date],
    *,
    today: date,
    rules: Rules | None = None,
) -> list[Due]:
    """Return the next due date of every measure the plan calls for, in the rules' order.

    A measure never taken is due today. A measure taken at each review is not listed once it
    has been taken for the coming review: its next date comes with the revised plan.
    """
    rules = rules or _default_rules()
    review = review_on(plan)
    dues = []
    for entry in rules.schedule:
        condition = rules.conditions[entry.when]
        if condition.holds(plan):
            due = _due(entry, condition, last_taken.get(entry.instrument), review, today, rules)
            if due is not None:
                dues.append(due)
    return dues


def _due(
    entry: Scheduled,
    condition: Condition,
    last: date | None,
    review: date | None,
    today: date,
    rules: Rules,
) -> Due | None:
    name = rules.name(entry.instrument)
    if entry.every_days is not None:
        due_on = today if last is None else last + timedelta(days=entry.every_days)
        every = "every day" if entry.every_days == 1 else f"every {entry.every_days} days"
        because = f"{condition.label}: {name} {every}"
    else:
        taken_for_review = (
            last is not None
            and review is not None
            and last >= review - timedelta(days=entry.window_days)
        )
        if review is None or taken_for_review:
            return None
        due_on = today if last is None else review
        because = f"{condition.label}: {name} at each plan review (the next on {review})"
    overdue = due_on + timedelta(days=entry.grace_days) < today
    return Due(entry.instrument, due_on, overdue, because, last)


def checkin_signals(
    checkin: DayCheckIn, previous: Sequence[DayCheckIn], *, rules: Rules | None = None
) -> list[Signal]:
    """What one new check-in raises at once: self-harm, a return to use, a craving spike."""
    rules = rules or _default_rules()
    earlier = [c for c in _by_day(previous) if c.day < checkin.day]
    return ordered(_on_checkin(checkin, earlier, rules))


def signals(
    *,
    checkins: Sequence[DayCheckIn],
    measures: Sequence[Measure],
    goals: Sequence[GoalState],
    plan: Mapping[str, Any] | None,
    last_taken: Mapping[str, date],
    today: date,
    rules: Rules | None = None,
) -> list[Signal]:
    """Every signal the person's recent history raises, most severe first.

    Events dated before the look-back window (monitoring.yaml) are history and raise nothing.
    Without a plan there is nothing scheduled, so no overdue or goal signal.
    """
    rules = rules or _default_rules()
    since = today - timedelta(days=rules.signals.lookback_days)
    history = [c for c in _by_day(checkins) if c.day <= today]
    found = [
        signal
        for i, checkin in enumerate(history)
        if checkin.day >= since
        for signal in _on_checkin(checkin, history[:i], rules)
    ]
    found += [
        *_missed(history, since, today, rules),
        *_flagged(measures, since, today, rules),
        *_worsening(measures, since, today, rules),
    ]
    if plan is not None:
        found += _overdue(plan, last_taken, today, rules)
        found += _stalled(goals, plan, today, rules)
    return ordered(found)


def _on_checkin(checkin: DayCheckIn, earlier: Sequence[DayCheckIn], rules: Rules) -> list[Signal]:
    return [
        s
        for s in (
            _self_harm(checkin, rules),
            _return_to_use(checkin, earlier, rules),
            _craving_spike(checkin, earlier, rules),
        )
        if s is not None
    ]


def _self_harm(checkin: DayCheckIn, rules: Rules) -> Signal | None:
    if not checkin.self_harm:
        return None
    return _signal(
        SignalKind.SUICIDAL_IDEATION,
        rules,
        f"checkin:{checkin.day}:self_harm",
        f"The check-in of {checkin.day} answered yes to thoughts of being better off dead "
        "or of hurting oneself.",
    )


def _return_to_use(
    checkin: DayCheckIn, earlier: Sequence[DayCheckIn], rules: Rules
) -> Signal | None:
    if not checkin.used:
        return None
    without = 0
    for previous in reversed(earlier):
        if previous.used:
            break
        without += 1
    if without < rules.signals.abstinent_checkins:
        return None
    return _signal(
        SignalKind.RETURN_TO_USE,
        rules,
        f"use:{checkin.day}",
        f"The check-in of {checkin.day} reports use after {without} check-ins in a row without "
        f"use (since {earlier[-without].day}).",
    )


def _craving_spike(
    checkin: DayCheckIn, earlier: Sequence[DayCheckIn], rules: Rules
) -> Signal | None:
    spec = rules.signals
    window = earlier[-spec.craving_window :]
    if len(window) < spec.craving_min_previous or checkin.craving < spec.craving_at_least:
        return None
    mean = sum(c.craving for c in window) / len(window)
    if checkin.craving - mean < spec.craving_above_mean_by:
        return None
    return _signal(
        SignalKind.CRAVING_SPIKE,
        rules,
        f"craving:{checkin.day}",
        f"Craving was {checkin.craving} out of 10 on {checkin.day}, {checkin.craving - mean:.1f} "
        f"above the mean of {mean:.1f} over the {len(window)} check-ins before it.",
    )


def _missed(history: Sequence[DayCheckIn], since: date, today: date, rules: Rules) -> list[Signal]:
    """One signal per run of missed days, keyed on its first day; today is not missed yet."""
    found = []
    for first, last in _gaps([c.day for c in history], today):
        days = (last - first).days + 1
        if days >= rules.signals.missed_days and last >= since:
            found.append(
                _signal(
                    SignalKind.MISSED_CHECKINS,
                    rules,
                    f"missed:{first}",
                    f"No check-in for {days} days in a row, from {first} to {last}; the last "
                    f"check-in was on {first - ONE_DAY}.",
                )
            )
    return found


def _gaps(days: Sequence[date], today: date) -> list[tuple[date, date]]:
    """Runs of days without a check-in after the first one, up to yesterday: (first, last)."""
    runs = []
    # Each check-in paired with the next one (the last with today); no check-in, no pairs.
    for before, after in zip(days, [*days[1:], today], strict=False):
        if (after - before).days > 1:
            runs.append((before + ONE_DAY, after - ONE_DAY))
    return runs


def _flagged(measures: Sequence[Measure], since: date, today: date, rules: Rules) -> list[Signal]:
    found = []
    for m in measures:
        flags = [f for f in m.flags if f in rules.signals.suicide_flags]
        if flags and since <= m.taken_on <= today:
            found.append(
                _signal(
                    SignalKind.SUICIDAL_IDEATION,
                    rules,
                    f"flag:{m.instrument}:{m.taken_on}",
                    f"{rules.name(m.instrument)} of {m.taken_on} was flagged by its scorer: "
                    + ", ".join(f.replace("_", " ") for f in flags)
                    + ".",
                )
            )
    return found


def _worsening(measures: Sequence[Measure], since: date, today: date, rules: Rules) -> list[Signal]:
    """Reliable worsening between the previous and the latest measure of each scale."""
    found = []
    for instrument, scale in sorted(rules.reliabilities):
        series = [
            (m.taken_on, value)
            for m in sorted(measures, key=lambda m: m.taken_on)
            if m.instrument == instrument
            and m.taken_on <= today
            and (value := value_of(m, scale)) is not None
        ]
        if len(series) < 2 or series[-1][0] < since:
            continue
        (first_on, before), (latest_on, after) = series[-2], series[-1]
        change = reliable_change(instrument, before, after, scale=scale, rules=rules)
        if change.direction is Direction.WORSENED:
            scale_key = "" if scale == TOTAL else f"{scale}:"
            moved, beyond = ("rose", "over") if after > before else ("fell", "under")
            bound = change.threshold if after > before else -change.threshold
            found.append(
                _signal(
                    SignalKind.RELIABLE_WORSENING,
                    rules,
                    f"rc:{instrument}:{scale_key}{latest_on}",
                    f"{rules.name(instrument, scale)} {moved} from {before} to {after} between "
                    f"{first_on} and {latest_on}; the reliable change index is "
                    f"{change.index:.2f} ({beyond} {bound:g}).",
                )
            )
    return found


def _overdue(
    plan: Mapping[str, Any], last_taken: Mapping[str, date], today: date, rules: Rules
) -> list[Signal]:
    # A late check-in is a missed check-in (its own signal), not an overdue re-assessment.
    return [
        _signal(
            SignalKind.OVERDUE_REASSESSMENT,
            rules,
            f"due:{due.instrument}:{due.due_on}",
            f"{rules.name(due.instrument)} was due on {due.due_on} and has not been taken "
            f"(last taken: {due.last_taken or 'never'}); scheduled because {due.because}.",
        )
        for due in schedule(plan, last_taken, today=today, rules=rules)
        if due.overdue and due.instrument != CHECKIN
    ]


def _stalled(
    goals: Sequence[GoalState], plan: Mapping[str, Any], today: date, rules: Rules
) -> list[Signal]:
    review = review_on(plan)
    if review is None or today < review:
        return []
    stalled = [g for g in goals if _no_progress(g)]
    if not stalled:
        return []
    return [
        _signal(
            SignalKind.GOALS_STALLED,
            rules,
            f"goals:{review}",
            f"By the review date {review}, {len(stalled)} of {len(goals)} goals showed no "
            "progress since the previous review: "
            + ", ".join(f"{g.goal_id} (due {g.due})" for g in stalled)
            + ".",
        )
    ]


def _no_progress(goal: GoalState) -> bool:
    # A goal already at 100% is reached, not stalled.
    if goal.percent is None:
        return True
    return goal.percent < 100 and goal.percent <= (goal.percent_at_start or 0)


def _signal(kind: SignalKind, rules: Rules, key: str, *reasons: str) -> Signal:
    return Signal(kind, rules.signals.severity[kind], key, reasons)


def _by_day(checkins: Iterable[DayCheckIn]) -> list[DayCheckIn]:
    """One check-in per day in date order; two on one day merge to the more worrying answers."""
    days: dict[date, DayCheckIn] = {}
    for c in checkins:
        seen = days.get(c.day)
        days[c.day] = (
            c
            if seen is None
            else DayCheckIn(
                c.day,
                max(c.craving, seen.craving),
                min(c.mood, seen.mood),
                c.used or seen.used,
                c.self_harm or seen.self_harm,
            )
        )
    return [days[d] for d in sorted(days)]


def _plan_texts(plan: Mapping[str, Any]) -> list[str]:
    texts = [r for d in plan.get("dimensions") or [] for r in d.get("reasons") or []]
    texts += [e for p in plan.get("problems") or [] for e in p.get("evidence") or []]
    return [str(t).lower() for t in texts]


def _default_rules() -> Rules:
    from trellis.knowledge.monitoring import rules

    return rules()
