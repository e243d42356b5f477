"""Authorization-matrix rows for the family member's own tools (`trellis.family`), and the
rows they need in the matrix's world.

Only the family role gets in; everyone else gets the same 404 as a missing page, and anyone
signed out is sent to sign in. The ids below are fran's own rows (fran is the matrix's family
persona), so `family` answers 200; the POST-only mark address answers 405 to a GET.
"""

from __future__ import annotations

from typing import Any

ROLES = (
    "anonymous",
    "person",
    "other_person",
    "clinician",
    "supervisor",
    "family",
    "navigator",
    "admin",
    "researcher",
)


def _family(answer: int = 200) -> dict[str, int]:
    return {role: {"anonymous": 302, "family": answer}.get(role, 404) for role in ROLES}


FAMILY_TOOLS_MATRIX: dict[str, dict[str, int]] = {
    "family:home": _family(),
    "family:learn": _family(),
    "family:topic": _family(),  # topic_id
    "family:support_groups": _family(),
    "family:boundaries": _family(),
    "family:boundary": _family(),  # family_sheet_id: one of fran's worksheets
    "family:empathy": _family(),
    "family:craft": _family(),
    "family:craft_module": _family(),  # module_id
    "family:wellbeing": _family(),
    "family:self_care": _family(),
    "family:self_care_mark": _family(405),  # family_activity_id: one of fran's; POST only
}


def family_tools_world(fran: Any) -> dict[str, str]:
    """The URL values the rows above need: content ids, and a worksheet and an activity of fran's."""
    from django.utils import timezone

    from trellis.family import actions

    sheet = actions.save_boundary(
        fran.user,
        {"boundary": "b", "how_to_say": "h", "consequence": "c", "self_care": "s"},
    )
    activity = actions.plan_self_care(fran.user, title="Walk", planned_for=timezone.localdate())
    return {
        "topic_id": "boundaries",
        "module_id": "positive-communication",
        "family_sheet_id": str(sheet.public_id),
        "family_activity_id": str(activity.public_id),
    }
