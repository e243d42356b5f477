"""Where the person's stated preferences and the recommendation disagree: shown, not hidden."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

RESIDENTIAL = ("3.1", "3.5", "3.7", "4.0")


def mismatches(intake: Mapping[str, Any], plan: Mapping[str, Any]) -> list[str]:
    prefs = intake.get("preferences") or {}
    prefers = {p.lower() for p in prefs.get("prefers") or []}
    level = plan["placement"]["level"]
    out = []
    if prefers & {"telehealth", "evening_hours"} and level in RESIDENTIAL:
        out.append(
            f"prefers {', '.join(sorted(prefers & {'telehealth', 'evening_hours'}))}, but the recommended level {level} is residential or inpatient"
        )
    if prefs.get("recovery_goal") == "reduced_use" and any(
        i["code"] == "med.disulfiram" and i["status"] in ("recommended", "consider")
        for i in plan["interventions"]
    ):
        out.append("wants to cut down, but disulfiram requires not drinking at all")
    if prefs.get("max_travel_km") is not None and plan["placement"]["opioid_treatment_program"]:
        out.append(
            f"can travel up to {prefs['max_travel_km']} km; an opioid treatment program means daily visits at first"
        )
    declined_recommended = [
        i["code"]
        for i in plan["interventions"]
        if i["status"] == "declined" and i["evidence"] == "A"
    ]
    if declined_recommended:
        out.append("declined options with strong evidence: " + ", ".join(declined_recommended))
    if prefs.get("recovery_goal") in ("reduced_use", "undecided") and level in RESIDENTIAL:
        out.append(
            f"recovery goal is {prefs['recovery_goal'].replace('_', ' ')}; the recommendation is {level}"
        )
    return out
