"""Level-of-care recommendation and safety actions from the profile.

The least intensive level that is safe: the most intensive of the minimum levels that each
dimension's risk needs (knowledge/placement.yaml). Safety comes before everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from trellis.core.errors import InvalidInput
from trellis.core.instruments import Score
from trellis.core.intake import OPIOIDS, Intake
from trellis.core.profile import SUICIDE_FLAGS, Profile

LEVEL_ORDER = ("0.5", "1.0", "2.1", "2.5", "3.1", "3.5", "3.7", "4.0")
OPIOID_MEDICINES = frozenset(
    {
        "oxycodone",
        "hydrocodone",
        "morphine",
        "hydromorphone",
        "fentanyl",
        "methadone",
        "buprenorphine",
        "tramadol",
        "codeine",
        "oxymorphone",
        "tapentadol",
    }
)


@dataclass(frozen=True, slots=True)
class Placement:
    level: str
    name: str
    withdrawal_management: str | None
    opioid_treatment_program: bool
    rationale: tuple[str, ...]
    override: Mapping[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "name": self.name,
            "withdrawal_management": self.withdrawal_management,
            "opioid_treatment_program": self.opioid_treatment_program,
            "rationale": list(self.rationale),
            "override": dict(self.override) if self.override else None,
        }


@dataclass(frozen=True, slots=True)
class Safety:
    urgent: bool
    flags: tuple[str, ...]
    actions: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"urgent": self.urgent, "flags": list(self.flags), "actions": list(self.actions)}


def recommend(profile: Profile, intake: Intake, rules: Mapping[str, Any]) -> Placement:
    needs = {d.n: rules["minimum_level"][d.n][d.risk] for d in profile.dimensions}
    level = max(needs.values(), key=LEVEL_ORDER.index)
    if level == "0.5" and _has_use_disorder(intake):
        level = "1.0"
    wm = rules["withdrawal_management"][profile.risk(1)]
    if wm == "wm.ambulatory_extended" and profile.risk(6) >= 3:
        wm = "wm.clinically_managed"  # no safe place to withdraw at home: residential withdrawal management
    return Placement(
        level, rules["levels"][level], wm, _otp(intake), _rationale(profile, needs, level, intake)
    )


def _has_use_disorder(intake: Intake) -> bool:
    return any((s.get("dsm5_criteria_count") or 0) >= 2 for s in intake.substances)


def _otp(intake: Intake) -> bool:
    """An opioid treatment program (methadone) is indicated for an opioid use disorder unless declined."""
    declines = set((intake.section("preferences").get("declines")) or [])
    opioid_disorder = any(
        s["substance"] in OPIOIDS and (s.get("dsm5_criteria_count") or 0) >= 2
        for s in intake.substances
    )
    return opioid_disorder and not declines & {"med.methadone", "pharmacotherapy"}


def _rationale(
    profile: Profile, needs: Mapping[int, str], level: str, intake: Intake
) -> tuple[str, ...]:
    lines = []
    for d in profile.dimensions:
        if needs[d.n] == level and d.risk > 0:
            lines.append(
                f"Dimension {d.n} ({d.name.lower()}) is at risk {d.risk}: {'; '.join(d.reasons)}."
            )
    if not lines:
        reason = (
            "a substance use disorder needs at least outpatient care"
            if level == "1.0" and _has_use_disorder(intake)
            else "no dimension needs more"
        )
        lines.append(f"{level} is the least intensive level: {reason}.")
    lines.append(f"Level {level} is the least intensive level that meets every dimension's need.")
    return tuple(lines)


def safety(intake: Intake, scores: Mapping[str, Score]) -> Safety:
    flags = tuple(
        dict.fromkeys(f for result in scores.values() for f in result.flags if f in SUICIDE_FLAGS)
    )
    actions = ["safety.crisis_plan"] if flags else []
    if _opioid_exposure(intake):
        actions.append("safety.naloxone")
    if intake.section("environment").get("domestic_violence"):
        actions.append("safety.dv_advocacy")
    if any(s.get("route") == "injection" for s in intake.substances) or any(
        s["substance"] == "fentanyl" for s in intake.substances
    ):
        actions.append("safety.harm_reduction")
    return Safety(bool(flags), flags, tuple(actions))


def _opioid_exposure(intake: Intake) -> bool:
    medicines = {m.lower() for m in intake.section("medical").get("current_medications") or []}
    return any(s["substance"] in OPIOIDS for s in intake.substances) or bool(
        medicines & OPIOID_MEDICINES
    )


def override_placement(placement: Placement, *, level: str, reason: str, by: str) -> Placement:
    if level not in LEVEL_ORDER:
        raise InvalidInput("override.level", "one of " + ", ".join(LEVEL_ORDER))
    if not reason.strip():
        raise InvalidInput("override.reason", "a reason for the different level")
    return replace(placement, override={"level": level, "reason": reason.strip(), "by": by})


def placement_level(plan: Mapping[str, Any]) -> str | None:
    """The level a plan places the person at: a clinician's override wins over the recommendation."""
    placement = plan.get("placement") or {}
    override = placement.get("override") or {}
    level = override.get("level") or placement.get("level")
    return str(level) if level is not None else None
