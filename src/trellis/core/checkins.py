"""The daily check-in and the trigger and craving journal: what is allowed, and when to offer help.

Validation returns every problem at once, keyed by field, so a page can put each message next
to its field and the API can name the first; nothing here touches storage or the clock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from trellis.core.errors import InvalidInput

SCALE = range(0, 11)  # craving, mood and "how much it helped" are 0-10
MAX_SLEEP_HOURS = Decimal(24)
MAX_TEXT = 4000
# Just-in-time support: a craving of 7 or more, or any use, brings the person's own help forward.
SUPPORT_CRAVING = 7


@dataclass(frozen=True)
class CopingUse:
    code: str
    helped: int


@dataclass(frozen=True)
class CheckIn:
    day: date
    craving: int
    mood: int
    sleep_hours: Decimal
    used: bool
    use_amount: str = ""
    triggers: tuple[str, ...] = ()
    coping: tuple[CopingUse, ...] = ()
    note: str = ""
    # The safety question (PHQ-9 item 9's words, Kroenke 2001): yes raises an urgent alert.
    self_harm: bool = False


@dataclass(frozen=True)
class JournalEntry:
    at: datetime
    craving: int
    triggers: tuple[str, ...] = ()
    situation: str = ""
    coping: tuple[CopingUse, ...] = ()
    text: str = ""


@dataclass
class Problems:
    """Field → what is allowed. Empty when the input is good."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, allowed: str) -> None:
        self.by_field.setdefault(name, allowed)

    def raise_first(self) -> None:
        if self.by_field:
            name, allowed = next(iter(self.by_field.items()))
            raise InvalidInput(name, allowed)


def needs_support(craving: int, used: bool, self_harm: bool = False) -> bool:
    return used or self_harm or craving >= SUPPORT_CRAVING


def check_checkin(
    data: Mapping[str, Any],
    *,
    today: date,
    triggers: Collection[str],
    coping: Collection[str],
) -> tuple[CheckIn | None, Problems]:
    """Validate a check-in document; return it, or None and the problems by field."""
    problems = Problems()
    day = _day(data.get("date"), "date", today, problems)
    craving = _scale(data.get("craving"), "craving", problems)
    mood = _scale(data.get("mood"), "mood", problems)
    sleep = _hours(data.get("sleep_hours"), "sleep_hours", problems)
    used = _flag(data.get("used"), "used", problems)
    amount = _text(data.get("use_amount"), "use_amount", problems, max_length=200)
    if used and not amount:
        problems.add("use_amount", "how much was used, when there was use (for example '2 drinks')")
    if used is False and amount:
        problems.add("use_amount", "empty when there was no use")
    chosen = _codes(data.get("triggers"), "triggers", triggers, problems)
    uses = _coping(data.get("coping"), "coping", coping, problems)
    note = _text(data.get("note"), "note", problems)
    self_harm = _flag(data.get("self_harm", False), "self_harm", problems)
    if problems.by_field:
        return None, problems
    if day is None or craving is None or mood is None or sleep is None or used is None:
        raise AssertionError("checked above")
    return (
        CheckIn(day, craving, mood, sleep, bool(used), amount, chosen, uses, note, bool(self_harm)),
        problems,
    )


def check_journal(
    data: Mapping[str, Any],
    *,
    now: datetime,
    triggers: Collection[str],
    coping: Collection[str],
) -> tuple[JournalEntry | None, Problems]:
    """Validate a journal entry: when (not in the future), craving 0-10, triggers, what helped."""
    problems = Problems()
    at = data.get("at")
    if not isinstance(at, datetime):
        problems.add("at", "a date and time")
    elif at > now:
        problems.add("at", "a date and time that is not in the future")
    craving = _scale(data.get("craving"), "craving", problems)
    chosen = _codes(data.get("triggers"), "triggers", triggers, problems)
    situation = _text(data.get("situation"), "situation", problems)
    uses = _coping(data.get("coping"), "coping", coping, problems)
    text = _text(data.get("text"), "text", problems)
    if not (situation or text or chosen):
        problems.add("text", "some words about what happened, or at least one trigger")
    if problems.by_field:
        return None, problems
    if not isinstance(at, datetime) or craving is None:
        raise AssertionError("checked above")
    return JournalEntry(at, craving, chosen, situation, uses, text), problems


def _day(value: Any, name: str, today: date, problems: Problems) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, datetime) or not isinstance(value, date):
        problems.add(name, "a date (YYYY-MM-DD)")
        return None
    if value > today:
        problems.add(name, "today or an earlier date, not a date in the future")
        return None
    return value


def _scale(value: Any, name: str, problems: Problems) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        problems.add(name, "a whole number from 0 to 10")
        return None
    return value


def _hours(value: Any, name: str, problems: Problems) -> Decimal | None:
    try:
        hours = Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite() or not (0 <= hours <= MAX_SLEEP_HOURS):
        problems.add(name, "a number of hours from 0 to 24")
        return None
    return hours.quantize(Decimal("0.1"))


def _flag(value: Any, name: str, problems: Problems) -> bool | None:
    if not isinstance(value, bool):
        problems.add(name, "yes or no (true or false)")
        return None
    return value


def _text(value: Any, name: str, problems: Problems, *, max_length: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > max_length:
        problems.add(name, f"text of at most {max_length} characters")
        return ""
    return value.strip()


def _codes(value: Any, name: str, allowed: Collection[str], problems: Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or any(v not in allowed for v in value):
        problems.add(name, "a list of codes from: " + ", ".join(sorted(allowed)))
        return ()
    return tuple(dict.fromkeys(value))


def _coping(
    value: Any, name: str, allowed: Collection[str], problems: Problems
) -> tuple[CopingUse, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        problems.add(name, "a list of {code, helped} with helped 0-10")
        return ()
    uses: dict[str, CopingUse] = {}
    for item in value:
        code = item.get("code") if isinstance(item, Mapping) else None
        helped = item.get("helped") if isinstance(item, Mapping) else None
        if code not in allowed:
            problems.add(name, "coping codes from: " + ", ".join(sorted(allowed)))
            return ()
        if isinstance(helped, bool) or not isinstance(helped, int) or helped not in SCALE:
            problems.add(name, f"how much {code} helped, a whole number from 0 to 10")
            return ()
        uses[code] = CopingUse(code, helped)
    return tuple(uses.values())
