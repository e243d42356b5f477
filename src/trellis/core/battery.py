"""The adaptive intake battery: what to ask next, and how many items that spares.

A negative screen (PHQ-2, GAD-2, AUDIT-C) stands in for its full instrument unless the clinician
asks for the full one; a "no" to DAST-10 item 1 leaves its other nine unasked; the intake's trauma
question gates the PCL-5. Rules are data (knowledge/battery.yaml); cut-offs are the instruments'
own bands.

The full battery is every instrument that applies to the person's age and the site's settings,
each in full; a gate question answered "no" counts as one item asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trellis.core.instruments import instrument, score

Responses = Sequence[int | bool | None]


class StepState(StrEnum):
    TO_SCREEN = "to_screen"  # ask the short screen
    TO_ASK = "to_ask"  # ask the full instrument (or its remaining items)
    SCREENED_OUT = "screened_out"  # negative screen: the full instrument is skipped
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class Step:
    instrument: str
    state: StepState
    screen: str | None
    items_asked: int
    items_full: int
    # Items of the full instrument already answered by its screen (they come first).
    shared_items: int = 0

    @property
    def next_instrument(self) -> str | None:
        return {StepState.TO_SCREEN: self.screen, StepState.TO_ASK: self.instrument}.get(self.state)


@dataclass(frozen=True, slots=True)
class Battery:
    steps: tuple[Step, ...]

    @property
    def items_asked(self) -> int:
        return sum(s.items_asked for s in self.steps)

    @property
    def items_full(self) -> int:
        return sum(s.items_full for s in self.steps if s.state is not StepState.NOT_APPLICABLE)

    @property
    def complete(self) -> bool:
        return all(
            s.state in (StepState.DONE, StepState.SCREENED_OUT, StepState.NOT_APPLICABLE)
            for s in self.steps
        )

    def step(self, instrument_id: str) -> Step:
        return next(
            s for s in self.steps if s.instrument == instrument_id or s.screen == instrument_id
        )


def plan(
    rules: Sequence[Mapping[str, Any]],
    document: Mapping[str, Any],
    *,
    requested_in_full: Sequence[str] = (),
    settings: Mapping[str, bool] | None = None,
) -> Battery:
    """Return where each instrument of the battery stands for this intake document."""
    answers = document.get("instruments") or {}
    context = _context(document, settings or {})
    return Battery(tuple(_step(rule, answers, context, set(requested_in_full)) for rule in rules))


def _context(document: Mapping[str, Any], settings: Mapping[str, bool]) -> dict[str, Any]:
    person = document.get("person") or {}
    mental = document.get("mental_health") or {}
    trauma = mental.get("trauma_history")
    return {
        "age": person.get("age"),
        "sex": person.get("sex_at_birth"),
        # None until the trauma question is answered: the PCL-5 waits for it.
        "trauma_history": True
        if trauma or "ptsd" in (mental.get("diagnoses") or [])
        else (None if trauma is None else False),
        **settings,
    }


def _applies(rule: Mapping[str, Any], context: Mapping[str, Any], requested: set[str]) -> bool:
    """Whether the instrument belongs to this person's battery at all (age, site settings)."""
    if rule["id"] in requested:
        return True
    low, high = rule.get("ages", (0, 200))
    age = context.get("age")
    if age is not None and not low <= age <= high:
        return False
    if rule.get("only_setting") and not context.get(rule["only_setting"]):
        return False
    return not (rule.get("unless_setting") and context.get(rule["unless_setting"]))


def _gate(rule: Mapping[str, Any], context: Mapping[str, Any], requested: set[str]) -> bool | None:
    """The answer to the step's gate question: True (or no gate), False, or None (not yet asked)."""
    if not rule.get("when") or rule["id"] in requested:
        return True
    answer = context.get(rule["when"])
    return None if answer is None else bool(answer)


def _step(
    rule: Mapping[str, Any],
    answers: Mapping[str, Responses],
    context: Mapping[str, Any],
    requested: set[str],
) -> Step:
    full_id, screen_id = rule["id"], rule.get("screen")
    full = len(instrument(full_id).items)
    shared = int(rule.get("shared_items", 0))
    gate = _gate(rule, context, requested)
    if not _applies(rule, context, requested) or gate is None:
        return Step(full_id, StepState.NOT_APPLICABLE, screen_id, 0, full, shared)
    if gate is False and full_id not in answers:
        return Step(full_id, StepState.SCREENED_OUT, screen_id, 1, full, shared)
    if full_id in answers:
        asked = sum(1 for a in answers[full_id] if a is not None) if screen_id is None else full
        if _gated_out(rule, answers[full_id]):
            state = StepState.TO_ASK if full_id in requested else StepState.SCREENED_OUT
            return Step(full_id, state, screen_id, asked, full, shared)
        return Step(full_id, StepState.DONE, screen_id, asked, full, shared)
    if screen_id is None or full_id in requested:
        return Step(
            full_id,
            StepState.TO_ASK,
            screen_id,
            shared if screen_id in answers else 0,
            full,
            shared,
        )
    if screen_id not in answers:
        return Step(full_id, StepState.TO_SCREEN, screen_id, 0, full, shared)
    asked = len(answers[screen_id])
    positive = (
        score(screen_id, answers[screen_id], _score_context(screen_id, context)).band == "positive"
    )
    return Step(
        full_id,
        StepState.TO_ASK if positive else StepState.SCREENED_OUT,
        screen_id,
        asked,
        full,
        shared,
    )


def _gated_out(rule: Mapping[str, Any], responses: Responses) -> bool:
    """A "no" to the instrument's own gate item left the items after it unasked (DAST-10 item 1)."""
    gate = rule.get("gate_item")
    return bool(gate) and responses[gate - 1] is False and all(a is None for a in responses[gate:])


def _score_context(instrument_id: str, context: Mapping[str, Any]) -> dict[str, Any]:
    sex = context.get("sex")
    return {"sex": sex} if instrument_id == "auditc" and sex in ("female", "male") else {}


def simulate(
    rules: Sequence[Mapping[str, Any]],
    document: Mapping[str, Any],
    full: Mapping[str, Responses],
    *,
    settings: Mapping[str, bool] | None = None,
) -> tuple[dict[str, Any], Battery]:
    """Run the adaptive intake against a person's answers to the full battery.

    Return the document with the answers the adaptive intake would have collected, and the
    final battery (its item counts). `full` holds every applicable full instrument's answers.
    """
    current = {**document, "instruments": dict(document.get("instruments") or {})}
    for _ in range(2 * len(rules) + 1):
        battery = plan(rules, current, settings=settings)
        step = next((s for s in battery.steps if s.next_instrument), None)
        if step is None:
            return current, battery
        answers = full[step.instrument]
        asked = (
            list(answers[: step.shared_items])
            if step.state is StepState.TO_SCREEN
            else list(answers)
        )
        current["instruments"][step.next_instrument] = asked  # type: ignore[index]
    raise RuntimeError(
        "the battery did not finish"
    )  # pragma: no cover - every step ends in DONE or SCREENED_OUT
