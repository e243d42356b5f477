"""Insights a person gets from their own check-ins and journal: what sets cravings off, when
they are strongest, and what helps. Plain counts and means, so a person can check them by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

from trellis.core.checkins import CheckIn, CopingUse, JournalEntry

# Times of day by the hour an entry was written (local time): [start, end).
TIMES_OF_DAY = (("night", 0, 6), ("morning", 6, 12), ("afternoon", 12, 18), ("evening", 18, 24))
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Tally:
    """One row of an insight: `key` (a trigger, time, day or coping code), how often, and a mean."""

    key: str
    count: int
    mean: float


@dataclass(frozen=True)
class Insights:
    triggers: list[Tally]  # most frequent first; mean = mean craving when it was named
    times_of_day: list[Tally]  # riskiest first (mean craving in journal entries)
    days_of_week: list[Tally]  # riskiest first (mean craving in check-ins and journal entries)
    coping: list[Tally]  # most helpful first (mean "how much it helped", 0-10)

    @property
    def empty(self) -> bool:
        return not (self.triggers or self.times_of_day or self.days_of_week or self.coping)


def insights(checkins: Iterable[CheckIn], journal: Iterable[JournalEntry]) -> Insights:
    checkins, journal = list(checkins), list(journal)
    return Insights(
        triggers=frequent_triggers(checkins, journal),
        times_of_day=riskiest_times(journal),
        days_of_week=riskiest_days(checkins, journal),
        coping=most_helpful(checkins, journal),
    )


def frequent_triggers(checkins: list[CheckIn], journal: list[JournalEntry]) -> list[Tally]:
    cravings: dict[str, list[int]] = defaultdict(list)
    for record in [*checkins, *journal]:
        for code in record.triggers:
            cravings[code].append(record.craving)
    return _ranked(cravings, by_count=True)


def riskiest_times(journal: list[JournalEntry]) -> list[Tally]:
    cravings: dict[str, list[int]] = defaultdict(list)
    for entry in journal:
        cravings[time_of_day(entry.at.hour)].append(entry.craving)
    return _ranked(cravings, by_count=False)


def riskiest_days(checkins: list[CheckIn], journal: list[JournalEntry]) -> list[Tally]:
    cravings: dict[str, list[int]] = defaultdict(list)
    for checkin in checkins:
        cravings[DAYS[checkin.day.weekday()]].append(checkin.craving)
    for entry in journal:
        cravings[DAYS[entry.at.weekday()]].append(entry.craving)
    return _ranked(cravings, by_count=False)


def most_helpful(checkins: list[CheckIn], journal: list[JournalEntry]) -> list[Tally]:
    helped: dict[str, list[int]] = defaultdict(list)
    uses: Iterable[CopingUse] = (u for r in [*checkins, *journal] for u in r.coping)
    for use in uses:
        helped[use.code].append(use.helped)
    return _ranked(helped, by_count=False)


def time_of_day(hour: int) -> str:
    return next(name for name, start, end in TIMES_OF_DAY if start <= hour < end)


def _ranked(values: dict[str, list[int]], *, by_count: bool) -> list[Tally]:
    """Order by count then mean (`by_count`) or by mean then count; ties by key, for stable output."""
    rows = [Tally(key, len(v), round(fmean(v), 1)) for key, v in values.items() if v]
    if by_count:
        return sorted(rows, key=lambda t: (-t.count, -t.mean, t.key))
    return sorted(rows, key=lambda t: (-t.mean, -t.count, t.key))


def top(tallies: list[Tally], n: int = 3, *, minimum: float = 0.0) -> list[Tally]:
    """The first `n` rows of an already ranked insight whose mean reaches `minimum`."""
    return [t for t in tallies if t.mean >= minimum][:n]


def top_codes(tallies: list[Tally], n: int = 3, *, minimum: float = 0.0) -> list[str]:
    return [t.key for t in top(tallies, n, minimum=minimum)]
