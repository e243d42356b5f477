"""Audited writes for oversight: recording a visit (first contact, session, medication dose)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from trellis.audit import log as audit
from trellis.core import quality
from trellis.oversight.models import Visit
from trellis.people.models import Episode, Person


@transaction.atomic
def record_visit(
    person: Person, *, kind: str, on: date | None, status: str, by: Any, today: date
) -> Visit:
    """Store one visit in the episode it falls in (if any), and audit it."""
    quality.check_visit(kind, status, on, today=today)
    assert on is not None
    episode = (
        Episode.objects.filter(person=person, admitted_on__lte=on)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=on))
        .order_by("-admitted_on")
        .first()
    )
    visit = Visit.objects.create(
        person=person, episode=episode, kind=kind, on=on, status=status, recorded_by=by
    )
    audit.record(
        by,
        "create",
        visit,
        detail={"person": str(person.public_id), "kind": kind, "status": status},
    )
    return visit
