"""Alerts to the care team: raised by a finding, kept until someone acknowledges them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.people.models import Person
from trellis.security.fields import EncryptedTextField


class Severity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


SEVERITY_ORDER = [Severity.URGENT, Severity.HIGH, Severity.MEDIUM, Severity.LOW]

KIND_LABELS = {
    "suicide_risk": _("Suicide risk on a questionnaire"),
    "suicidal_ideation": _("Thoughts of self-harm"),
    "return_to_use": _("Return to use"),
    "craving_spike": _("Craving spike"),
    "missed_checkins": _("Missed check-ins"),
    "reliable_worsening": _("Reliable worsening on a measure"),
    "overdue_reassessment": _("Re-assessment overdue"),
    "goals_stalled": _("No progress on goals by the review date"),
}


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        """Not yet acknowledged: nobody on the care team has taken it on."""
        return self.filter(acknowledged_at__isnull=True)

    def unresolved(self) -> AlertQuerySet:
        """Open or acknowledged, but not yet resolved."""
        return self.filter(resolved_at__isnull=True)


class Alert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=40)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    # The data that raised it, in plain words (may name findings, so encrypted).
    reasons = EncryptedTextField()
    # One event raises one alert: e.g. "score:<uuid>:suicide_risk".
    event_key = models.CharField(max_length=120)
    created = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = EncryptedTextField(blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["person", "event_key"], name="one_alert_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.severity} {self.kind} alert {self.public_id}"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind.replace("_", " ")))

    @property
    def status(self) -> str:
        if self.resolved_at is not None:
            return "resolved"
        return "acknowledged" if self.acknowledged_at is not None else "open"

    def reason_list(self) -> list[str]:
        return [line for line in self.reasons.splitlines() if line]
