"""EncryptedTextField: free text encrypted at rest with the key ring from the environment."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db import models

from trellis.core.encryption import KeyRing


@cache
def _ring(keys: str) -> KeyRing:
    return KeyRing.parse(keys)


def key_ring() -> KeyRing:
    return _ring(settings.ENCRYPTION_KEYS)


class EncryptedTextField(models.TextField):
    """A text field stored as AES-GCM ciphertext; Python code only ever sees the plain text.

    Encrypted values cannot be searched or ordered in the database: keep such fields to
    free text that is read, not queried.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return key_ring().decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return key_ring().encrypt(value)
