"""Fictional intake answers for the demo people: each person answers the full battery, and the
adaptive intake keeps only what it would have asked. Deterministic (seeded)."""

from __future__ import annotations

import random
from typing import Any

from trellis.core import battery
from trellis.knowledge.battery import rules

# (substance, DSM-5 criteria, days used of 30, last use days ago, route) per demo person, in order.
SITUATIONS: list[dict[str, Any]] = [
    {
        "substances": [("opioids", 7, 20, 1, "oral")],
        "stage": "action",
        "housing": "stable",
        "mood": 1,
    },
    {
        "substances": [("alcohol", 6, 25, 1, "oral")],
        "stage": "preparation",
        "housing": "stable",
        "mood": 2,
        "trauma": True,
    },
    {
        "substances": [("alcohol", 9, 30, 0, "oral")],
        "stage": "contemplation",
        "housing": "unstable",
        "mood": 1,
        "ciwa": [3, 4, 3, 3, 3, 2, 1, 1, 2, 0],
        "seizure": True,
    },
    {
        "substances": [("cocaine", 6, 12, 3, "smoking")],
        "stage": "action",
        "housing": "stable",
        "mood": 3,
    },
    {
        "substances": [("cannabis", 3, 20, 1, "smoking")],
        "stage": "precontemplation",
        "housing": "stable",
        "mood": 0,
    },
    {
        "substances": [("alcohol", 1, 6, 4, "oral")],
        "stage": "contemplation",
        "housing": "stable",
        "mood": 0,
    },
    {
        "substances": [("heroin", 10, 30, 0, "injection")],
        "stage": "preparation",
        "housing": "homeless",
        "mood": 2,
        "overdose": 2,
    },
    {
        "substances": [("methamphetamine", 7, 18, 2, "smoking")],
        "stage": "action",
        "housing": "recovery_residence",
        "mood": 2,
        "trauma": True,
    },
    {
        "substances": [("alcohol", 4, 10, 5, "oral")],
        "stage": "maintenance",
        "housing": "stable",
        "mood": 0,
    },
    {
        "substances": [("fentanyl", 8, 26, 1, "smoking")],
        "stage": "preparation",
        "housing": "unstable",
        "mood": 1,
        "suicidal": True,
    },
    {
        "substances": [("benzodiazepines", 6, 28, 1, "oral"), ("alcohol", 3, 8, 2, "oral")],
        "stage": "contemplation",
        "housing": "stable",
        "mood": 2,
    },
    {
        "substances": [("alcohol", 5, 0, 60, "oral")],
        "stage": "maintenance",
        "housing": "stable",
        "mood": 0,
    },
    {
        "substances": [("prescription_opioids", 6, 25, 1, "oral")],
        "stage": "action",
        "housing": "stable",
        "mood": 1,
        "pregnant": True,
    },
    {
        "substances": [("cannabis", 4, 25, 0, "vaping"), ("tobacco", 5, 30, 0, "smoking")],
        "stage": "contemplation",
        "housing": "stable",
        "mood": 1,
    },
    {
        "substances": [("alcohol", 7, 22, 1, "oral")],
        "stage": "action",
        "housing": "stable",
        "mood": 0,
        "dv": True,
    },
    {
        "substances": [("stimulants", 2, 4, 9, "oral")],
        "stage": "preparation",
        "housing": "stable",
        "mood": 0,
    },
    {
        "substances": [("opioids", 8, 30, 0, "injection")],
        "stage": "action",
        "housing": "institution",
        "mood": 2,
    },
    {
        "substances": [("cocaine", 5, 10, 4, "intranasal")],
        "stage": "contemplation",
        "housing": "unstable",
        "mood": 1,
    },
    {
        "substances": [("alcohol", 3, 12, 2, "oral")],
        "stage": "action",
        "housing": "stable",
        "mood": 1,
    },
    {
        "substances": [("alcohol", 6, 20, 2, "oral"), ("tobacco", 6, 30, 0, "smoking")],
        "stage": "maintenance",
        "housing": "stable",
        "mood": 0,
    },
]


