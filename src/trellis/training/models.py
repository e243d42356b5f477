"""A trainee's answers to the training vignettes, each with the reference it was compared with.

Vignettes are synthetic cases (knowledge/training/), not people: nothing here points at a Person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.core import training as core
from trellis.people.models import LEVELS_OF_CARE
from trellis.security.fields import EncryptedTextField


class TrainingAnswer(models.Model):
    """One answer. Re-answering a vignette adds a row; agreement uses the latest per vignette."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_answers"
    )
    vignette_id = models.CharField(max_length=80)
    # The knowledge-base version that gave the reference: a later change shows as a difference.
    kb_version = models.CharField(max_length=32)
    level = models.CharField(max_length=4, choices=LEVELS_OF_CARE)
    codes = models.JSONField(default=list)
    note = EncryptedTextField(blank=True)
    reference_level = models.CharField(max_length=4, choices=LEVELS_OF_CARE)
    reference_codes = models.JSONField(default=list)
    # The engine's reasons (placement rationale, each code's "because"), kept with the answer.
    reference_reasons = models.JSONField(default=dict)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["trainee", "vignette_id"], name="training_trainee_vignette")
        ]

    def __str__(self) -> str:
        return f"training answer {self.public_id}"

    def as_core(self) -> core.Answer:
        return core.Answer(
            self.vignette_id,
            self.level,
            tuple(self.codes),
            self.reference_level,
            tuple(self.reference_codes),
        )

    def comparison(self) -> core.Comparison:
        return core.compare(self.level, self.codes, self.reference_level, self.reference_codes)
