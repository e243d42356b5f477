"""Generate the plan document (contracts/plan.md) from an intake and a knowledge-base version.

Every indicated intervention appears with a status and the data that triggered it: it is
recommended, to consider, declined (an informed refusal, with alternatives) or contraindicated
(with the reason). The same intake and the same knowledge base give the same plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from trellis.core.assessment import Assessment, assess_intake
from trellis.core.facts import Facts, gather
from trellis.core.knowledge_base import Entry, KnowledgeBase, Status

CONSIDER_EVIDENCE = ("C", "expert")


@dataclass(frozen=True, slots=True)
class Choice:
    """What the person decided about one intervention during shared decision-making."""

    code: str
    decision: str  # "accept" | "decline"


def generate(
    document: Mapping[str, Any],
    kb: KnowledgeBase,
    *,
    placement_rules: Mapping[str, Any],
    plan_rules: Mapping[str, Any],
    today: date,
    language: str = "en",
) -> dict[str, Any]:
    assessment = assess_intake(document, placement_rules)
    facts = gather(assessment.intake, assessment.scores, assessment.profile)
    start, missing = _start(document, today, list(assessment.intake.missing))
    problems = _problems(assessment, plan_rules)
    goals = _goals(problems, assessment, plan_rules, start)
    interventions = [
        i
        for entry in _ordered(kb.entries)
        if (i := _intervention(entry, facts, assessment, goals, kb, language))
    ]
    plan = assessment.as_plan_dict(kb.version)
    plan.update(
        problems=problems,
        goals=goals,
        interventions=interventions,
        referrals=_referrals(interventions, kb),
        missing=missing,
        review_on=(
            start + timedelta(days=int(plan_rules["review_days"][assessment.placement.level]))
        ).isoformat(),
    )
    return plan


def _start(document: Mapping[str, Any], today: date, missing: list[str]) -> tuple[date, list[str]]:
    if document.get("assessed_on"):
        return date.fromisoformat(document["assessed_on"]), missing
    return today, [*missing, "assessed_on (dates were counted from today)"]


def _problems(assessment: Assessment, rules: Mapping[str, Any]) -> list[dict[str, Any]]:
    threshold = int(rules["problem_threshold"])
    urgent = assessment.safety.urgent
    return [
        {
            "id": f"P{d.n}",
            "statement": rules["problems"][d.n],
            "dimension": d.n,
            "evidence": list(d.reasons),
        }
        for d in assessment.profile.dimensions
        if d.risk >= threshold or (d.n == 3 and urgent)
    ]


def _goals(
    problems: Sequence[Mapping[str, Any]],
    assessment: Assessment,
    rules: Mapping[str, Any],
    start: date,
) -> list[dict[str, Any]]:
    prefs = assessment.intake.section("preferences")
    goals = []
    for problem in problems:
        template = rules["goals"][problem["dimension"]]
        statement = template["statement"]
        if problem["dimension"] == 5 and prefs.get("goals_in_own_words"):
            statement = f"{prefs['goals_in_own_words']} ({template['statement'].lower()})"
        goals.append(
            {
                "id": f"G{problem['dimension']}",
                "problem_id": problem["id"],
                "statement": statement,
                "measure": template["measure"],
                "target": template["target"].format(use_target=_use_target(assessment)),
                "due": (start + timedelta(days=int(template["due_days"]))).isoformat(),
                "owner": template["owner"],
            }
        )
    return goals


def _use_target(assessment: Assessment) -> str:
    goal = assessment.intake.section("preferences").get("recovery_goal")
    days = max((s.get("days_used_past_30") or 0 for s in assessment.intake.substances), default=0)
    if goal == "reduced_use" and days:
        return f"fewer than the {days} days reported at intake"
    if goal == "undecided":
        return "a number of days the person chooses at the first review"
    return "0 days"


def _ordered(entries: Sequence[Entry]) -> list[Entry]:
    """Safety first (the crisis plan at the top), then the knowledge base's own order."""
    return sorted(entries, key=lambda e: (e.category != "safety", e.code != "safety.crisis_plan"))


def _intervention(
    entry: Entry,
    facts: Facts,
    assessment: Assessment,
    goals: Sequence[Mapping[str, Any]],
    kb: KnowledgeBase,
    language: str,
) -> dict[str, Any] | None:
    indication = next((i for i in entry.indications if i.condition.holds(facts)), None)
    if indication is None:
        return None
    blocked = [g.reason for g in entry.contraindications if g.condition.holds(facts)]
    cautions = [f"caution: {g.reason}" for g in entry.cautions if g.condition.holds(facts)]
    status = _status(entry, indication.consider, blocked, cautions, assessment)
    return {
        "code": entry.code,
        "name": entry.name,
        "category": entry.category,
        "status": status.value,
        "goal_ids": [g["id"] for g in goals if g["id"] == f"G{entry.dimension}"],
        "frequency": entry.frequency.get(language, entry.frequency["en"]),
        "responsible": entry.responsible,
        "because": indication.condition.because(facts)
        or [f"indicated: {indication.condition.text}"],
        "evidence": entry.evidence,
        "sources": [kb.sources[s] for s in entry.sources],
        "alternatives": list(entry.alternatives)
        if status in (Status.DECLINED, Status.CONTRAINDICATED)
        else [],
        "contraindications": blocked + cautions,
    }


def _status(
    entry: Entry, weak: bool, blocked: list[str], cautions: list[str], assessment: Assessment
) -> Status:
    declines = {d.lower() for d in assessment.intake.section("preferences").get("declines") or []}
    if blocked:
        return Status.CONTRAINDICATED
    if entry.code in declines or entry.category in declines:
        return Status.DECLINED
    if weak or cautions or entry.evidence in CONSIDER_EVIDENCE:
        return Status.CONSIDER
    return Status.RECOMMENDED


def _referrals(
    interventions: Sequence[Mapping[str, Any]], kb: KnowledgeBase
) -> list[dict[str, Any]]:
    return [
        {
            "need": kb.entry(i["code"]).need or i["name"],
            "code": i["code"],
            "service_id": None,
            "reason": "; ".join(i["because"]),
        }
        for i in interventions
        if i["category"] == "community" and i["status"] in (Status.RECOMMENDED, Status.CONSIDER)
    ]
