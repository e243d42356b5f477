"""Directory curation: verify a service, mark it closed or open again, edit what search uses.

Every change is one `Edit` row per field (who, when, before, after), shown on the curation
page, and one audit entry. Directory records are public information, so the values are kept
in clear.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import log as audit
from trellis.core.errors import InvalidInput
from trellis.directory.categories import community
from trellis.directory.index import reindex
from trellis.directory.models import Edit, Service

EDITABLE = (
    "name",
    "status",
    "phone",
    "url",
    "email",
    "categories",
    "languages",
    "minimum_age",
    "maximum_age",
    "free",
    "sliding_scale",
    "insurance",
    "faith_based",
    "peer_led",
    "veterans_only",
)
# The HSDS 3.0 service fields a curator's edit writes back into the record, so an export
# carries the curated value.
HSDS_FIELDS = ("name", "status", "url", "email", "minimum_age", "maximum_age")
STATUSES = ("active", "inactive", "defunct", "temporarily closed")


@transaction.atomic
def edit(service: Service, changes: dict[str, Any], *, by: Any) -> list[Edit]:
    """Apply the fields that changed; nothing is written when one of them is not allowed."""
    _check(changes)
    locked = Service.objects.select_for_update().get(pk=service.pk)
    edits = []
    for name in EDITABLE:
        if name not in changes or getattr(locked, name) == changes[name]:
            continue
        before = getattr(locked, name)
        setattr(locked, name, changes[name])
        if name in HSDS_FIELDS:
            locked.record = {**locked.record, name: changes[name]}
        edits.append(_edit(locked, name, before, changes[name], by))
    if edits:
        locked.updated = timezone.now()
        locked.save()
        reindex([locked.pk])
        audit.record(by, "update", locked, detail={"fields": [e.field for e in edits]})
    return edits


@transaction.atomic
def verify(service: Service, *, by: Any) -> None:
    now = timezone.now()
    Service.objects.filter(pk=service.pk).update(verified_at=now, verified_by=by, updated=now)
    _edit(service, "verified_at", service.verified_at, now, by)
    audit.record(by, "verify", service)


@transaction.atomic
def set_closed(service: Service, closed: bool, *, by: Any) -> None:
    """Mark closed (search and referrals leave it out) or open again."""
    now = timezone.now()
    value = now if closed else None
    Service.objects.filter(pk=service.pk).update(closed_at=value, updated=now)
    _edit(service, "closed_at", service.closed_at, value, by)
    audit.record(by, "close" if closed else "reopen", service)


def _edit(service: Service, name: str, before: Any, after: Any, by: Any) -> Edit:
    return Edit.objects.create(
        record_type="service",
        hsds_id=service.hsds_id,
        field=name,
        before=_text(before),
        after=_text(after),
        by=by,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _check(changes: dict[str, Any]) -> None:
    if "name" in changes and not str(changes["name"]).strip():
        raise InvalidInput("name", "the service's name")
    if "status" in changes and changes["status"] not in STATUSES:
        raise InvalidInput("status", "one of: " + ", ".join(STATUSES))
    unknown = set(changes.get("categories") or ()) - set(community())
    if unknown:
        raise InvalidInput("categories", "community categories: " + ", ".join(community()))
    low, high = changes.get("minimum_age"), changes.get("maximum_age")
    if low is not None and high is not None and low > high:
        raise InvalidInput("maximum_age", "an age at or above the minimum age")
