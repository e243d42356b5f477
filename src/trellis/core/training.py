"""Clinician training: a trainee's placement and plan for a case vignette compared with the
engine's own answer, and agreement per trainee.

Levels: Cohen's kappa (Cohen J. A coefficient of agreement for nominal scales. Educational and
Psychological Measurement 1960;20:37-46), computed by scikit-learn's `cohen_kappa_score`.
Plans: the Jaccard index of the two sets of intervention codes (|A ∩ B| / |A ∪ B|), averaged.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from trellis.core.errors import InvalidInput
from trellis.core.knowledge_base import KnowledgeBase
from trellis.core.placement import LEVEL_ORDER

# The plan's interventions a trainee is asked to choose: those the plan proposes. Contraindicated
# ones are shown with their reason but are not part of the answer.
PROPOSED = ("recommended", "consider")


@dataclass(frozen=True, slots=True)
class Vignette:
    """A synthetic case: not a person, never stored as one."""

    id: str
    title: Mapping[str, str]
    narrative: Mapping[str, str]
    intake: Mapping[str, Any]

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title["en"]

    def narrative_in(self, language: str) -> str:
        return self.narrative.get(language) or self.narrative["en"]


@dataclass(frozen=True, slots=True)
class Reference:
    """What the engine gives for a vignette at one knowledge-base version, with its reasons."""

    kb_version: str
    level: str
    codes: tuple[str, ...]
    rationale: tuple[str, ...] = ()
    because: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    withdrawal_management: str | None = None
    ruled_out: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dimensions: tuple[Mapping[str, Any], ...] = ()

    def reasons(self) -> dict[str, Any]:
        """The parts kept with an answer so the comparison page can explain the reference later."""
        return {
            "rationale": list(self.rationale),
            "because": {code: list(why) for code, why in self.because.items()},
            "names": dict(self.names),
            "withdrawal_management": self.withdrawal_management,
            "ruled_out": {code: list(why) for code, why in self.ruled_out.items()},
            "dimensions": [dict(d) for d in self.dimensions],
        }


def reference(plan: Mapping[str, Any]) -> Reference:
    """The reference answer read from a plan document (contracts/plan.md)."""
    items = plan["interventions"]
    proposed = [i for i in items if i["status"] in PROPOSED]
    return Reference(
        kb_version=plan["kb_version"],
        level=plan["placement"]["level"],
        codes=tuple(sorted(i["code"] for i in proposed)),
        rationale=tuple(plan["placement"]["rationale"]),
        because={i["code"]: tuple(i["because"]) for i in proposed},
        names={i["code"]: i["name"] for i in items},
        withdrawal_management=plan["placement"].get("withdrawal_management"),
        ruled_out={
            i["code"]: tuple(i["contraindications"])
            for i in items
            if i["status"] == "contraindicated"
        },
        dimensions=tuple(plan["dimensions"]),
    )


def reference_for(
    vignette: Vignette,
    kb: KnowledgeBase,
    *,
    placement_rules: Mapping[str, Any],
    plan_rules: Mapping[str, Any],
) -> Reference:
    """Run the engine on the vignette's intake. Dates count from the vignette's own
    `assessed_on`, so the reference does not change with the day it is computed."""
    from trellis.core.planning import generate

    today = date.fromisoformat(vignette.intake["assessed_on"])
    plan = generate(
        vignette.intake, kb, placement_rules=placement_rules, plan_rules=plan_rules, today=today
    )
    return reference(plan)


def check_answer(
    vignette_id: str,
    level: str,
    codes: Iterable[str],
    *,
    vignettes: Collection[str],
    known_codes: Collection[str],
) -> tuple[str, ...]:
    """Raise InvalidInput naming the field for an unknown vignette, level or code; return the
    codes sorted and without repeats."""
    if vignette_id not in vignettes:
        raise InvalidInput("vignette", "one of the training vignettes")
    if level not in LEVEL_ORDER:
        raise InvalidInput("level", "one of " + ", ".join(LEVEL_ORDER))
    chosen = tuple(sorted(set(codes)))
    if any(code not in known_codes for code in chosen):
        raise InvalidInput("codes", "intervention codes from the knowledge base")
    return chosen


def jaccard(a: Collection[str], b: Collection[str]) -> float:
    """|A ∩ B| / |A ∪ B|; two empty sets agree completely (1.0)."""
    union = set(a) | set(b)
    return len(set(a) & set(b)) / len(union) if union else 1.0


@dataclass(frozen=True, slots=True)
class Comparison:
    level: str
    reference_level: str
    both: tuple[str, ...]
    missed: tuple[str, ...]  # in the reference, not chosen
    extra: tuple[str, ...]  # chosen, not in the reference
    plan_agreement: float

    @property
    def level_agrees(self) -> bool:
        return self.level == self.reference_level

    @property
    def steps_apart(self) -> int:
        """Levels between the answer and the reference: positive when the answer is more intensive."""
        return LEVEL_ORDER.index(self.level) - LEVEL_ORDER.index(self.reference_level)

    @property
    def distance(self) -> int:
        return abs(self.steps_apart)


def compare(
    level: str, codes: Collection[str], reference_level: str, reference_codes: Collection[str]
) -> Comparison:
    mine, theirs = set(codes), set(reference_codes)
    return Comparison(
        level=level,
        reference_level=reference_level,
        both=tuple(sorted(mine & theirs)),
        missed=tuple(sorted(theirs - mine)),
        extra=tuple(sorted(mine - theirs)),
        plan_agreement=jaccard(mine, theirs),
    )


@dataclass(frozen=True, slots=True)
class Answer:
    vignette_id: str
    level: str
    codes: tuple[str, ...]
    reference_level: str
    reference_codes: tuple[str, ...]


class KappaStatus(StrEnum):
    DEFINED = "defined"
    TOO_FEW = "too_few"  # fewer than two answers
    UNDEFINED = "undefined"  # every answer and every reference in one category: 0 / 0


@dataclass(frozen=True, slots=True)
class Agreement:
    n: int
    observed: float | None
    kappa: float | None
    kappa_status: KappaStatus
    plan_agreement: float | None


def latest(answers: Iterable[Answer]) -> list[Answer]:
    """Each vignette's last answer, given answers oldest first: re-answering replaces the
    earlier answer in the agreement figures (the earlier one stays in the history)."""
    last: dict[str, Answer] = {}
    for answer in answers:
        last.pop(answer.vignette_id, None)
        last[answer.vignette_id] = answer
    return list(last.values())


def kappa(
    levels: Sequence[str], reference_levels: Sequence[str]
) -> tuple[float | None, KappaStatus]:
    """Cohen's kappa between the two level sequences, or None and why it is undefined."""
    if len(levels) < 2:
        return None, KappaStatus.TOO_FEW
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import cohen_kappa_score

    with warnings.catch_warnings():
        # scikit-learn warns and returns nan when chance agreement is 1 (one category only).
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        value = float(cohen_kappa_score(levels, reference_levels, labels=list(LEVEL_ORDER)))
    if math.isnan(value):
        return None, KappaStatus.UNDEFINED
    return value, KappaStatus.DEFINED


def agreement(answers: Iterable[Answer]) -> Agreement:
    """One trainee's agreement with the reference over the latest answer to each vignette."""
    rows = latest(answers)
    if not rows:
        return Agreement(0, None, None, KappaStatus.TOO_FEW, None)
    levels = [a.level for a in rows]
    reference_levels = [a.reference_level for a in rows]
    value, status = kappa(levels, reference_levels)
    same = sum(a == b for a, b in zip(levels, reference_levels, strict=True))
    plans = [jaccard(a.codes, a.reference_codes) for a in rows]
    return Agreement(len(rows), same / len(rows), value, status, sum(plans) / len(plans))
