"""People in recovery, their episodes of care, their care teams and break-glass grants."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.security.fields import EncryptedTextField

LEVELS_OF_CARE = [
    ("0.5", _("0.5 Early intervention")),
    ("1.0", _("1.0 Outpatient")),
    ("2.1", _("2.1 Intensive outpatient")),
    ("2.5", _("2.5 Partial hospitalization")),
    ("3.1", _("3.1 Clinically managed low-intensity residential")),
    ("3.5", _("3.5 Clinically managed high-intensity residential")),
    ("3.7", _("3.7 Medically monitored intensive inpatient")),
    ("4.0", _("4.0 Medically managed intensive inpatient")),
]

BREAK_GLASS_MINUTES = 60


# Insurance a program may accept, as contracts/intake.schema.json spells person.insurance
# ("none" = free or sliding scale).
INSURANCE = [
    ("none", _("None (free or sliding scale)")),
    ("medicaid", _("Medicaid")),
    ("medicare", _("Medicare")),
    ("private", _("Private")),
    ("va", _("VA")),
    ("other", _("Other")),
]


class Program(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)  # BCP 47 primary tags
    insurance = models.JSONField(_("insurance accepted"), default=list, blank=True)

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A person in recovery. `public_id` is the only id that leaves the database."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(_("given name"), max_length=80)
    family_name = models.CharField(_("family name"), max_length=80)
    birth_date = models.DateField(_("date of birth"))
    preferred_language = models.CharField(_("preferred language"), max_length=8, default="en")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    def current_episode(self) -> Episode | None:
        return self.episodes.filter(discharged_on__isnull=True).order_by("-admitted_on").first()


class DischargeReason(models.TextChoices):
    COMPLETED = "completed", _("Treatment completed")
    TRANSFERRED = "transferred", _("Transferred to another level or program")
    LEFT = "left", _("Left before completing")
    ADMINISTRATIVE = "administrative", _("Administrative discharge")
    INCARCERATED = "incarcerated", _("Incarcerated")
    DIED = "died", _("Died")
    OTHER = "other", _("Other")


class Episode(models.Model):
    """One episode of care: admission at a level of care, and discharge with a reason."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="episodes")
    admitted_on = models.DateField(_("admitted on"))
    level_of_care = models.CharField(_("level of care"), max_length=4, choices=LEVELS_OF_CARE)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=16, choices=DischargeReason.choices, blank=True
    )

    class Meta:
        ordering = ["-admitted_on"]

    def __str__(self) -> str:
        return f"episode {self.pk} at {self.level_of_care}"


class CareTeamMembershipQuerySet(models.QuerySet["CareTeamMembership"]):
    def active(self) -> CareTeamMembershipQuerySet:
        return self.filter(ended_on__isnull=True)


class CareTeamMembership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_team")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_teams"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = CareTeamMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "member"],
                condition=models.Q(ended_on__isnull=True),
                name="one_active_membership_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} on care team {self.person_id}"


class BreakGlassQuerySet(models.QuerySet["BreakGlassAccess"]):
    def active(self) -> BreakGlassQuerySet:
        return self.filter(expires_at__gt=timezone.now())

    def awaiting_review(self) -> BreakGlassQuerySet:
        return self.filter(reviewed_at__isnull=True)


class BreakGlassAccess(models.Model):
    """Emergency access outside the care team: time-limited, with a reason, reviewed later."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass"
    )
    reason = EncryptedTextField(_("reason"))
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(_("review note"), blank=True)
    review_outcome = models.CharField(max_length=16, blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"break-glass {self.public_id}"

    @staticmethod
    def expiry_from(now: timezone.datetime) -> timezone.datetime:
        return now + timedelta(minutes=BREAK_GLASS_MINUTES)
