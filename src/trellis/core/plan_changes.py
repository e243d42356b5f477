"""Pure changes to a plan document: a person's refusal, a clinician's deviation, and the
readable difference between two versions. Each returns a new document; nothing is mutated."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from trellis.core.errors import InvalidInput
from trellis.core.knowledge_base import KnowledgeBase, Status

EDIT_STATUSES = (Status.RECOMMENDED.value, Status.CONSIDER.value)


def _find(document: Mapping[str, Any], code: str) -> dict[str, Any]:
    found = next((i for i in document["interventions"] if i["code"] == code), None)
    if found is None:
        raise InvalidInput("code", "an intervention code in this plan")
    return found


def decline(
    document: Mapping[str, Any], code: str, *, on: str, kb: KnowledgeBase
) -> dict[str, Any]:
    """The person declined (or withdrew consent): the item stays, as declined, with alternatives."""
    updated = copy.deepcopy(dict(document))
    item = _find(updated, code)
    item["status"] = Status.DECLINED.value
    item["alternatives"] = list(kb.entry(code).alternatives)
    item["because"] = [*item["because"], f"declined by the person on {on}"]
    return updated


def deviate(
    document: Mapping[str, Any],
    *,
    code: str,
    action: str,
    reason: str,
    by: str,
    kb: KnowledgeBase,
    status: str = "",
) -> dict[str, Any]:
    """A clinician adds, removes or re-rates an item, always with a reason."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "a reason for changing what the knowledge base proposed")
    updated = copy.deepcopy(dict(document))
    if action == "remove":
        _find(updated, code)
        updated["interventions"] = [i for i in updated["interventions"] if i["code"] != code]
    elif action == "change":
        if status not in EDIT_STATUSES:
            raise InvalidInput("status", " or ".join(EDIT_STATUSES))
        item = _find(updated, code)
        if item["status"] == Status.CONTRAINDICATED.value:
            raise InvalidInput(
                "status", "unchanged for a contraindicated item (remove it or record why elsewhere)"
            )
        item["status"] = status
        item["because"] = [*item["because"], f"changed by {by}: {reason}"]
    elif action == "add":
        updated["interventions"].append(
            _added(updated, code, reason, by, kb, status or Status.RECOMMENDED.value)
        )
    else:
        raise InvalidInput("action", "add, remove or change")
    return updated


def _added(
    document: Mapping[str, Any], code: str, reason: str, by: str, kb: KnowledgeBase, status: str
) -> dict[str, Any]:
    if any(i["code"] == code for i in document["interventions"]):
        raise InvalidInput("code", "an intervention not already in the plan")
    if status not in EDIT_STATUSES:
        raise InvalidInput("status", " or ".join(EDIT_STATUSES))
    try:
        entry = kb.entry(code)
    except StopIteration:
        raise InvalidInput("code", "a code of the knowledge base") from None
    goal_ids = [g["id"] for g in document["goals"] if g["id"] == f"G{entry.dimension}"]
    return {
        "code": code,
        "name": entry.name,
        "category": entry.category,
        "status": status,
        "goal_ids": goal_ids,
        "frequency": entry.frequency["en"],
        "responsible": entry.responsible,
        "because": [f"added by {by}: {reason}"],
        "evidence": entry.evidence,
        "sources": [kb.sources[s] for s in entry.sources],
        "alternatives": [],
        "contraindications": [],
    }


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What changed between two plan versions, one plain sentence per change."""
    lines = []
    if old["placement"]["level"] != new["placement"]["level"]:
        lines.append(f"level of care {old['placement']['level']} → {new['placement']['level']}")
    before = {i["code"]: i for i in old["interventions"]}
    after = {i["code"]: i for i in new["interventions"]}
    lines += [f"added {code} ({after[code]['status']})" for code in after if code not in before]
    lines += [f"removed {code}" for code in before if code not in after]
    lines += [
        f"{code}: {before[code]['status']} → {after[code]['status']}"
        for code in after
        if code in before and before[code]["status"] != after[code]["status"]
    ]
    old_goals = {g["id"]: g for g in old["goals"]}
    lines += [
        f"goal {g['id']} changed" for g in new["goals"] if old_goals.get(g["id"]) not in (None, g)
    ]
    lines += [
        f"new goal {g['id']}: {g['statement']}" for g in new["goals"] if g["id"] not in old_goals
    ]
    return lines or ["no change"]
