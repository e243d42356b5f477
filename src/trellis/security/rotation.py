"""Re-encrypt every EncryptedTextField value with the primary key, in one transaction."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from trellis.core.encryption import new_key
from trellis.security.fields import EncryptedJSONField, EncryptedTextField, key_ring


@dataclass(frozen=True)
class Report:
    rows: int
    values: int
    key_id: str


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (EncryptedTextField, EncryptedJSONField))
        ]
        if names:
            found.append((model, names))
    return found


def rotate() -> Report:
    """Add a new key when keys come from the development file, then re-encrypt everything."""
    if _keys_from_development_file():
        _prepend_development_key()
    rows = values = 0
    with transaction.atomic():
        for model, names in encrypted_fields():
            for obj in model._base_manager.select_for_update().iterator(chunk_size=500):
                obj.save(update_fields=names)
                rows += 1
                values += sum(1 for name in names if getattr(obj, name))
    return Report(rows, values, key_ring().primary_id)


def _keys_from_development_file() -> bool:
    return (
        not settings.PRODUCTION
        and not os.environ.get("TRELLIS_ENCRYPTION_KEYS")
        and not os.environ.get("TRELLIS_ENCRYPTION_KEYS_FILE")
    )


def _prepend_development_key() -> None:
    path = settings.STATE_DIR / "trellis_encryption_keys"
    keys = f"{new_key()},{settings.ENCRYPTION_KEYS}"
    path.write_text(keys)
    settings.ENCRYPTION_KEYS = keys
