"""Intakes, instrument scores and placement overrides, stored as the core's documents.

The documents hold protected data and are encrypted; the few columns used to filter and
count (person, status, instrument, total, band, level) stay in clear.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.people.models import LEVELS_OF_CARE, Person
from trellis.security.fields import EncryptedJSONField, EncryptedTextField


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    COMPLETED = "completed", _("Completed")
    ENTERED_IN_ERROR = "entered-in-error", _("Entered in error")


class IntakeQuerySet(models.QuerySet["Intake"]):
    def current(self) -> IntakeQuerySet:
        return self.exclude(status=IntakeStatus.ENTERED_IN_ERROR)


class Intake(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="intakes")
    status = models.CharField(
        max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    document = EncryptedJSONField()
    # The assessment result (plan.md's placement, dimensions, safety, missing), once completed.
    result = EncryptedJSONField(null=True, blank=True)
    # Instruments the clinician asked for in full despite a negative screen.
    requested_in_full = models.JSONField(default=list, blank=True)
    kb_version = models.CharField(max_length=32, blank=True)
    level = models.CharField(max_length=4, choices=LEVELS_OF_CARE, blank=True)
    urgent = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"intake {self.public_id} ({self.status})"


class ScoreSource(models.TextChoices):
    INTAKE = "intake", _("Intake")
    SELF_REPORT = "self_report", _("Self-report")
    API = "api", _("API")
    FHIR = "fhir", _("FHIR QuestionnaireResponse")


class Score(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="scores")
    intake = models.ForeignKey(
        Intake, null=True, blank=True, on_delete=models.PROTECT, related_name="scores"
    )
    instrument = models.CharField(max_length=16, db_index=True)
    total = models.IntegerField(null=True, blank=True)
    band = models.CharField(max_length=32, blank=True)
    urgent = models.BooleanField(default=False)
    responses = EncryptedJSONField()
    result = EncryptedJSONField()
    source = models.CharField(max_length=16, choices=ScoreSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    # When the questionnaire was answered (a client may send it later); never in the future.
    taken_at = models.DateTimeField(default=timezone.now)
    # Subscale sums (BAM) as plain numbers, like `total`, so monitoring can read them in bulk.
    subscales = models.JSONField(null=True, blank=True)
    entered_in_error = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["person", "instrument", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} score {self.public_id}"


class PlacementOverride(models.Model):
    """A clinician's change of the recommended level, with the reason; counted for oversight."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="overrides")
    recommended_level = models.CharField(max_length=4, choices=LEVELS_OF_CARE)
    level = models.CharField(max_length=4, choices=LEVELS_OF_CARE)
    reason = EncryptedTextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"override {self.recommended_level} → {self.level}"
