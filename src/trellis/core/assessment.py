"""intake → scores → profile → placement and safety: the first half of the care loop, as one pure call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trellis.core import intake as intake_module
from trellis.core.instruments import Score, score
from trellis.core.placement import Placement, Safety, recommend, safety
from trellis.core.profile import Profile, assess

SCHEMA = "trellis.plan/1"


@dataclass(frozen=True, slots=True)
class Assessment:
    intake: intake_module.Intake
    scores: Mapping[str, Score]
    profile: Profile
    placement: Placement
    safety: Safety

    def as_plan_dict(self, kb_version: str) -> dict[str, Any]:
        """The assessment parts of the plan document (contracts/plan.md), keys in its order."""
        return {
            "schema": SCHEMA,
            "kb_version": kb_version,
            "person_id": self.intake.section("person").get("id"),
            "placement": self.placement.as_dict(),
            "dimensions": [d.as_dict() for d in self.profile.dimensions],
            "safety": self.safety.as_dict(),
            "problems": [],
            "goals": [],
            "interventions": [],
            "referrals": [],
            "missing": list(self.intake.missing),
            "review_on": None,
        }


def assess_intake(
    document: Mapping[str, Any], rules: Mapping[str, Any] | None = None
) -> Assessment:
    checked = intake_module.validate(document)
    scores = score_all(checked)
    profile = assess(checked, scores)
    return Assessment(
        checked,
        scores,
        profile,
        recommend(profile, checked, rules or _rules()),
        safety(checked, scores),
    )


def score_all(checked: intake_module.Intake) -> dict[str, Score]:
    sex = checked.section("person").get("sex_at_birth")
    out = {}
    for instrument_id, responses in sorted(checked.instruments.items()):
        context = {"sex": sex} if instrument_id == "auditc" and sex in ("female", "male") else {}
        out[instrument_id] = score(instrument_id, responses, context)
    return out


def _rules() -> Mapping[str, Any]:
    from trellis.knowledge import placement_rules

    return placement_rules()
