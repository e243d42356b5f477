"""Consent-scoped sharing: consents (42 CFR 2.31), family members linked by invitation, family
sessions with invitations and attendance, and the milestones family members were told of.

Disclosures themselves are entries in the audit log (action "disclose"), which is append-only
and hash-chained; the accounting of disclosures reads them from there.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.core import consent as core
from trellis.people.models import Person
from trellis.security.fields import EncryptedTextField

INVITATION_DAYS = 7


class FamilyLinkQuerySet(models.QuerySet["FamilyLink"]):
    def active(self) -> FamilyLinkQuerySet:
        return self.filter(ended_at__isnull=True)


class FamilyLink(models.Model):
    """A family member's account, linked to one person by that person's invitation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_links"
    )
    relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    created = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = FamilyLinkQuerySet.as_manager()

    class Meta:
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_link_per_family_member",
            )
        ]

    def __str__(self) -> str:
        return f"family link {self.public_id}"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            used_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time link for a family member to join. Only the token's hash is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invitee_name = EncryptedTextField(_("their name"))
    relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    # A consent naming the invitee: when they join, it becomes theirs (the clinician's way).
    consent = models.ForeignKey(
        "Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"invitation {self.public_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.cancelled_at:
            return "cancelled"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def received_by(self, user: object, person: Person) -> ConsentQuerySet:
        """The consents naming `user` as recipient, through a family link still active."""
        return self.filter(
            person=person, recipient_link__user=user, recipient_link__ended_at__isnull=True
        )


class Consent(models.Model):
    """A written consent to disclose (42 CFR 2.31), as the person signed it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    disclosing_party = models.CharField(_("who may disclose"), max_length=200)
    recipient_kind = models.CharField(
        max_length=16, choices=[(k.value, k.value) for k in core.RecipientKind]
    )
    recipient_name = EncryptedTextField(_("recipient"))
    recipient_link = models.ForeignKey(
        FamilyLink, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    recipient_organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
    )
    purpose = EncryptedTextField(_("purpose"))
    categories = models.JSONField(default=list)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    end_event = EncryptedTextField(_("ends when"), blank=True)
    end_event_on = models.DateField(null=True, blank=True)  # the day the end event was recorded
    signature_method = models.CharField(
        max_length=12, choices=[(m.value, m.value) for m in core.SignatureMethod]
    )
    signed_name = EncryptedTextField()
    signed_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=8, default="en")
    text_shown = EncryptedTextField()  # the consent as the person read it when signing
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"consent {self.public_id}"

    def status(self, today: date | None = None) -> core.Status:
        return core.status(
            revoked=self.revoked_at is not None,
            ends_on=self.ends_on,
            ended_by_event=self.end_event_on is not None,
            today=today or timezone.localdate(),
        )

    def in_force(self, today: date | None = None) -> core.InForce:
        return core.InForce(
            consent_id=str(self.public_id),
            categories=frozenset(core.Category(c) for c in self.categories),
            status=self.status(today),
        )

    @property
    def category_list(self) -> list[core.Category]:
        return [core.Category(c) for c in self.categories]


class SessionKind(models.TextChoices):
    FAMILY_THERAPY = "family_therapy", _("Family therapy session")
    FAMILY_MEETING = "family_meeting", _("Family meeting with the care team")
    EDUCATION = "education", _("Family education group")


class FamilySession(models.Model):
    """A session the clinician schedules for the person and the family they invite."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=60)
    place = models.CharField(_("place or video link"), max_length=200)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    person_attended = models.BooleanField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"family session {self.public_id}"


class Reply(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    YES = "yes", _("Will attend")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("Cannot attend")


class SessionInvitation(models.Model):
    """A family member invited to a session: their reply, and whether they attended."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(FamilySession, on_delete=models.PROTECT, related_name="invites")
    link = models.ForeignKey(FamilyLink, on_delete=models.PROTECT, related_name="session_invites")
    reply = models.CharField(max_length=8, choices=Reply.choices, default=Reply.PENDING)
    replied_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "link"], name="one_invite_per_session")
        ]

    def __str__(self) -> str:
        return f"session invitation {self.public_id}"


class MilestoneNotice(models.Model):
    """A milestone a family member was told of, under a consent that shares milestones."""

    link = models.ForeignKey(FamilyLink, on_delete=models.PROTECT, related_name="notices")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    milestone = models.PositiveIntegerField()
    count_started = models.DateField()
    created = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "count_started", "milestone"], name="one_notice_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"milestone notice {self.pk}"
