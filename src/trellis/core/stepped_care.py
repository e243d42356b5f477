"""Stepped care: propose a plan revision when progress stalls or worsens (add or intensify an
intervention, step the level of care up) or when the person has done well long enough (step
down), each proposal with the data that triggered it and the rule's published source. The rules
are data (knowledge/stepped_care.yaml); a clinician confirms every proposal before `apply`."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from trellis.core.errors import InvalidInput
from trellis.core.facts import Facts, _Builder
from trellis.core.knowledge_base import KnowledgeBase, Status
from trellis.core.placement import LEVEL_ORDER, placement_level
from trellis.core.plan_changes import EDIT_STATUSES, _find, deviate
from trellis.core.planning import CONSIDER_EVIDENCE
from trellis.core.rules import Condition

INSTRUMENTS = {
    "phq9": "PHQ-9",
    "gad7": "GAD-7",
    "bam.use": "BAM use",
    "bam.risk": "BAM risk factors",
    "bam.protective": "BAM protective factors",
    "bam.alcohol_days": "BAM days of alcohol use",
    "bam.drug_days": "BAM days of drug use",
    "bam.psych_days": "BAM days of psychological problems",
}
DIRECTIONS = {
    "improved": "reliable improvement",
    "worsened": "reliable worsening",
    "no reliable change": "no reliable improvement",
}
ALERT_KINDS = ("return_to_use", "craving_spike", "reliable_worsening")
STEPS = {"up": ("step_up", 1), "down": ("step_down", -1)}


@dataclass(frozen=True, slots=True)
class MeasureChange:
    instrument: str  # "phq9", "gad7", "bam.use", "bam.risk", "bam.protective"
    first: float
    latest: float
    first_on: date
    latest_on: date
    direction: str  # "improved" | "worsened" | "no reliable change" (Jacobson–Truax)
    latest_band: str | None  # published band of the latest score, e.g. "moderately severe"


@dataclass(frozen=True, slots=True)
class Progress:
    today: date
    plan_started_on: date  # when the current plan version began
    level: str  # current level of care, e.g. "1.0", "2.1"
    active: tuple[str, ...]  # intervention codes with status recommended or consider
    declined: tuple[str, ...]  # codes the person declined (never proposed again: informed refusal)
    measures: tuple[MeasureChange, ...]
    days_used_past_30: int | None  # from daily check-ins, None when no check-ins
    checkins_past_30: int
    open_alert_kinds: tuple[str, ...]  # e.g. ("return_to_use", "craving_spike")
    goals_stalled: bool


@dataclass(frozen=True, slots=True)
class Change:
    action: str  # "add" | "intensify" | "step_up" | "step_down"
    code: str | None  # intervention code for add/intensify
    level: str | None  # target level for step_up/step_down: the next level in LEVEL_ORDER


@dataclass(frozen=True, slots=True)
class Proposal:
    rule_id: str
    changes: tuple[Change, ...]
    reasons: tuple[str, ...]  # plain English, naming the data
    source: str  # the published source of the rule
    key: str  # the same rule in the same plan version proposes once: f"{rule_id}:{plan_started_on}"


@dataclass(frozen=True, slots=True)
class Treatment:
    code: str
    consider: bool = False  # added as "consider", as the knowledge base rates it for this need


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    when: Condition
    says: str  # the published basis, one plain sentence
    treat: tuple[Treatment, ...]
    step: str | None  # "up" | "down" | None
    limit: str | None  # the furthest level this rule steps to
    keep: tuple[str, ...]  # codes a step never touches, each named in the reasons when active
    keep_says: str
    source: str


@dataclass(frozen=True, slots=True)
class SteppedCare:
    version: int
    rules: tuple[Rule, ...]
    intensify: Mapping[str, Mapping[str, str]]  # code -> {language: new frequency}
    names: Mapping[str, str]  # code -> name (interventions.csv)
    level_names: Mapping[str, str]  # placement.yaml
    review_days: Mapping[str, int]  # plan.yaml

    def rule(self, rule_id: str) -> Rule:
        found = next((r for r in self.rules if r.id == rule_id), None)
        if found is None:
            raise InvalidInput("rule_id", "a rule of the stepped-care rules")
        return found


# -- facts ---------------------------------------------------------------------------------


def facts(progress: Progress) -> Facts:
    """The named facts the rules' conditions read, each with the sentence that explains it."""
    _check(progress)
    b = _Builder()
    days = (progress.today - progress.plan_started_on).days
    start = progress.plan_started_on.isoformat()
    b.set("days_in_plan", days, f"The plan has been in place {days} days (since {start}).")
    b.set("weeks_in_plan", days // 7)
    b.set("level", progress.level)
    _use(b, progress)
    for kind in ALERT_KINDS:
        b.set(f"{kind}_alert", kind in progress.open_alert_kinds, f"Open alert: {_words(kind)}.")
    b.set("open_alerts", len(progress.open_alert_kinds))
    b.set("no_open_alerts", not progress.open_alert_kinds, "No open alerts.")
    b.set("goals_stalled", progress.goals_stalled, "The plan's goals have stalled.")
    b.set("goals_on_track", not progress.goals_stalled, "The plan's goals are not stalled.")
    latest = {m.instrument: m for m in sorted(progress.measures, key=lambda m: m.latest_on)}
    for instrument in INSTRUMENTS:
        _measure(b, instrument, latest.get(instrument), progress.plan_started_on)
    return Facts(dict(b.values), dict(b.reasons))


def _check(progress: Progress) -> None:
    if progress.level not in LEVEL_ORDER:
        raise InvalidInput("level", "one of " + ", ".join(LEVEL_ORDER))
    if progress.plan_started_on > progress.today:
        raise InvalidInput("plan_started_on", "on or before today")
    if not 0 <= progress.checkins_past_30 <= 30:
        raise InvalidInput("checkins_past_30", "0-30")
    if progress.days_used_past_30 is not None and not 0 <= progress.days_used_past_30 <= 30:
        raise InvalidInput("days_used_past_30", "0-30 or None")
    for m in progress.measures:
        if m.instrument not in INSTRUMENTS:
            raise InvalidInput("measures instrument", "one of " + ", ".join(INSTRUMENTS))
        if m.direction not in DIRECTIONS:
            raise InvalidInput("measures direction", "one of " + ", ".join(DIRECTIONS))


def _use(b: _Builder, progress: Progress) -> None:
    days, n = progress.days_used_past_30, progress.checkins_past_30
    b.set("use_reported", days is not None)
    b.set("checkins_past_30", n)
    b.set("days_used_past_30", days or 0, f"Use on {days} of the past 30 days ({n} check-ins).")
    b.set("no_use_past_30", days == 0, f"No use on any of the {n} check-ins of the past 30 days.")


def _measure(b: _Builder, instrument: str, m: MeasureChange | None, start: date) -> None:
    key, label = instrument.replace(".", "_"), INSTRUMENTS[instrument]
    direction = m.direction if m else ""
    weeks = max(0, (m.latest_on - start).days // 7) if m else 0
    said = (
        f"{label} went from {m.first:g} to {m.latest:g} over {_weeks(weeks)} of the plan: "
        f"{DIRECTIONS[direction]}."
        if m
        else None
    )
    band = (m.latest_band or "") if m else ""
    b.set(f"{key}_measured", m is not None)
    b.set(f"{key}_improved", direction == "improved", said)
    b.set(f"{key}_worsened", direction == "worsened", said)
    b.set(f"{key}_unchanged", direction == "no reliable change", said)
    b.set(f"{key}_weeks_in_plan", weeks)
    b.set(f"{key}_band", band, f"Latest {label} band: {band}.")
    b.set(f"{key}_latest", m.latest if m else 0)


def _weeks(n: int) -> str:
    return "1 week" if n == 1 else f"{n} weeks"


def _words(kind: str) -> str:
    return kind.replace("_", " ")


@cache
def known_facts() -> frozenset[str]:
    """Every fact name a rule may use (the facts of an empty progress record)."""
    day = date(2000, 1, 1)
    return frozenset(facts(Progress(day, day, "1.0", (), (), (), None, 0, (), False)).values)


# -- propose -------------------------------------------------------------------------------


def propose(
    progress: Progress,
    *,
    rules: SteppedCare | None = None,
    contraindicated: Collection[str] = (),
) -> list[Proposal]:
    """Every rule whose condition holds and that has something to change, in the rules' order.

    `contraindicated` lists the plan's contraindicated codes; like declined ones, they are never
    proposed, and the reasons say so.
    """
    rules = rules or _default_rules()
    found = facts(progress)
    proposals = [
        proposal
        for rule in rules.rules
        if rule.when.holds(found)
        and (proposal := _proposal(rule, progress, found, rules, contraindicated)).changes
    ]
    # Never propose less care while another rule asks for more.
    if any(c.action != "step_down" for p in proposals for c in p.changes):
        proposals = [p for p in proposals if all(c.action != "step_down" for c in p.changes)]
    return proposals


def _proposal(
    rule: Rule,
    progress: Progress,
    found: Facts,
    rules: SteppedCare,
    contraindicated: Collection[str],
) -> Proposal:
    changes: list[Change] = []
    notes: list[str] = []
    for treatment in rule.treat:
        change, note = _treatment(treatment.code, progress, rules, contraindicated)
        changes += [change] if change else []
        notes += [note] if note else []
    if rule.step:
        change, note = _step(rule, progress.level, rules)
        changes += [change] if change else []
        notes += [note] if note else []
        notes += [f"{rules.names[c]} {rule.keep_says}" for c in rule.keep if c in progress.active]
    return Proposal(
        rule.id,
        tuple(changes),
        (*rule.when.because(found), rule.says, *notes),
        rule.source,
        f"{rule.id}:{progress.plan_started_on.isoformat()}",
    )


def _treatment(
    code: str, progress: Progress, rules: SteppedCare, contraindicated: Collection[str]
) -> tuple[Change | None, str | None]:
    name = rules.names[code]
    if code in progress.declined:
        return None, f"{name} is not proposed: the person declined it (informed refusal)."
    if code in contraindicated:
        return None, f"{name} is not proposed: it is contraindicated in this plan."
    if code not in progress.active:
        return Change("add", code, None), None
    if code in rules.intensify:
        return Change("intensify", code, None), None
    return None, None  # already in the plan, and it has no more intensive form


def _step(rule: Rule, level: str, rules: SteppedCare) -> tuple[Change | None, str | None]:
    action, direction = STEPS[rule.step or ""]
    here, limit = LEVEL_ORDER.index(level), LEVEL_ORDER.index(rule.limit or level)
    if (here - limit) * direction >= 0:
        if direction < 0:
            return None, None
        return None, (
            f"Level {level} ({rules.level_names[level]}) is as far as stepped care goes on its "
            "own: a more intensive level needs a clinician to reassess all six dimensions with "
            "the person first."
        )
    return Change(action, None, LEVEL_ORDER[here + direction]), None


def _default_rules() -> SteppedCare:
    from trellis.knowledge.stepped_care import rules

    return rules()


# -- apply ---------------------------------------------------------------------------------


def apply(
    plan: Mapping[str, Any],
    proposal: Proposal,
    *,
    kb: KnowledgeBase,
    today: date,
    rules: SteppedCare | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """The new plan document with the proposal's changes; every earlier intervention stays."""
    rules = rules or _default_rules()
    rule = rules.rule(proposal.rule_id)
    updated = copy.deepcopy(dict(plan))
    for change in proposal.changes:
        if change.action == "add" and change.code:
            updated = _add(updated, change.code, proposal, rule, kb, today, language)
        elif change.action == "intensify" and change.code:
            _intensify(updated, change.code, proposal, rules, today, language)
        elif change.action in ("step_up", "step_down") and change.level:
            _move(updated["placement"], change, proposal, rules, today)
        else:
            raise InvalidInput(
                "action", "add or intensify with a code, step_up or step_down with a level"
            )
    days = int(rules.review_days[current_level(updated)])
    updated["review_on"] = (today + timedelta(days=days)).isoformat()
    return updated


def current_level(plan: Mapping[str, Any]) -> str:
    """The level of care the plan is at (a clinician's override wins); a plan always has one."""
    level = placement_level(plan)
    if level is None:
        raise InvalidInput("plan placement", "a level of care")
    return level


def _add(
    plan: dict[str, Any],
    code: str,
    proposal: Proposal,
    rule: Rule,
    kb: KnowledgeBase,
    today: date,
    language: str,
) -> dict[str, Any]:
    existing = next((i for i in plan["interventions"] if i["code"] == code), None)
    if existing is not None:
        _check_open(existing)
        existing["because"] = [*existing["because"], f"also proposed by {_by(proposal, today)}"]
        return plan
    entry = kb.entry(code)
    status = _status(rule, code, kb)
    updated = deviate(
        plan,
        code=code,
        action="add",
        reason=" ".join(proposal.reasons),
        by=_by(proposal, today),
        kb=kb,
        status=status,
    )
    item = updated["interventions"][-1]
    item["frequency"] = entry.frequency.get(language, entry.frequency["en"])
    item["because"] = [f"proposed by {_by(proposal, today)}", *proposal.reasons]
    if entry.contraindications or entry.cautions:
        item["because"].append("a clinician checks its contraindications and cautions first")
    return updated


def _status(rule: Rule, code: str, kb: KnowledgeBase) -> str:
    """Recommended, unless the knowledge base would only say "consider" (as planning does)."""
    entry = kb.entry(code)
    weak = any(t.consider for t in rule.treat if t.code == code)
    checks = entry.contraindications or entry.cautions
    if weak or checks or entry.evidence in CONSIDER_EVIDENCE:
        return Status.CONSIDER.value
    return Status.RECOMMENDED.value


def _intensify(
    plan: dict[str, Any],
    code: str,
    proposal: Proposal,
    rules: SteppedCare,
    today: date,
    language: str,
) -> None:
    item = _find(plan, code)
    _check_open(item)
    if code not in rules.intensify:
        raise InvalidInput("code", "an intervention the stepped-care rules can intensify")
    text = rules.intensify[code]
    item["because"] = [
        *item["because"],
        f"intensified by {_by(proposal, today)} (frequency was: {item['frequency']})",
        *proposal.reasons,
    ]
    item["frequency"] = text.get(language) or text["en"]


def _check_open(item: Mapping[str, Any]) -> None:
    """A declined or contraindicated item is never proposed again."""
    if item["status"] not in EDIT_STATUSES:
        raise InvalidInput(
            "code",
            " or ".join(EDIT_STATUSES),
            message=f"{item['code']} is {item['status']} in this plan: stepped care never proposes it",
        )


def _move(
    placement: dict[str, Any], change: Change, proposal: Proposal, rules: SteppedCare, today: date
) -> None:
    current = current_level({"placement": placement})
    direction = 1 if change.action == "step_up" else -1
    here = LEVEL_ORDER.index(current)
    if (
        not 0 <= here + direction < len(LEVEL_ORDER)
        or LEVEL_ORDER[here + direction] != change.level
    ):
        raise InvalidInput("level", f"one level {'above' if direction > 0 else 'below'} {current}")
    lines = [f"Stepped care ({_by(proposal, today)}): level {current} → {change.level}."]
    lines += list(proposal.reasons)
    if placement.get("override"):
        old = placement["override"]
        lines.insert(0, f"Earlier override to {old['level']} by {old['by']}: {old['reason']}.")
    placement.update(
        level=change.level,
        name=rules.level_names[change.level],
        rationale=[*placement["rationale"], " ".join(lines)],
        override=None,
    )


def _by(proposal: Proposal, today: date) -> str:
    return f"stepped-care rule {proposal.rule_id} on {today.isoformat()}"
