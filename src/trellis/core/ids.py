"""Public ids: opaque UUIDs in addresses and documents, never database keys."""

from __future__ import annotations

import uuid


def parse_uuid(value: object) -> uuid.UUID | None:
    """The UUID `value` spells, or None (a bad id is treated exactly like a missing record)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
