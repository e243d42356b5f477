"""Score the standard instruments (contracts/instruments.md). Items, options, bands and flags
come from knowledge/instruments/*.yaml; the rules the published manuals add (skip logic,
triage) are in core/instrument_rules.py. No clinical number is written here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trellis.core.errors import InvalidInput

Response = int | bool | None | list[int]


@dataclass(frozen=True, slots=True)
class Option:
    value: int
    score: int
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    number: int
    text: str
    kind: str  # choice | yesno | range | scores | daylist
    options: tuple[Option, ...] = ()
    low: int = 0
    high: int = 0
    reverse: bool = False
    score_yes: int = 1
    critical: bool = False
    optional: bool = False
    unscored: bool = False
    count: int = 0
    loinc: str | None = None
    # Asked only when that earlier item was answered yes (DAST-10 items 2-10 after item 1).
    asked_if_yes: int | None = None

    def allowed(self) -> str:
        if self.kind == "yesno":
            return "yes or no (true or false)"
        if self.kind == "daylist":
            return f"a list of {self.count} day counts, each {self.low}-{self.high}"
        values = (
            [o.value for o in self.options]
            if self.options
            else list(range(self.low, self.high + 1))
        )
        return _describe(values)

    def accepts(self, value: Response) -> bool:
        if self.kind == "yesno":
            return isinstance(value, bool)
        if self.kind == "daylist":
            return (
                isinstance(value, list)
                and len(value) == self.count
                and all(_is_int(v) and self.low <= v <= self.high for v in value)
            )
        if not _is_int(value):
            return False
        if self.options:
            return any(o.value == value for o in self.options)
        return self.low <= value <= self.high  # type: ignore[operator]

    def points(self, value: Response) -> int:
        if value is None or self.unscored or self.kind == "daylist":
            return 0
        if self.kind == "yesno":
            return self.score_yes if (value is not self.reverse) else 0
        option = next((o for o in self.options if o.value == value), None)
        return option.score if option else int(value)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = ()
    flags: tuple[Mapping[str, Any], ...] = ()
    subscales: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    rule: str | None = None
    loinc_panel: str | None = None
    loinc_total: str | None = None
    source: str = ""
    terms: str = ""
    prompt: str = ""
    ages: tuple[int, int] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def band_for(self, total: int | None) -> str | None:
        if total is None:
            return None
        return next((b.label for b in self.bands if b.low <= total <= b.high), None)

    @property
    def required_count(self) -> int:
        return sum(1 for item in self.items if not item.optional)


@dataclass(frozen=True, slots=True)
class Score:
    instrument: str
    total: int | None
    band: str | None
    flags: tuple[str, ...] = ()
    subscales: Mapping[str, int] | None = None
    item_scores: tuple[int, ...] | None = None
    notes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The contract's result: fixed keys, then the instrument's own keys."""
        return {
            "instrument": self.instrument,
            "total": self.total,
            "band": self.band,
            "flags": list(self.flags),
            "subscales": dict(self.subscales) if self.subscales is not None else None,
            "item_scores": list(self.item_scores) if self.item_scores is not None else None,
            "notes": list(self.notes),
            **self.extra,
        }


def instrument(instrument_id: str) -> Instrument:
    from trellis.knowledge.instruments import catalog

    found = catalog().get(instrument_id)
    if found is None:
        raise InvalidInput("instrument", "one of " + ", ".join(instrument_ids()))
    return found


def instrument_ids() -> tuple[str, ...]:
    from trellis.knowledge.instruments import catalog

    return tuple(sorted(catalog()))


def score(
    instrument_id: str, responses: Sequence[Response], context: Mapping[str, Any] | None = None
) -> Score:
    """Score one response set exactly as the instrument's manual does; never guess a missing item."""
    from trellis.core import instrument_rules

    definition = instrument(instrument_id)
    answers = check_responses(definition, responses)
    rule = instrument_rules.RULES.get(definition.rule or "", instrument_rules.Default())
    rule.check(definition, answers)
    points = tuple(
        item.points(value) for item, value in zip(definition.items, answers, strict=True)
    )
    return rule.finish(definition, answers, points, dict(context or {}))


def check_responses(definition: Instrument, responses: Sequence[Response]) -> list[Response]:
    """Check the count and each answer's range; nulls are checked by the instrument's rule."""
    if isinstance(responses, str | bytes) or not isinstance(responses, Sequence):
        raise InvalidInput(f"{definition.id} responses", "a list of answers in item order")
    answers = list(responses)
    if not definition.required_count <= len(answers) <= len(definition.items):
        count = _count(definition)
        raise InvalidInput(
            f"{definition.id} responses",
            f"{count} responses",
            message=f"{definition.id} takes {count} responses",
        )
    answers += [None] * (len(definition.items) - len(answers))
    for item, value in zip(definition.items, answers, strict=True):
        if value is not None and not item.accepts(value):
            raise InvalidInput(f"{definition.id} item {item.number}", item.allowed())
    return answers


def default_flags(definition: Instrument, answers: Sequence[Response]) -> tuple[str, ...]:
    raised = []
    for spec in definition.flags:
        value = answers[spec["item"] - 1]
        if value is not None and not isinstance(value, list) and int(value) > spec["above"]:
            raised.append(spec["flag"])
    return tuple(raised)


def subscale_sums(definition: Instrument, points: Sequence[int]) -> dict[str, int] | None:
    if not definition.subscales:
        return None
    return {
        name: sum(points[n - 1] for n in numbers) for name, numbers in definition.subscales.items()
    }


def _count(definition: Instrument) -> str:
    low, high = definition.required_count, len(definition.items)
    return str(high) if low == high else f"{low} or {high}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(values: Sequence[int]) -> str:
    if list(values) == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]}"
    return ", ".join(str(v) for v in values[:-1]) + f" or {values[-1]}"
