"""API authentication: a personal token (`Authorization: Bearer …`) or the browser session.

A staff session counts only after its second factor; a token stands on its own because it
was made by a signed-in, verified user (or by an operator with `trellis token create`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from trellis.accounts.models import ApiToken, hash_token

LAST_USED_RESOLUTION_SECONDS = 60


class TooManyBadTokensError(HttpError):
    """Too many wrong bearer tokens from one address: answered 429 with Retry-After."""

    def __init__(self) -> None:
        super().__init__(429, "Too many wrong API tokens from this address; try again later.")


def _failures_key(request: HttpRequest) -> str:
    return f"trellis:api-token-failures:{request.META.get('REMOTE_ADDR', '')}"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = _failures_key(request)
        if cache.get(key, 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            raise TooManyBadTokensError
        found = (
            ApiToken.objects.active()
            .filter(key_hash=hash_token(token))
            .select_related("user")
            .first()
        )
        if found is None or not found.user.is_active:
            if cache.add(key, 1, settings.API_TOKEN_FAILURE_WINDOW_SECONDS) is False:
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr: start again
                    cache.add(key, 1, settings.API_TOKEN_FAILURE_WINDOW_SECONDS)
            return None
        now = timezone.now()
        if (
            found.last_used is None
            or (now - found.last_used).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user


class VerifiedSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user and user.needs_second_factor and not user.is_verified():
            return None
        return user


AUTH = [TokenAuth(), VerifiedSessionAuth()]
