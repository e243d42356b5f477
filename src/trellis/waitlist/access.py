"""Reads of waitlist entries, runs and programs by their public ids: audited, 404 when missing.

The pages are the supervisor's (role_required in views); these only find and audit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import Http404

from trellis.audit import log as audit
from trellis.audit.models import Outcome
from trellis.core.access import Purpose
from trellis.core.ids import parse_uuid
from trellis.people.models import Program
from trellis.waitlist.models import AllocationRun, WaitlistEntry


def _find(user: Any, model: type[Model], public_id: object, related: tuple[str, ...] = ()) -> Any:
    uuid = parse_uuid(public_id)
    row = model.objects.filter(public_id=uuid).select_related(*related).first() if uuid else None
    audit.record(
        user,
        "read",
        object_type=model.__name__,
        object_id=str(uuid) if row is not None else "unknown",
        outcome=Outcome.ALLOWED if row is not None else Outcome.DENIED,
        purpose=Purpose.OPERATIONS if row is not None else "",
    )
    if row is None:
        raise Http404
    return row


def access_entry(user: Any, entry_id: object) -> WaitlistEntry:
    return _find(user, WaitlistEntry, entry_id, ("person",))


def access_run(user: Any, run_id: object) -> AllocationRun:
    return _find(user, AllocationRun, run_id)


def access_program(user: Any, program_id: object) -> Program:
    return _find(user, Program, program_id)
