"""Healthy-lifestyle logs (sleep, exercise, nutrition) summed up by week (Monday to Sunday).

The weekly exercise figure is set beside the 150 minutes of moderate activity a week that the
Physical Activity Guidelines for Americans, 2nd edition (US HHS, 2018) give for adults.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from trellis.core.errors import InvalidInput

EXERCISE_GUIDELINE_MINUTES = 150
KINDS = ("sleep", "exercise", "nutrition")
LIMITS = {
    "sleep": (Decimal(0), Decimal(24)),  # hours slept that night
    "exercise": (Decimal(1), Decimal(600)),  # minutes
    "nutrition": (Decimal(0), Decimal(20)),  # servings of fruit and vegetables that day
}


@dataclass(frozen=True)
class Log:
    kind: str
    on: date
    amount: Decimal
    meals: int | None = None  # nutrition only: meals eaten that day


@dataclass(frozen=True)
class Week:
    starts: date
    sleep_nights: int
    sleep_mean_hours: Decimal | None
    exercise_minutes: Decimal
    exercise_sessions: int
    nutrition_days: int
    servings_per_day: Decimal | None
    meals_per_day: Decimal | None

    @property
    def meets_exercise_guideline(self) -> bool:
        return self.exercise_minutes >= EXERCISE_GUIDELINE_MINUTES


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(logs: Iterable[Log]) -> list[Week]:
    """One summary per week that has any log, most recent first."""
    weeks: dict[date, list[Log]] = defaultdict(list)
    for log in logs:
        weeks[week_start(log.on)].append(log)
    return [_summary(start, weeks[start]) for start in sorted(weeks, reverse=True)]


def _summary(start: date, logs: list[Log]) -> Week:
    sleep = _per_day([x for x in logs if x.kind == "sleep"], lambda x: x.amount)
    exercise = [x for x in logs if x.kind == "exercise"]
    food = [x for x in logs if x.kind == "nutrition"]
    servings = _per_day(food, lambda x: x.amount)
    meals = _per_day([x for x in food if x.meals is not None], lambda x: Decimal(x.meals or 0))
    return Week(
        starts=start,
        sleep_nights=len(sleep),
        sleep_mean_hours=_mean(sleep.values()),
        exercise_minutes=sum((x.amount for x in exercise), Decimal(0)),
        exercise_sessions=len(exercise),
        nutrition_days=len(servings),
        servings_per_day=_mean(servings.values()),
        meals_per_day=_mean(meals.values()),
    )


def _per_day(logs: list[Log], amount) -> dict[date, Decimal]:
    """Sum each day's logs (two naps are one night's sleep), so the mean is per day."""
    days: dict[date, Decimal] = defaultdict(Decimal)
    for log in logs:
        days[log.on] += amount(log)
    return dict(days)


def _mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def check_self_care_outcome(planned_for: date, today: date) -> None:
    """Whether a planned self-care activity happened can be said once its day has come."""
    if planned_for > today:
        raise InvalidInput("happened", "said once the activity's day has come")
