"""Closed-loop referrals from a person's care team to a directory service, and their history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.core import referrals as core
from trellis.directory.models import Service
from trellis.people.models import Person
from trellis.security.fields import EncryptedTextField
from trellis.sharing.models import Consent

STATUS_LABELS = {
    core.Status.SENT: _("Sent"),
    core.Status.ACCEPTED: _("Accepted"),
    core.Status.SCHEDULED: _("Scheduled"),
    core.Status.ATTENDED: _("Attended"),
    core.Status.DECLINED: _("Declined"),
    core.Status.NO_SHOW: _("No-show"),
    core.Status.CLOSED: _("Closed"),
}
OUTCOME_LABELS = {
    core.Outcome.NEED_MET: _("Need met"),
    core.Outcome.PARTLY_MET: _("Need partly met"),
    core.Outcome.NOT_MET: _("Need not met"),
    core.Outcome.PERSON_WITHDREW: _("The person withdrew"),
    core.Outcome.LOST_CONTACT: _("Lost contact"),
}


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> ReferralQuerySet:
        return self.exclude(status=core.Status.CLOSED)

    def overdue(self, today: object) -> ReferralQuerySet:
        return self.open().filter(follow_up_on__lt=today)


class Referral(models.Model):
    """A referral sent under the person's consent to share with the service's organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    need = models.CharField(max_length=40)  # the com.* category the referral answers
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(
        max_length=12, choices=[(s.value, STATUS_LABELS[s]) for s in core.Status]
    )
    appointment_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, blank=True, choices=[(o.value, OUTCOME_LABELS[o]) for o in core.Outcome]
    )
    follow_up_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "follow_up_on"], name="referral_follow_up")]

    def __str__(self) -> str:
        return f"referral {self.public_id}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[core.Status(self.status)])

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[core.Outcome(self.outcome)]) if self.outcome else ""

    def is_overdue(self, today: object) -> bool:
        return core.overdue(self.follow_up_on, today)  # type: ignore[arg-type]


class Step(models.Model):
    """One status change of a referral: what, when, by whom, with an optional note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=12)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d}"
