"""Writes of the family member's own tools, each in one transaction with its audit entry.

A refused write raises InvalidInput naming the field and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import log as audit
from trellis.core import family_wellbeing as core
from trellis.core import lifestyle
from trellis.core.errors import InvalidInput
from trellis.family.models import (
    BoundaryWorksheet,
    CraftPractice,
    SelfCareActivity,
    WellbeingCheckIn,
)
from trellis.knowledge.family import content

BOUNDARY_FIELDS = ("boundary", "how_to_say", "consequence", "self_care")


@transaction.atomic
def save_boundary(
    user: Any, document: dict[str, str], *, sheet: BoundaryWorksheet | None = None
) -> BoundaryWorksheet:
    """Create a boundaries worksheet, or change `sheet` (which must be the user's own)."""
    fields = {k: document[k] for k in BOUNDARY_FIELDS}
    if sheet is None:
        sheet = BoundaryWorksheet.objects.create(user=user, **fields)
        audit.record(user, "create", sheet)
        return sheet
    for name, value in fields.items():
        setattr(sheet, name, value)
    sheet.updated = timezone.now()
    sheet.save(update_fields=[*BOUNDARY_FIELDS, "updated"])
    audit.record(user, "update", sheet)
    return sheet


@transaction.atomic
def log_craft_practice(
    user: Any, module: str, *, done_on: date, tried: str, outcome: int, note: str
) -> CraftPractice:
    if module not in content().craft.modules:
        raise InvalidInput("module", "a CRAFT module")
    if outcome not in content().craft.outcomes:
        raise InvalidInput("outcome", "a whole number 1-5")
    if done_on > timezone.localdate():
        raise InvalidInput("done_on", "today or an earlier date")
    log = CraftPractice.objects.create(
        user=user, module=module, done_on=done_on, tried=tried, outcome=outcome, note=note
    )
    audit.record(user, "create", log, detail={"module": module})
    return log


@transaction.atomic
def record_wellbeing(user: Any, result: core.WellbeingScore) -> WellbeingCheckIn:
    checkin = WellbeingCheckIn.objects.create(
        user=user,
        on=timezone.localdate(),
        responses=dict(result.responses),
        depression=result.subscale("depression"),
        anxiety=result.subscale("anxiety"),
        total=result.total,
        band=result.band,
        stress=result.stress,
    )
    audit.record(user, "create", checkin)
    return checkin


@transaction.atomic
def plan_self_care(user: Any, *, title: str, planned_for: date) -> SelfCareActivity:
    activity = SelfCareActivity.objects.create(user=user, title=title, planned_for=planned_for)
    audit.record(user, "create", activity)
    return activity


@transaction.atomic
def mark_self_care(activity: SelfCareActivity, *, happened: bool, by: Any) -> SelfCareActivity:
    lifestyle.check_self_care_outcome(activity.planned_for, timezone.localdate())
    activity.happened = happened
    activity.save(update_fields=["happened"])
    audit.record(by, "update", activity)
    return activity
