"""`Idempotency-Key` for API writes that a client may retry (contracts/api.md).

The first request with a key runs and its answer is stored in the same transaction; a retry
with the same key and the same request gets the stored answer and changes nothing; the same key
with a different request is refused. Concurrent retries wait on the key's unique index.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Status

from trellis.accounts.models import IdempotentRequest
from trellis.core.errors import InvalidInput

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY = 200


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a ninja operation that returns `(status, body)`; the wrapper answers with ninja's Status."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.META.get(HEADER)
        if not key:
            return Status(*view(request, *args, **kwargs))
        if len(key) > MAX_KEY:
            raise InvalidInput("Idempotency-Key", f"at most {MAX_KEY} characters")
        fingerprint = hashlib.sha256(
            request.method.encode() + request.path.encode() + request.body
        ).hexdigest()
        try:
            with transaction.atomic():
                return Status(*_first(request, view, key, fingerprint, args, kwargs))
        except IntegrityError:
            return Status(*_replay(request, key, fingerprint))

    return wrapped


def _first(
    request: HttpRequest,
    view: Callable[..., Any],
    key: str,
    fingerprint: str,
    args: Any,
    kwargs: Any,
) -> Any:
    existing = (
        IdempotentRequest.objects.select_for_update().filter(user=request.user, key=key).first()
    )
    if existing is not None:
        return _answer(existing, fingerprint)
    placeholder = IdempotentRequest.objects.create(
        user=request.user, key=key, fingerprint=fingerprint, status=0, body=""
    )
    status, body = view(request, *args, **kwargs)
    placeholder.status, placeholder.body = status, json.dumps(body, default=str)
    placeholder.save(update_fields=["status", "body"])
    return status, body


def _replay(request: HttpRequest, key: str, fingerprint: str) -> Any:
    return _answer(IdempotentRequest.objects.get(user=request.user, key=key), fingerprint)


def _answer(stored: IdempotentRequest, fingerprint: str) -> Any:
    if stored.fingerprint != fingerprint:
        raise InvalidInput(
            "Idempotency-Key", "a new key for a different request (this one was used already)"
        )
    return stored.status, json.loads(stored.body)
