"""Stored HSDS schedules (JSON, as the specification writes them) back into opening hours."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any

from trellis.core.opening_hours import Hours

KEYS = ("freq", "byday", "opens_at", "closes_at", "valid_from", "valid_to", "timezone")


def as_schedules(rows: Iterable[Mapping[str, Any]]) -> list[Hours]:
    return [_hours(row) for row in rows or ()]


def _hours(row: Mapping[str, Any]) -> Hours:
    return Hours(
        freq=row.get("freq") or None,
        byday=row.get("byday") or None,
        opens_at=_time(row.get("opens_at")),
        closes_at=_time(row.get("closes_at")),
        valid_from=_date(row.get("valid_from")),
        valid_to=_date(row.get("valid_to")),
        timezone=row.get("timezone"),
    )


def _time(value: Any) -> time | None:
    return time.fromisoformat(value) if value else None


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None
