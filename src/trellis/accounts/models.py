"""Accounts: one user per login, with exactly one of the seven roles, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.core.access import STAFF_ROLES, Role

ROLE_LABELS = {
    Role.PERSON: _("Person in recovery"),
    Role.CLINICIAN: _("Clinician"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.FAMILY: _("Family member"),
    Role.NAVIGATOR: _("Peer navigator"),
    Role.ADMIN: _("Administrator"),
    Role.RESEARCHER: _("Researcher"),
}


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=16, choices=[(r.value, ROLE_LABELS[r]) for r in Role]
    )

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def needs_second_factor(self) -> bool:
        return self.role_enum in STAFF_ROLES

    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role_enum])


TOKEN_PREFIX = "trl_"  # noqa: S105 - the public prefix of every token, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def new_raw() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)


class IdempotentRequest(models.Model):
    """The stored answer to an API write sent with an `Idempotency-Key`, replayed on retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"idempotent request {self.pk}"
