"""What a person writes in their own app: check-ins, journal, goals, plans and logs.

Free text is encrypted at rest (EncryptedTextField / EncryptedJSONField); only numbers, dates
and codes that the care team's signals and the person's insights count are stored in clear.
Every row belongs to one person and is read only through `trellis.recovery.access`.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.people.models import Person
from trellis.security.fields import EncryptedJSONField, EncryptedTextField


class Owned(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:  # never the content: it is the person's own words
        return f"{type(self).__name__} {self.public_id}"


class CheckIn(Owned):
    """The daily check-in. One per person per day; a second one for the same day is refused."""

    day = models.DateField(_("date"))
    craving = models.PositiveSmallIntegerField(_("craving"))
    mood = models.PositiveSmallIntegerField(_("mood"))
    sleep_hours = models.DecimalField(_("sleep hours"), max_digits=3, decimal_places=1)
    used = models.BooleanField(_("any use"))
    use_amount = EncryptedTextField(_("how much"), blank=True)
    triggers = models.JSONField(default=list)  # codes from the knowledge base
    coping = models.JSONField(default=list)  # [{code, helped}]
    note = EncryptedTextField(_("note"), blank=True)
    support_offered = models.BooleanField(default=False)  # just-in-time support was shown
    source = models.CharField(max_length=8, default="page")  # page or api
    # "Thoughts that you would be better off dead, or of hurting yourself": yes alerts the team.
    self_harm = models.BooleanField(_("thoughts of self-harm"), default=False)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="one_checkin_per_day"),
            models.CheckConstraint(
                condition=models.Q(craving__lte=10), name="checkin_craving_0_10"
            ),
            models.CheckConstraint(condition=models.Q(mood__lte=10), name="checkin_mood_0_10"),
            models.CheckConstraint(
                condition=models.Q(sleep_hours__gte=0, sleep_hours__lte=24),
                name="checkin_sleep_0_24",
            ),
        ]


class JournalEntry(Owned):
    """A trigger and craving journal entry. Shared with the care team only if the person says so."""

    at = models.DateTimeField(_("when"))
    craving = models.PositiveSmallIntegerField(_("craving"))
    triggers = models.JSONField(default=list)
    coping = models.JSONField(default=list)
    situation = EncryptedTextField(_("situation"), blank=True)
    text = EncryptedTextField(_("journal text"), blank=True)
    shared_with_care_team = models.BooleanField(_("share with my care team"), default=False)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(craving__lte=10), name="journal_craving_0_10"
            ),
        ]


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    DONE = "done", _("Reached")
    DROPPED = "dropped", _("Set aside")


class Goal(Owned):
    """A SMART goal: from the plan (plan_goal_id) or the person's own; milestones have a parent."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="milestones"
    )
    plan_goal_id = models.CharField(max_length=40, blank=True)
    statement = EncryptedTextField(_("goal"))
    measure = EncryptedTextField(_("how I will measure it"))
    target = EncryptedTextField(_("target"))
    confidence = models.PositiveSmallIntegerField(_("confidence"))
    reason = EncryptedTextField(_("why it matters to me"))
    due = models.DateField(_("by when"))
    status = models.CharField(max_length=8, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)

    class Meta:
        ordering = ["due", "pk"]


class GoalProgress(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(_("how far along (%)"))
    note = EncryptedTextField(_("note"), blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"GoalProgress {self.pk}"


class RelapsePreventionPlan(models.Model):
    """One per person: warning signs, high-risk situations with responses, people, reasons."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    warning_signs = EncryptedJSONField(default=list)  # [str]
    situations = EncryptedJSONField(default=list)  # [{situation, response}]
    contacts = EncryptedJSONField(default=list)  # [{name, phone, relation}]
    reasons = EncryptedJSONField(default=list)  # [str]
    distractions = EncryptedJSONField(default=list)  # [str] the personal distraction list
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"RelapsePreventionPlan {self.pk}"


class LifestyleLog(Owned):
    KINDS = [("sleep", _("Sleep")), ("exercise", _("Exercise")), ("nutrition", _("Nutrition"))]

    kind = models.CharField(max_length=10, choices=KINDS)
    on = models.DateField(_("date"))
    amount = models.DecimalField(max_digits=5, decimal_places=1)
    meals = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = EncryptedTextField(_("details"), blank=True)

    class Meta:
        ordering = ["-on", "-pk"]


class SelfCareActivity(Owned):
    KINDS = [("enjoyable", _("Enjoyable")), ("meaningful", _("Meaningful"))]

    title = EncryptedTextField(_("activity"))
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS)
    planned_for = models.DateField(_("planned for"))
    happened = models.BooleanField(null=True)  # None until the person says
    note = EncryptedTextField(_("how it went"), blank=True)

    class Meta:
        ordering = ["planned_for", "pk"]


class Worksheet(Owned):
    """A saved exercise whose content is all free text: an assertive-communication script, a
    problem-solving worksheet, a compassionate letter. The document is encrypted whole."""

    KINDS = [
        ("assertive", _("Assertive communication script")),
        ("problem", _("Problem-solving worksheet")),
        ("letter", _("Compassionate letter")),
    ]

    kind = models.CharField(max_length=10, choices=KINDS)
    document = EncryptedJSONField()
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated"]


class PracticeLog(Owned):
    """A guided exercise done on the page (coping, mindfulness or self-compassion)."""

    exercise = models.CharField(max_length=40)
    minutes = models.PositiveSmallIntegerField()
    done_on = models.DateField()
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-done_on", "-pk"]


class RecoveryEvent(Owned):
    """The timeline: a chosen start date, or a return to use. Never edited, never deleted."""

    KINDS = [("start", _("Started counting")), ("return", _("Return to use"))]

    kind = models.CharField(max_length=8, choices=KINDS)
    on = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["on", "pk"]


class Reminder(models.Model):
    """The daily check-in reminder at a time the person picks; sent by a background task."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="+")
    enabled = models.BooleanField(_("send me a daily reminder"), default=False)
    at = models.TimeField(_("time"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    last_sent_on = models.DateField(null=True, blank=True)
    # How it comes: e-mail (the account's address) or a text message to this number.
    channel = models.CharField(
        _("send by"),
        max_length=5,
        choices=[("email", _("E-mail")), ("sms", _("Text message"))],
        default="email",
    )
    phone = EncryptedTextField(_("mobile number"), blank=True)

    def __str__(self) -> str:
        return f"Reminder {self.pk}"