def full_answers(situation: dict[str, Any], rng: random.Random) -> dict[str, list[Any]]:
    """The person's answers to every full instrument, shaped by the situation."""
    mood = situation["mood"]
    drinks = any(s[0] == "alcohol" and s[2] > 0 for s in situation["substances"])
    drugs = any(s[0] not in ("alcohol", "tobacco") for s in situation["substances"])
    phq9 = [min(3, max(0, mood + rng.choice([-1, 0, 0, 1]))) for _ in range(8)] + [
        1 if situation.get("suicidal") else 0
    ]
    audit = _audit(rng) if drinks else [0, 0, 0, None, None, None, None, None, 0, 0]
    dast: list[bool | None] = [False] + [None] * 9  # item 1 "no": the other nine are not asked
    if drugs:
        dast = [True] + [rng.random() < 0.6 for _ in range(9)]
        dast[2] = not dast[2]  # item 3: "always able to stop"
    asq = [bool(situation.get("suicidal")), False, bool(situation.get("suicidal")), False]
    return {
        "phq9": phq9,
        "gad7": [min(3, max(0, mood + rng.choice([-1, 0, 1]))) for _ in range(7)],
        "audit": audit,
        "dast10": dast,
        "crafft": [rng.random() < 0.5 for _ in range(6)],
        "asq": [*asq, False] if any(asq) else asq,
        "pcl5": [min(4, max(0, mood + rng.choice([0, 1]))) for _ in range(20)],
    }


def _audit(rng: random.Random) -> list[int]:
    return (
        [rng.choice([2, 3, 4]), rng.choice([1, 2, 3]), rng.choice([1, 2, 3])]
        + [rng.choice([0, 1, 2]) for _ in range(5)]
        + [rng.choice([0, 1]), rng.choice([0, 1, 2])]
    )


def document_for(
    index: int, person_id: str, age: int, sex: str
) -> tuple[dict[str, Any], battery.Battery]:
    """The demo person's intake document as the adaptive intake would have gathered it."""
    situation = SITUATIONS[index % len(SITUATIONS)]
    rng = random.Random(index)  # noqa: S311 - reproducible fictional data, not secrets
    document = _sections(situation, person_id, age, sex)
    if situation.get("ciwa"):
        document["instruments"] = {"ciwa_ar": situation["ciwa"]}
    return battery.simulate(rules(), document, full_answers(situation, rng))


def _sections(situation: dict[str, Any], person_id: str, age: int, sex: str) -> dict[str, Any]:
    person: dict[str, Any] = {
        "id": person_id,
        "age": age,
        "sex_at_birth": sex,
        "insurance": "medicaid",
        # Fictional homes around the demo directory's town (directory/demo.py).
        "location": {"lat": 39.78 + (age % 7) * 0.004, "lon": -89.65 - (age % 5) * 0.004},
    }
    if situation.get("pregnant") and sex == "female":
        person["pregnant"] = True
    return {
        "schema": "trellis.intake/1",
        "person": person,
        "substances": [
            {
                "substance": s,
                "primary": i == 0,
                "dsm5_criteria_count": c,
                "days_used_past_30": d,
                "last_use_days_ago": last,
                "route": route,
            }
            for i, (s, c, d, last, route) in enumerate(situation["substances"])
        ],
        "medical": {"liver": "normal"},
        "mental_health": {
            "trauma_history": bool(situation.get("trauma")),
            "diagnoses": ["depression"] if situation["mood"] >= 2 else [],
        },
        "history": {
            "overdoses_past_year": situation.get("overdose", 0),
            "withdrawal_complications": ["seizure"] if situation.get("seizure") else ["none"],
        },
        "readiness": {"stage": situation["stage"]},
        "environment": {
            "housing": situation["housing"],
            "domestic_violence": bool(situation.get("dv")),
            "supportive_people_count": 2,
        },
        "preferences": {"recovery_goal": "abstinence"},
    }
