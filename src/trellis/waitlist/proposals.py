"""Call the allocation core on a run's snapshot, and apply the supervisor's changes on top of the
policy's proposal. No rule is decided here: appropriateness is `core.allocation.appropriate`, and
the reports (reasons, expected waits, unmet need, fairness) are `core.allocation.report`'s."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from trellis.core.allocation import (
    Allocation,
    Assignment,
    Policy,
    Program,
    Request,
    Unplaced,
    appropriate,
    parse_capacity,
    parse_requests,
)
from trellis.core.allocation.report import compare, report
from trellis.core.errors import InvalidInput
from trellis.core.geo import distance_km

LEFT_WAITING = "left waiting by the supervisor"


@dataclass(frozen=True)
class Inputs:
    requests: tuple[Request, ...]
    programs: tuple[Program, ...]
    today: date
    turnover_per_week: Mapping[str, float]

    @classmethod
    def of(cls, snapshot: Mapping[str, Any]) -> Inputs:
        return cls(
            parse_requests(snapshot["requests"]),
            parse_capacity(snapshot["capacity"]),
            date.fromisoformat(snapshot["today"]),
            snapshot.get("turnover_per_week") or {},
        )

    def request(self, request_id: str) -> Request:
        return next(r for r in self.requests if r.id == request_id)

    def program(self, program_id: str) -> Program | None:
        return next((p for p in self.programs if p.id == program_id), None)


def compare_policies(snapshot: Mapping[str, Any], *, equity_floor: float) -> dict[str, Any]:
    """The core's comparison of the three policies, each run also with the floor it held."""
    inputs = Inputs.of(snapshot)
    comparison = compare(
        inputs.requests,
        inputs.programs,
        equity_floor=equity_floor,
        today=inputs.today,
        turnover_per_week=inputs.turnover_per_week,
    )
    result = comparison.as_dict()
    for policy, run in comparison.runs.items():
        result["runs"][str(policy)]["floor_held"] = run.allocation.floor_held
    return result


def placements(made: Mapping[str, Any]) -> dict[str, str]:
    """{request id: program id} of a report document."""
    return {p["request"]: p["program"] for p in made["placements"]}


def move(
    snapshot: Mapping[str, Any],
    made: Mapping[str, Any],
    request_id: str,
    to_program: str | None,
) -> dict[str, Any]:
    """The report `made` with one person moved to `to_program` (None: left waiting), re-made by
    the core so that reasons, waits, unmet need and fairness all reflect the change."""
    inputs = Inputs.of(snapshot)
    placed = placements(made)
    check_move(inputs, placed, request_id, to_program)
    placed.pop(request_id, None)
    if to_program is not None:
        placed[request_id] = to_program
    reasons = {u["request"]: u["reason"] for u in made["unplaced"]}
    allocation = _allocation(inputs, made, placed, reasons)
    return report(
        inputs.requests,
        inputs.programs,
        allocation,
        today=inputs.today,
        turnover_per_week=inputs.turnover_per_week,
    ).as_dict()


def _allocation(
    inputs: Inputs, made: Mapping[str, Any], placed: Mapping[str, str], reasons: Mapping[str, str]
) -> Allocation:
    """An Allocation holding what `report` reads: the assignments and the unplaced with reasons.
    Its solver figures (bound, fairness) are left empty: a changed proposal has none."""
    return Allocation(
        policy=Policy(made["policy"]),
        equity_floor=made["equity_floor"],
        assignments=tuple(
            Assignment(r.id, placed[r.id], distance(inputs, r.id, placed[r.id]))
            for r in inputs.requests
            if r.id in placed
        ),
        unplaced=tuple(
            Unplaced(r.id, reasons.get(r.id, LEFT_WAITING))
            for r in inputs.requests
            if r.id not in placed
        ),
        objective=math.fsum(r.need_weight for r in inputs.requests if r.id in placed),
        bound=None,
        fairness={},
        worst_ratio=math.nan,
        feasible=False,
    )


def check_move(
    inputs: Inputs, placed: Mapping[str, str], request_id: str, to_program: str | None
) -> None:
    """Refuse a move to a program that is not appropriate for the person or has no free place."""
    if to_program is None:
        if request_id not in placed:
            raise InvalidInput("to_program", "a program, for someone who is already waiting")
        return
    program = inputs.program(to_program)
    if program is None:
        raise InvalidInput("to_program", "a program of this run, or leave waiting")
    if placed.get(request_id) == to_program:
        raise InvalidInput("to_program", "a program other than the one already proposed")
    if not appropriate(inputs.request(request_id), program):
        raise InvalidInput(
            "to_program",
            "an appropriate program: the person's level or the next more intensive one, a "
            "shared language, their insurance accepted, within their travel limit",
        )
    if sum(1 for p in placed.values() if p == to_program) >= program.slots:
        raise InvalidInput("to_program", "a program with a free place left")


def distance(inputs: Inputs, request_id: str, program_id: str) -> float:
    program = inputs.program(program_id)
    assert program is not None
    return round(distance_km(inputs.request(request_id).location, program.location), 3)
