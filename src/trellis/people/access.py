"""The one choke point for reading a person's record: permission-checked and audited.

A missing record and a forbidden one both raise Http404, so an outsider cannot learn that a
record exists. The rule itself is `trellis.core.access`; this module only finds the facts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trellis.audit import log as audit
from trellis.audit.models import Outcome
from trellis.core.access import (
    Purpose,
    Relationship,
    Role,
    may_read,
    may_receive,
    may_refer,
    may_write,
    purpose_for,
)
from trellis.core.ids import parse_uuid
from trellis.people.models import BreakGlassAccess, CareTeamMembership, Person


def relationship(user: Any, person: Person) -> Relationship:
    if person.user_id is not None and person.user_id == user.pk:
        return Relationship.SELF
    if CareTeamMembership.objects.active().filter(person=person, member=user).exists():
        return Relationship.CARE_TEAM
    if BreakGlassAccess.objects.active().filter(person=person, user=user).exists():
        return Relationship.BREAK_GLASS
    from trellis.sharing.models import FamilyLink

    if FamilyLink.objects.active().filter(person=person, user=user).exists():
        return Relationship.FAMILY
    return Relationship.NONE


def find_person(person_id: object) -> Person | None:
    public_id = parse_uuid(person_id)
    if public_id is None:
        return None
    return Person.objects.filter(public_id=public_id).select_related("program").first()


def access_person(
    user: Any, person_id: object, *, write: bool = False, what: str = "Person"
) -> Person:
    """Return the person if `user` may see (or, with `write`, change) their record; audit the attempt.

    `what` names the part of the record being read (e.g. "Plan") for the audit entry.
    """
    return access_found(user, find_person(person_id), write=write, what=what)


def access_found(user: Any, person: Person | None, *, write: bool, what: str) -> Person:
    """`access_person` for a record already found (None when there is none)."""
    rel = relationship(user, person) if person is not None else Relationship.NONE
    allowed = person is not None and _allows(user, rel, write)
    audit.record(
        user,
        "write" if write else "read",
        object_type=what,
        object_id=str(person.public_id) if person is not None else "unknown",
        outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
        purpose=purpose_for(rel) if allowed else "",
    )
    if not allowed:
        raise Http404
    assert person is not None
    return person


def access_shared(user: Any, person_id: object, category: str) -> tuple[Person, Any]:
    """Return the person and the consent in force under which `user` may receive `category`.

    The consent-scoped counterpart of `access_person`: every call is one audit entry, a
    disclosure ("disclose", with the consent's id) when allowed, a denial otherwise. Anything
    not covered by a consent in force for this recipient is missing (404).
    """
    from trellis.core import consent as consent_core
    from trellis.sharing.models import Consent

    person = find_person(person_id)
    rel = relationship(user, person) if person is not None else Relationship.NONE
    consents = (
        list(Consent.objects.received_by(user, person))
        if person is not None and rel is Relationship.FAMILY
        else []
    )
    in_force = [c.in_force() for c in consents]
    allowed = getattr(user, "is_authenticated", False) and may_receive(
        Role(user.role), rel, category, consent_core.shared_categories(in_force)
    )
    covering = consent_core.covering(in_force, consent_core.Category(category)) if allowed else None
    audit.record(
        user,
        "disclose" if allowed else "read",
        object_type="Shared",
        object_id=str(person.public_id) if person is not None else "unknown",
        outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
        purpose=Purpose.CONSENTED_DISCLOSURE if allowed else "",
        detail={"category": category, **({"consent": covering.consent_id} if covering else {})},
    )
    if not allowed or covering is None:
        raise Http404
    assert person is not None
    consent = next(c for c in consents if str(c.public_id) == covering.consent_id)
    return person, consent


def _allows(user: Any, rel: Relationship, write: bool) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    check = may_write if write else may_read
    return check(Role(user.role), rel)


def caseload(user: Any) -> QuerySet[Person]:
    """The people on `user`'s care teams (no audit: a list of names is read where it is shown)."""
    return Person.objects.filter(
        care_team__member=user, care_team__ended_on__isnull=True
    ).distinct()


def access_for_referrals(user: Any, person_id: object, *, what: str = "Referral") -> Person:
    """Return the person if `user` works with their referrals (`may_refer`): their care team,
    navigators included, or the person themselves. Audited like `access_person`; 404 otherwise.

    A navigator reached this way sees what navigation needs (name, referrals, the plan's
    community needs and the intake facts matching uses), not the clinical record.
    """
    person = find_person(person_id)
    rel = relationship(user, person) if person is not None else Relationship.NONE
    allowed = (
        person is not None
        and getattr(user, "is_authenticated", False)
        and may_refer(Role(user.role), rel)
    )
    audit.record(
        user,
        "read",
        object_type=what,
        object_id=str(person.public_id) if person is not None else "unknown",
        outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
        purpose=(Purpose.SELF_SERVICE if rel is Relationship.SELF else Purpose.NAVIGATION)
        if allowed
        else "",
    )
    if not allowed:
        raise Http404
    assert person is not None
    return person
