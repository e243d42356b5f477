"""Place waiting people into open program places (contracts/allocation.md; docs/design/allocation.md).

    allocate(parse_requests(doc), parse_capacity(doc), "equitable", equity_floor=0.8).as_dict()

`fcfs` is what most programs do today; `optimal` maximises the need placed with HiGHS;
`equitable` does so with every group's placement rate (placed / the group's members among the
requests) at least the floor x the best group's. `report.report` and `report.compare` explain an
allocation and set the three policies side by side. Pure: no Django, no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence

from trellis.core.allocation.document import Allocation, Assignment, Fairness, Unplaced, build
from trellis.core.allocation.pairs import appropriate
from trellis.core.allocation.policies import Situation, equitable, fcfs, optimal
from trellis.core.allocation.records import (
    DEFAULT_FLOOR,
    GROUP_ATTRIBUTES,
    LEVELS,
    Policy,
    Program,
    Request,
    check_floor,
    check_policy,
    fitting_levels,
    parse_capacity,
    parse_requests,
)

POLICIES = {Policy.FCFS: fcfs, Policy.OPTIMAL: optimal, Policy.EQUITABLE: equitable}


def allocate(
    requests: Sequence[Request],
    programs: Sequence[Program],
    policy: Policy | str,
    *,
    equity_floor: float = DEFAULT_FLOOR,
) -> Allocation:
    """Choose who goes where under `policy`; see the module docstring."""
    policy, floor = check_policy(policy), check_floor(equity_floor)
    situation = Situation(requests, programs)
    return build(situation, policy, floor, POLICIES[policy](situation, floor))


__all__ = [
    "DEFAULT_FLOOR",
    "GROUP_ATTRIBUTES",
    "LEVELS",
    "Allocation",
    "Assignment",
    "Fairness",
    "Policy",
    "Program",
    "Request",
    "Unplaced",
    "allocate",
    "appropriate",
    "check_floor",
    "check_policy",
    "fitting_levels",
    "parse_capacity",
    "parse_requests",
]
