"""What a family member keeps about themselves: boundaries worksheets, CRAFT practice logs,
well-being check-ins and a self-care plan.

Free text is encrypted at rest; only numbers, dates and codes are stored in clear. Every row
belongs to one family member's login and is read only through `trellis.family.access`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.security.fields import EncryptedTextField


class Owned(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:  # never the content: it is the family member's own words
        return f"{type(self).__name__} {self.public_id}"


class BoundaryWorksheet(Owned):
    boundary = EncryptedTextField(_("the boundary"))
    how_to_say = EncryptedTextField(_("how I will say it"))
    consequence = EncryptedTextField(_("what I will do if it is crossed"))
    self_care = EncryptedTextField(_("how I will take care of myself"))
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated", "-pk"]


class CraftPractice(Owned):
    """One try of a CRAFT skill: what was tried, how it went (1-5), a note."""

    module = models.CharField(max_length=40)  # a module id from knowledge/family/craft.yaml
    done_on = models.DateField(_("date"))
    tried = EncryptedTextField(_("what I tried"))
    outcome = models.PositiveSmallIntegerField(_("how it went"))
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__gte=1, outcome__lte=5), name="craft_outcome_1_5"
            ),
        ]


class WellbeingCheckIn(Owned):
    """The PHQ-4 answers with their scores, and the 0-10 stress self-rating."""

    on = models.DateField(_("date"))
    responses = models.JSONField(default=dict)  # item code -> 0-3
    depression = models.PositiveSmallIntegerField()  # PHQ-2 subscale
    anxiety = models.PositiveSmallIntegerField()  # GAD-2 subscale
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=12)
    stress = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__lte=12), name="phq4_total_0_12"),
            models.CheckConstraint(condition=models.Q(stress__lte=10), name="family_stress_0_10"),
        ]


class SelfCareActivity(Owned):
    title = EncryptedTextField(_("activity"))
    planned_for = models.DateField(_("planned for"))
    happened = models.BooleanField(null=True)  # None until the family member says

    class Meta:
        ordering = ["planned_for", "pk"]
