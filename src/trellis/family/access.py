"""How the family member's tools reach their own rows: only their own, and every read audited.

Another family member's row, a bad id and a missing row all give the same 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.core.access import Role
from trellis.core.ids import parse_uuid

family_only = role_required(Role.FAMILY)


def read_own(user: Any, what: str) -> None:
    """Audit one page's read of the family member's own `what` rows."""
    audit.record(user, "read", object_type=what, object_id=str(user.pk))


def owned(model: type, user: Any, public_id: object) -> Any:
    """One of `user`'s rows by its public id (audited as a read); anyone else's is missing."""
    found = model.objects.filter(user=user, public_id=parse_uuid(public_id)).first()
    if found is None:
        raise Http404
    audit.record(user, "read", found)
    return found
