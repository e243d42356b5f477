"""Raise and acknowledge alerts, audited. One event raises at most one alert."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.alerts.models import Alert
from trellis.audit import log as audit
from trellis.core.errors import InvalidInput
from trellis.people.models import Person


def raise_alert(
    person: Person, *, kind: str, severity: str, reasons: list[str], event_key: str, by: Any
) -> Alert:
    """Create the alert for this event, or return the one already raised for it."""
    existing = Alert.objects.filter(person=person, event_key=event_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            alert = new_alert(
                person, kind=kind, severity=severity, reasons=reasons, event_key=event_key
            )
            alert.save(force_insert=True)
            audit.record(by, "create", alert, detail=created_detail(alert))
    except IntegrityError:  # raised concurrently by another request for the same event
        return Alert.objects.get(person=person, event_key=event_key)
    return alert


def new_alert(
    person: Person, *, kind: str, severity: str, reasons: list[str], event_key: str
) -> Alert:
    """The alert row `raise_alert` stores, not saved yet (the nightly run stores many at once)."""
    return Alert(
        person=person,
        kind=kind,
        severity=severity,
        reasons="\n".join(reasons),
        event_key=event_key,
    )


def created_detail(alert: Alert) -> dict[str, object]:
    """What the audit entry of a new alert says about it: no reasons, which may name findings."""
    return {"person": str(alert.person.public_id), "kind": alert.kind, "severity": alert.severity}


@transaction.atomic
def acknowledge_alert(alert: Alert, *, by: Any, note: str) -> Alert:
    if alert.acknowledged_at is not None:
        raise InvalidInput("alert", "an alert that is still open")
    if not note.strip():
        raise InvalidInput("note", "what was done or will be done about the alert")
    alert.acknowledged_by, alert.acknowledged_at, alert.note = by, timezone.now(), note.strip()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "note"])
    audit.record(by, "acknowledge", alert, detail={"person": str(alert.person.public_id)})
    return alert


@transaction.atomic
def resolve_alert(alert: Alert, *, by: Any, note: str) -> Alert:
    """Close an alert with what was done; an open alert is acknowledged by the same act."""
    if alert.resolved_at is not None:
        raise InvalidInput("alert", "an alert that is not yet resolved")
    if not note.strip():
        raise InvalidInput("note", "what was done to resolve the alert")
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = by, now
    alert.resolved_by, alert.resolved_at, alert.resolution = by, now, note.strip()
    alert.save(
        update_fields=[
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "resolution",
        ]
    )
    audit.record(by, "resolve", alert, detail={"person": str(alert.person.public_id)})
    return alert
