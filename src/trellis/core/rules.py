"""Conditions as data: expressions over the named facts, evaluated with simpleeval (no eval,
no attribute access, no function calls). A condition names the facts it uses, so a plan can say
which data made it true."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from trellis.core.facts import Facts


class RuleError(ValueError):
    """A condition that cannot be used: bad syntax, an unknown fact, a forbidden construct."""


ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.Compare,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
)


@dataclass(frozen=True, slots=True)
class Condition:
    text: str
    names: tuple[str, ...]
    tree: ast.expr

    def holds(self, facts: Facts) -> bool:
        return bool(facts.evaluator.eval(self.text, previously_parsed=self.tree))

    def because(self, facts: Facts) -> list[str]:
        """The explanations of the facts in this condition that are true (in the order written)."""
        return [facts.reasons[n] for n in self.names if facts.values.get(n) and n in facts.reasons]


@cache
def compile_condition(text: str, known: frozenset[str]) -> Condition:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise RuleError(f"cannot parse {text!r}: {error.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            raise RuleError(
                f"{text!r} uses {type(node).__name__}; only names, numbers, and/or/not and comparisons are allowed"
            )
    names = tuple(dict.fromkeys(n.id for n in ast.walk(tree) if isinstance(n, ast.Name)))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise RuleError(f"{text!r} names unknown facts: {', '.join(unknown)}")
    return Condition(text, names, tree.body)


def known_facts() -> frozenset[str]:
    """Every fact name gather() produces (from a minimal intake)."""
    return _known()


@cache
def _known() -> frozenset[str]:
    from trellis.core.facts import gather
    from trellis.core.intake import Intake
    from trellis.core.profile import Dimension, Profile

    empty = Intake({"schema": "trellis.intake/1", "person": {"age": 30}}, ())
    profile = Profile(tuple(Dimension(n, "", 0, ()) for n in range(1, 7)))
    return frozenset(gather(empty, {}, profile).values)


def evaluate(conditions: Mapping[str, Condition], facts: Facts) -> dict[str, Any]:
    return {key: condition.holds(facts) for key, condition in conditions.items()}
