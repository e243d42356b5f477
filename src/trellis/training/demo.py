"""Fictional training answers for the demo clinicians, so the agreement pages have figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trellis.core.placement import LEVEL_ORDER
from trellis.knowledge.vignettes import vignettes
from trellis.training import actions

# Per demo clinician: how many vignettes they answered, and which of those (by position) they
# placed one level less intensive than the reference. Plans: the first `share` of the codes.
PRACTICE = {"clinician": (8, {2, 5}, 0.7), "clinician2": (4, {1}, 0.4)}


def load(staff: Mapping[str, Any]) -> int:
    answered = 0
    for username, (count, lower, share) in PRACTICE.items():
        for index, vignette in enumerate(list(vignettes().values())[:count]):
            ref = actions.reference(vignette)
            step = LEVEL_ORDER.index(ref.level) - (1 if index in lower else 0)
            actions.record_answer(
                staff[username],
                vignette_id=vignette.id,
                level=LEVEL_ORDER[max(step, 0)],
                codes=ref.codes[: round(len(ref.codes) * share)],
            )
            answered += 1
    return answered
