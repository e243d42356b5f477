"""Is a service open now? Read from Open Referral HSDS 3.0 `schedule` rows (RFC 5545 words).

The answer has three values, and `None` means "unknown": a service whose hours are not given, or
are given in a way this module does not read, must be neither filtered out as closed nor shown as
open. Compare with `is True` / `is False`, never with `not`.

How a schedule row is read (Trellis's decisions where HSDS is silent):
- Days: `freq` WEEKLY with `byday` (e.g. "MO,TU"); DAILY is every day, limited to `byday` when it
  is given (RFC 5545); no `freq` with a `byday` is read as weekly. WEEKLY without `byday`, no
  `freq` and no `byday`, and any other `freq` (MONTHLY, YEARLY ...) are not read: unknown.
  `interval`, `count`, `until` and `dtstart` are not part of the input and are not read.
- Times: a service is open from `opens_at` up to, not including, `closes_at`. A `closes_at`
  earlier than `opens_at` is on the next day: FR 22:00-02:00 is open on Saturday at 01:00. A
  `closes_at` of 00:00 is midnight at the end of the day. `closes_at` equal to `opens_at` means
  24 hours from `opens_at` (00:00-00:00 is the whole day; HSDS has no 24:00). Missing either time:
  unknown.
- Time zone, first found wins: the UTC offset written on the times themselves (HSDS asks times to
  carry one, e.g. 09:00-05:00); the schedule's `timezone` (HSDS 3.0: a UTC offset in hours such
  as -6 or 5.5, taken literally, so it has no daylight saving time); the directory's zone, which
  does. HSDS says times without a zone are UTC; for a local directory its own zone is the better
  guess, so the caller passes it.
- `valid_from` / `valid_to` (inclusive) bound the day an opening starts, in the service's zone: an
  overnight opening that starts on `valid_to` still runs past midnight.
- Daylight saving time: times are wall-clock times in the zone. On the spring-forward day a time in
  the skipped hour (02:30 in America/Chicago) falls an hour later; on the fall-back day a repeated
  time means its first occurrence.
- Several rows: open if any row says open; closed only if every row was read and none is open.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from numbers import Real
from typing import Protocol

from trellis.core.errors import InvalidInput

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # in date.weekday() order
READ_FREQS = frozenset({"WEEKLY", "DAILY"})
# Real UTC offsets run from UTC-12:00 (Baker Island) to UTC+14:00 (Line Islands).
MIN_OFFSET_HOURS, MAX_OFFSET_HOURS = -12, 14


class Schedule(Protocol):
    """The HSDS 3.0 `schedule` fields this module reads; any object with them will do."""

    @property
    def freq(self) -> str | None: ...
    @property
    def byday(self) -> str | None: ...
    @property
    def opens_at(self) -> time | None: ...
    @property
    def closes_at(self) -> time | None: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...
    @property
    def timezone(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Hours:
    """A ready-made `Schedule`, for callers and tests that do not have an HSDS row at hand."""

    freq: str | None = None
    byday: str | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    timezone: float | None = None


def is_open(schedules: Iterable[Schedule], now: datetime, fallback_tz: tzinfo) -> bool | None:
    """True if any schedule is open at `now`, False if every one was read and none is, else None.

    `now` may be in any zone; `fallback_tz` is the directory's zone (a `zoneinfo.ZoneInfo`) for
    schedules that give none. No schedules at all is unknown (None), not closed.
    """
    if now.utcoffset() is None:
        raise InvalidInput("now", "a timezone-aware datetime")
    answers = [_open_by(schedule, now, fallback_tz) for schedule in schedules]
    if any(answer is True for answer in answers):
        return True
    if not answers or any(answer is None for answer in answers):
        return None
    return False


def _open_by(schedule: Schedule, now: datetime, fallback_tz: tzinfo) -> bool | None:
    days = _days(schedule)
    opens, closes = schedule.opens_at, schedule.closes_at
    if days is None or opens is None or closes is None:
        return None
    zone = _zone(schedule, opens, closes, fallback_tz)
    _check_validity(schedule)
    today = now.astimezone(zone).date()
    # An opening lasts at most 24 hours of wall-clock time, so only yesterday's and today's can
    # cover `now`.
    return any(
        _covers(day, opens, closes, zone, now)
        for day in (today - timedelta(days=1), today)
        if day.weekday() in days and _valid_on(schedule, day)
    )


def _covers(day: date, opens: time, closes: time, zone: tzinfo, now: datetime) -> bool:
    opens, closes = opens.replace(tzinfo=None), closes.replace(tzinfo=None)
    start = datetime.combine(day, opens, tzinfo=zone)
    end_day = day + timedelta(days=1) if closes <= opens else day
    end = datetime.combine(end_day, closes, tzinfo=zone)
    # Compare in UTC: datetimes sharing one tzinfo compare by wall clock, which is wrong across a
    # daylight-saving change.
    return start.astimezone(UTC) <= now.astimezone(UTC) < end.astimezone(UTC)


def _days(schedule: Schedule) -> frozenset[int] | None:
    """Weekday numbers (Monday 0) the schedule opens on, or None when it cannot be read."""
    freq = (schedule.freq or "").strip().upper()
    byday = (schedule.byday or "").strip()
    if freq and freq not in READ_FREQS:
        return None
    if not byday:
        return frozenset(range(7)) if freq == "DAILY" else None
    return _parse_byday(byday)


def _parse_byday(byday: str) -> frozenset[int]:
    codes = [part.strip().upper() for part in byday.split(",")]
    if not all(code in DAY_CODES for code in codes):
        raise InvalidInput(
            "schedule byday", "comma-separated day codes from " + ", ".join(DAY_CODES)
        )
    return frozenset(DAY_CODES.index(code) for code in codes)


def _zone(schedule: Schedule, opens: time, closes: time, fallback_tz: tzinfo) -> tzinfo:
    written = {t.tzinfo for t in (opens, closes) if t.tzinfo is not None}
    if len(written) > 1:
        raise InvalidInput("schedule closes_at", "in the same time zone as opens_at")
    if written:
        return written.pop()
    if schedule.timezone is not None:
        return timezone(timedelta(hours=_offset_hours(schedule.timezone)))
    return fallback_tz


def _offset_hours(value: object) -> float:
    allowed = f"a UTC offset in hours from {MIN_OFFSET_HOURS} to {MAX_OFFSET_HOURS}"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidInput("schedule timezone", allowed)
    hours = float(value)
    if not math.isfinite(hours) or not MIN_OFFSET_HOURS <= hours <= MAX_OFFSET_HOURS:
        raise InvalidInput("schedule timezone", allowed)
    return hours


def _check_validity(schedule: Schedule) -> None:
    start, end = schedule.valid_from, schedule.valid_to
    if start is not None and end is not None and end < start:
        raise InvalidInput("schedule valid_to", "on or after valid_from")


def _valid_on(schedule: Schedule, day: date) -> bool:
    start, end = schedule.valid_from, schedule.valid_to
    return (start is None or start <= day) and (end is None or day <= end)
