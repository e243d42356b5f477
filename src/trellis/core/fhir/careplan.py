"""A plan document as a FHIR R4 Bundle: CarePlan + Goal (+ ServiceRequest for referrals).

fhir.resources checks structure but not CarePlan.status or intent codes, so they are checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from trellis.core.errors import InvalidInput

CAREPLAN_STATUS = (
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
)
CAREPLAN_INTENT = ("proposal", "plan", "directive", "order", "option")
INTERVENTIONS = "urn:trellis:intervention"
# How an item's status reads in CarePlan.activity.detail (status, doNotPerform).
ACTIVITY = {
    "recommended": ("not-started", False),
    "consider": ("on-hold", False),
    "declined": ("cancelled", False),
    "contraindicated": ("cancelled", True),
}


def bundle(
    plan: Mapping[str, Any],
    *,
    plan_id: str,
    patient_id: str,
    status: str = "active",
    intent: str = "plan",
) -> dict[str, Any]:
    if status not in CAREPLAN_STATUS:
        raise InvalidInput("CarePlan.status", ", ".join(CAREPLAN_STATUS))
    if intent not in CAREPLAN_INTENT:
        raise InvalidInput("CarePlan.intent", ", ".join(CAREPLAN_INTENT))
    subject = {"reference": f"Patient/{patient_id}"}
    goals = [_goal(g, plan_id, subject) for g in plan["goals"]]
    requests = [
        _service_request(r, plan_id, subject, n) for n, r in enumerate(plan["referrals"], start=1)
    ]
    careplan = {
        "resourceType": "CarePlan",
        "id": plan_id,
        "status": status,
        "intent": intent,
        "subject": subject,
        "title": f"Plan at level {plan['placement']['level']}",
        "description": plan["placement"]["name"],
        "instantiatesCanonical": [],
        "note": [{"text": f"knowledge base {plan['kb_version']}"}],
        "goal": [{"reference": f"Goal/{g['id']}"} for g in goals],
        "activity": [_activity(i, requests) for i in plan["interventions"]],
    }
    if plan.get("review_on"):
        careplan["period"] = {"end": plan["review_on"]}
    careplan = {k: v for k, v in careplan.items() if v not in ([], None)}
    entries = [careplan, *goals, *requests]
    document = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:trellis:{r['resourceType']}/{r['id']}", "resource": r}
            for r in entries
        ],
    }
    return Bundle.model_validate(document).model_dump(mode="json", exclude_none=True)


def _goal(goal: Mapping[str, Any], plan_id: str, subject: Mapping[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "Goal",
        "id": f"{plan_id[:8]}-{goal['id'].lower()}",
        "lifecycleStatus": "proposed",
        "description": {"text": goal["statement"]},
        "subject": dict(subject),
        "target": [
            {
                "measure": {"text": goal["measure"]},
                "detailString": goal["target"],
                "dueDate": goal["due"],
            }
        ],
        "note": [{"text": f"owner: {goal['owner']}"}],
    }


def _activity(item: Mapping[str, Any], requests: list[dict[str, Any]]) -> dict[str, Any]:
    status, do_not = ACTIVITY[item["status"]]
    reasons = item["contraindications"] or (
        ["declined by the person"] if item["status"] == "declined" else []
    )
    detail: dict[str, Any] = {
        "kind": "ServiceRequest" if item["category"] == "community" else "Task",
        "code": {
            "coding": [{"system": INTERVENTIONS, "code": item["code"], "display": item["name"]}],
            "text": item["name"],
        },
        "status": status,
        "doNotPerform": do_not,
        "description": "; ".join(item["because"]),
    }
    if reasons:
        detail["statusReason"] = {"text": "; ".join(reasons)}
    linked = next((r for r in requests if r["code"]["coding"][0]["code"] == item["code"]), None)
    return (
        {"reference": {"reference": f"ServiceRequest/{linked['id']}"}}
        if linked
        else {"detail": detail}
    )


def _service_request(
    referral: Mapping[str, Any], plan_id: str, subject: Mapping[str, str], n: int
) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": f"{plan_id[:8]}-r{n}",
        "status": "draft",
        "intent": "proposal",
        "code": {
            "coding": [
                {"system": INTERVENTIONS, "code": referral["code"], "display": referral["need"]}
            ],
            "text": referral["need"],
        },
        "subject": dict(subject),
        "reasonCode": [{"text": referral["reason"]}],
    }
