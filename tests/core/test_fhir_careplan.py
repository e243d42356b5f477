from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from jsonschema import Draft6Validator

from tests.core.test_placement import CASES
from trellis.core.errors import InvalidInput
from trellis.core.fhir.careplan import bundle
from trellis.core.planning import generate
from trellis.core.preferences import mismatches
from trellis.knowledge import placement_rules, plan_rules
from trellis.knowledge.interventions import knowledge_base

PLAN_ID = "0f1e2d3c-aaaa-4bbb-8ccc-000000000001"


@cache
def r4() -> Draft6Validator:
    return Draft6Validator(
        json.loads((Path(__file__).resolve().parents[1] / "data" / "fhir.schema.json").read_text())
    )


def make_plan(**extra):
    document = {
        **CASES[10][1],
        "assessed_on": "2026-11-20",
        "environment": {"housing": "homeless"},
        **extra,
    }
    return generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=date(2026, 11, 25),
    )


def test_a_plan_exports_as_a_valid_r4_bundle_of_careplan_goals_and_service_requests():
    plan = make_plan(preferences={"declines": ["med.methadone"]})

    result = bundle(plan, plan_id=PLAN_ID, patient_id="p1")

    Bundle.model_validate(result)
    kinds = [e["resource"]["resourceType"] for e in result["entry"]]
    assert kinds.count("CarePlan") == 1
    assert kinds.count("Goal") == len(plan["goals"])
    assert kinds.count("ServiceRequest") == len(plan["referrals"]) > 0
    for entry in result["entry"]:
        assert [e.message for e in r4().iter_errors(entry["resource"])] == []


def test_statuses_map_to_activity_states_and_a_declined_item_says_so():
    plan = make_plan(preferences={"declines": ["med.methadone"]})
    careplan = bundle(plan, plan_id=PLAN_ID, patient_id="p1")["entry"][0]["resource"]

    methadone = next(
        a["detail"]
        for a in careplan["activity"]
        if "detail" in a and a["detail"]["code"]["coding"][0]["code"] == "med.methadone"
    )
    assert (methadone["status"], methadone["statusReason"]["text"]) == (
        "cancelled",
        "declined by the person",
    )
    assert (careplan["status"], careplan["intent"]) == ("active", "plan")


def test_careplan_status_and_intent_are_checked_because_the_models_do_not():
    plan = make_plan()
    with pytest.raises(InvalidInput, match="^CarePlan.status must be draft, active"):
        bundle(plan, plan_id=PLAN_ID, patient_id="p1", status="bogus")
    with pytest.raises(InvalidInput, match="^CarePlan.intent must be proposal"):
        bundle(plan, plan_id=PLAN_ID, patient_id="p1", intent="wish")


def test_a_mismatch_between_preference_and_recommendation_is_shown():
    document = {
        **CASES[10][1],
        "preferences": {
            "prefers": ["telehealth"],
            "recovery_goal": "reduced_use",
            "max_travel_km": 5,
        },
        "environment": {"housing": "homeless"},
        "history": {"overdoses_past_year": 1},
    }
    plan = generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=date(2026, 11, 25),
    )

    found = mismatches(document, plan)

    assert any(m.startswith("prefers telehealth, but the recommended level 3.5") for m in found)
    assert any("opioid treatment program" in m for m in found)
