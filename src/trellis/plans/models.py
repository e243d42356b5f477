"""Plans as versioned documents, the person's informed choices, and clinicians' deviations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.assessments.models import Intake
from trellis.people.models import Person
from trellis.security.fields import EncryptedJSONField, EncryptedTextField


class PlanQuerySet(models.QuerySet["Plan"]):
    def current(self) -> Plan | None:
        return self.order_by("-version").first()


class Plan(models.Model):
    """One version of a person's plan: the core's `trellis.plan/1` document plus filter columns."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plans")
    intake = models.ForeignKey(
        Intake, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    version = models.PositiveIntegerField()
    document = EncryptedJSONField()
    kb_version = models.CharField(max_length=32)
    level = models.CharField(max_length=4, blank=True)
    change = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cosigned_at = models.DateTimeField(null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_plan_per_version")
        ]

    def __str__(self) -> str:
        return f"plan {self.public_id} v{self.version}"


class Decision(models.TextChoices):
    CONSENT = "consent", _("Informed consent")
    REFUSAL = "refusal", _("Informed refusal")


class PlanDecision(models.Model):
    """The person's choice about one option, with what they were shown and their teach-back."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="decisions")
    code = models.CharField(max_length=40)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    language = models.CharField(max_length=8)
    kb_version = models.CharField(max_length=32)
    text_shown = EncryptedJSONField()
    teach_back = EncryptedTextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.decision} {self.code}"


class DeviationAction(models.TextChoices):
    ADD = "add", _("Added")
    REMOVE = "remove", _("Removed")
    CHANGE = "change", _("Status changed")


class PlanDeviation(models.Model):
    """A clinician's change to what the knowledge base proposed, with the reason; counted."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="deviations")
    code = models.CharField(max_length=40)
    action = models.CharField(max_length=8, choices=DeviationAction.choices)
    status = models.CharField(max_length=16, blank=True)
    reason = EncryptedTextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.action} {self.code}"
