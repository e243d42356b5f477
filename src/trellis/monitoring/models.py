"""Measurement-based care: stepped-care proposals waiting for a clinician's decision, and what
each current plan schedules, kept in clear for the nightly evaluation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.security.fields import EncryptedJSONField, EncryptedTextField


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


RULE_TITLES = {
    "depression_not_responding": _("Depression is not responding to the plan"),
    "anxiety_not_responding": _("Anxiety is not responding to the plan"),
    "continued_use": _("Continued use despite the current level of care"),
    "bam_worsening": _("Reliable worsening on the BAM"),
    "doing_well": _("Doing well: step down"),
}


class Proposal(models.Model):
    """A plan revision suggested by a stepped-care rule, with its reasons.

    The clinician accepts it (a new plan version) or rejects it with a reason. One situation
    (rule and plan version) gives at most one proposal.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proposals")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="proposals")
    rule_id = models.CharField(max_length=60)
    key = models.CharField(max_length=160)
    changes = models.JSONField()  # [{action, code, level}] — codes and levels only
    reasons = EncryptedJSONField()  # [str]: they name the person's scores and use
    source = models.TextField()
    status = models.CharField(
        max_length=8, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    created = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(blank=True)
    new_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="one_proposal_per_situation")
        ]

    def __str__(self) -> str:
        return f"stepped-care proposal {self.public_id}"

    @property
    def title(self) -> str:
        return str(RULE_TITLES.get(self.rule_id, self.rule_id.replace("_", " ")))


class Schedule(models.Model):
    """What the person's current plan version calls for, in clear: the nightly evaluation's index.

    The plan document is encrypted, so the database cannot tell which measures a plan schedules
    or when it is reviewed. This row keeps those two facts for the plan version it was read from
    (`monitoring.nightly.refresh_schedules` reads each new version once, and every plan again
    when the schedule or the conditions of monitoring.yaml change). Which questionnaires are
    due hints at what the plan treats (a PHQ-9 every two weeks: depression), as a score's
    instrument, kept in clear, does once it is taken; the plan itself stays encrypted.
    """

    # Derived from the plan, so it goes with the person rather than holding them back.
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    # The instruments the plan's conditions call for, space-separated with a space at each end
    # (" phq9 bam checkin "), so that `LIKE '% phq9 %'` finds one in SQLite and PostgreSQL alike.
    measures = models.CharField(max_length=200)
    review_on = models.DateField(null=True, blank=True)
    rules = models.CharField(max_length=16)  # the digest of the rules it was read under
    refreshed = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"schedule of plan {self.plan_id}"


class NightlyRun(models.Model):
    """A night whose evaluation has finished (`monitoring.nightly.run_night`).

    The 02:00 task is missed when the task queue (Redis) or the worker is down at that minute,
    and a periodic task is not queued again later. The hourly catch-up finds no run finished
    within a day and an hour, and evaluates then: the night's alerts come late, not never.
    """

    night = models.DateField(unique=True)
    finished = models.DateTimeField(default=timezone.now)
    raised = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"nightly evaluation of {self.night}"
