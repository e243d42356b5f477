"""The recovery timeline: days since the chosen start date, milestones, and an honest history.

A return to use closes the current count; it never deletes it. Days counted before still count
(`total_days`), and the person picks when the new count starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

MILESTONES = (1, 7, 30, 60, 90, 180, 365)
START, RETURN = "start", "return"


@dataclass(frozen=True)
class Event:
    kind: str  # "start" (counting begins) or "return" (a return to use on that day)
    on: date


@dataclass(frozen=True)
class Streak:
    start: date
    end: date | None  # the day of the return to use; None while the count is running
    days: int


@dataclass(frozen=True)
class Timeline:
    current: Streak | None
    past: list[Streak]  # most recent first
    total_days: int  # days counted across every streak, past and current
    reached: list[int]  # milestones reached in the current count
    next_milestone: int | None
    days_to_next: int | None

    @property
    def days(self) -> int:
        return self.current.days if self.current else 0


def milestones_upto(days: int) -> list[int]:
    """Milestones reached by `days`: 1, 7, 30, 60, 90, 180, 365, then every further year."""
    reached = [m for m in MILESTONES if m <= days]
    reached += [365 * year for year in range(2, days // 365 + 1)]
    return reached


def next_milestone(days: int) -> int:
    for m in MILESTONES:
        if m > days:
            return m
    return 365 * (days // 365 + 1)


def timeline(events: Iterable[Event], today: date) -> Timeline:
    """Fold the events in date order; a return on the same day as a start comes first."""
    ordered = sorted(events, key=lambda e: (e.on, 0 if e.kind == RETURN else 1))
    past: list[Streak] = []
    opened: date | None = None
    for event in ordered:
        if event.on > today:
            continue
        if event.kind == START and opened is None:
            opened = event.on
        elif event.kind == RETURN and opened is not None:
            past.append(Streak(opened, event.on, max((event.on - opened).days, 0)))
            opened = None
    current = Streak(opened, None, (today - opened).days) if opened is not None else None
    days = current.days if current else 0
    nxt = next_milestone(days) if current else None
    return Timeline(
        current=current,
        past=list(reversed(past)),
        total_days=sum(s.days for s in past) + days,
        reached=milestones_upto(days),
        next_milestone=nxt,
        days_to_next=(nxt - days) if nxt is not None else None,
    )


def milestone_date(start: date, milestone: int) -> date:
    return start + timedelta(days=milestone)
