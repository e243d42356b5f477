"""SMART goals: a goal is saved only when it is specific, measurable, attainable, relevant and
time-bound. Each missing part is named, so the page can say what to add next to the field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from trellis.core.checkins import Problems

MIN_SPECIFIC = 8  # characters: "Walk daily" is specific enough, "be better" is not


@dataclass(frozen=True)
class Goal:
    statement: str  # specific: what, where, with whom
    measure: str  # measurable: what is counted
    target: str  # measurable: the number or state that means done
    confidence: int  # attainable: 0-10, the person's own confidence
    reason: str  # relevant: why it matters to them
    due: date  # time-bound


def check_goal(
    data: Mapping[str, Any], *, today: date, parent_due: date | None = None
) -> tuple[Goal | None, Problems]:
    problems = Problems()
    statement = _words(data.get("statement"))
    if len(statement) < MIN_SPECIFIC:
        problems.add("statement", "specific: say what you will do (at least 8 characters)")
    measure = _words(data.get("measure"))
    if not measure:
        problems.add("measure", "measurable: what you will count or check")
    target = _words(data.get("target"))
    if not target:
        problems.add(
            "target", "measurable: the target that means done (for example '3 times a week')"
        )
    confidence = data.get("confidence")
    if isinstance(confidence, bool) or not isinstance(confidence, int) or not 0 <= confidence <= 10:
        problems.add("confidence", "attainable: how sure you are you can do it, 0 to 10")
        confidence = None
    reason = _words(data.get("reason"))
    if not reason:
        problems.add("reason", "relevant: why this goal matters to you")
    due = data.get("due")
    if isinstance(due, str):
        try:
            due = date.fromisoformat(due)
        except ValueError:
            due = None
    if not isinstance(due, date):
        problems.add("due", "time-bound: a date to reach it by")
    elif due < today:
        problems.add("due", "time-bound: today or a later date")
    elif parent_due is not None and due > parent_due:
        problems.add("due", "a date on or before the long-term goal's date")
    if problems.by_field:
        return None, problems
    if not isinstance(due, date) or not isinstance(confidence, int):
        raise AssertionError("checked above")
    return Goal(statement, measure, target, confidence, reason, due), problems


def _words(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
