"""Visits: first contacts, sessions and medication doses, the events NIATx access measures count."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.people.models import Episode, Person


class VisitKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    SESSION = "session", _("Treatment session")
    MEDICATION_DOSE = "medication_dose", _("Medication dose")


class VisitStatus(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits")
    # The episode the visit falls in, when there is one (a first contact often precedes it).
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VisitKind.choices)
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=VisitStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-created"]
        indexes = [models.Index(fields=["person", "kind", "on"])]

    def __str__(self) -> str:
        return f"visit {self.public_id}"
