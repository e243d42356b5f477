"""Open places per program, level of care and service; the people waiting; allocation runs and
the supervisor's changes to them (contracts/allocation.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.people.models import LEVELS_OF_CARE, Episode, Person, Program
from trellis.security.fields import EncryptedJSONField, EncryptedTextField


class Capacity(models.Model):
    """Open places and staff time of one service at one level of care in a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="capacities")
    level = models.CharField(_("level of care"), max_length=4, choices=LEVELS_OF_CARE)
    service = models.CharField(_("service"), max_length=60)
    slots = models.PositiveIntegerField(_("open places"))
    staff_hours_per_week = models.DecimalField(
        _("staff hours per week"), max_digits=7, decimal_places=1
    )
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program__name", "level", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "level", "service"], name="one_capacity_per_service"
            ),
            models.CheckConstraint(
                condition=models.Q(staff_hours_per_week__gte=0), name="staff_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.level}"


class EntryStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PLACED = "placed", _("Placed")
    REMOVED = "removed", _("Removed")


class WaitlistEntry(models.Model):
    """A person waiting for a place at their recommended level of care."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="waitlist_entries")
    level = models.CharField(_("level of care"), max_length=4, choices=LEVELS_OF_CARE)
    need_weight = models.FloatField(_("need weight"), default=1.0)
    needs = EncryptedTextField(_("needs and preferences"), blank=True)
    languages = models.JSONField(_("languages"), default=list)
    insurance = models.CharField(_("insurance"), max_length=16)
    max_travel_km = models.FloatField(_("maximum travel (km)"))
    location = EncryptedJSONField()  # {"lat", "lon"}
    groups = EncryptedJSONField(default=dict)  # the six equity groups (core.demographics)
    urgent_intake = models.BooleanField(default=False)
    waiting_since = models.DateField(_("waiting since"))
    status = models.CharField(
        max_length=8, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    removed_reason = EncryptedTextField(_("reason for removal"), blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)  # empty for removals before it
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["waiting_since", "created"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="waiting"),
                name="one_waiting_entry_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(need_weight__gt=0), name="need_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_travel_km__gt=0), name="max_travel_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"waitlist entry {self.public_id}"


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DISCARDED = "discarded", _("Discarded")


class AllocationRun(models.Model):
    """One allocation proposed from the waitlist and capacity as they stood (`snapshot`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    policy = models.CharField(max_length=10)
    equity_floor = models.FloatField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    # {"today", "requests", "capacity", "turnover_per_week"}: the documents sent to the core.
    snapshot = EncryptedJSONField()
    # The core's comparison of the three policies on the snapshot.
    result = EncryptedJSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"allocation run {self.public_id}"


class AllocationChange(models.Model):
    """The supervisor moved one person of a proposed run elsewhere, or left them waiting."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="changes")
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.PROTECT, related_name="+")
    from_program = models.CharField(max_length=80, blank=True)  # core program id, "" = waiting
    to_program = models.CharField(max_length=80, blank=True)  # "" = leave waiting
    reason = EncryptedTextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"change {self.pk} of {self.run_id}"
