"""How the person's own tools find their record, and how staff read what the person shares.

Both go through `people.access` (`access_found`, the body of `access_person`), so the rule and
the audit entry are the same as everywhere else: a person reaches only their own tools; staff
read check-ins as care team and journal entries only when the person chose to share them.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.core.access import Role
from trellis.core.ids import parse_uuid
from trellis.people.access import access_found
from trellis.people.models import Person


def own_person(user: Any, *, what: str, write: bool = False) -> Person:
    """The signed-in person's own record (audited as a read or write of `what`); 404 for anyone else."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.PERSON:
        raise Http404
    own = Person.objects.filter(user=user).select_related("program").first()
    if own is None:
        raise Http404
    return access_found(user, own, write=write, what=what)


def owned(model: type, person: Person, public_id: object) -> Any:
    """One of `person`'s rows by its public id; another person's row is missing (404)."""
    found = model.objects.filter(person=person, public_id=parse_uuid(public_id)).first()
    if found is None:
        raise Http404
    return found
