"""Audited writes about accounts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.accounts.models import ApiToken, hash_token
from trellis.audit import log as audit


@transaction.atomic
def create_token(user: Any, name: str, *, by: Any = None) -> str:
    """Create a personal API token and return it; only its hash is kept."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), hint=raw[:8])
    audit.record(by or user, "create", token, object_id=str(token.pk))
    return raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Any) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(by, "revoke", token, object_id=str(token.pk))
    return token
