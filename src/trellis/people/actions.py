"""Audited writes about people, episodes, care teams and break-glass access."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import log as audit
from trellis.core.access import Relationship, Role, may_break_glass
from trellis.core.errors import InvalidInput
from trellis.people.access import find_person, relationship
from trellis.people.models import (
    BreakGlassAccess,
    CareTeamMembership,
    DischargeReason,
    Episode,
    Person,
)

MIN_REASON_CHARS = 10


def break_glass(user: Any, person_id: object, reason: str) -> BreakGlassAccess:
    """Open a record outside the care team for a limited time, with a reason, for later review.

    A refusal is audited outside any transaction, so the record of the attempt survives.
    """
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise InvalidInput(
            "reason", f"at least {MIN_REASON_CHARS} characters saying why access is needed"
        )
    person = find_person(person_id)
    rel = relationship(user, person) if person is not None else Relationship.NONE
    if person is None or not may_break_glass(Role(user.role), rel):
        audit.record(
            user,
            "break_glass",
            object_type="Person",
            object_id=str(person_id)[:64],
            outcome="denied",
        )
        raise Http404
    return _open_glass(user, person, reason)


@transaction.atomic
def _open_glass(user: Any, person: Person, reason: str) -> BreakGlassAccess:
    now = timezone.now()
    grant = BreakGlassAccess.objects.create(
        person=person,
        user=user,
        reason=reason,
        created=now,
        expires_at=BreakGlassAccess.expiry_from(now),
    )
    audit.record(
        user,
        "break_glass",
        object_type="Person",
        object_id=str(person.public_id),
        purpose="break_glass",
        detail={"grant": str(grant.public_id), "flagged_for_review": True},
    )
    return grant


@transaction.atomic
def review_break_glass(
    grant: BreakGlassAccess, *, by: Any, outcome: str, note: str
) -> BreakGlassAccess:
    if outcome not in ("appropriate", "inappropriate"):
        raise InvalidInput("outcome", "appropriate or inappropriate")
    if outcome == "inappropriate" and not note.strip():
        raise InvalidInput("note", "a note saying what follow-up is needed")
    grant.reviewed_by, grant.reviewed_at = by, timezone.now()
    grant.review_outcome, grant.review_note = outcome, note.strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note"])
    audit.record(by, "review", grant, detail={"outcome": outcome})
    return grant


@transaction.atomic
def admit(person: Person, *, level_of_care: str, on: date, by: Any) -> Episode:
    if person.current_episode() is not None:
        raise InvalidInput("episode", "one open episode at a time: discharge the current one first")
    episode = Episode.objects.create(
        person=person, program=person.program, admitted_on=on, level_of_care=level_of_care
    )
    audit.record(
        by,
        "create",
        episode,
        detail={"person": str(person.public_id), "level_of_care": level_of_care},
    )
    return episode


@transaction.atomic
def discharge(episode: Episode, *, on: date, reason: str, by: Any) -> Episode:
    if reason not in DischargeReason.values:
        raise InvalidInput("discharge_reason", ", ".join(DischargeReason.values))
    if on < episode.admitted_on:
        raise InvalidInput("discharged_on", "a date on or after the admission date")
    episode.discharged_on, episode.discharge_reason = on, reason
    episode.save(update_fields=["discharged_on", "discharge_reason"])
    audit.record(by, "update", episode, detail={"discharge_reason": reason})
    return episode


@transaction.atomic
def register_person(program: Any, *, by: Any, **details: Any) -> Person:
    """Create a person's record and put the registering clinician on their care team."""
    person = Person.objects.create(program=program, **details)
    audit.record(by, "create", person)
    add_to_care_team(person, by, by=by)
    return person


@transaction.atomic
def add_to_care_team(person: Person, member: Any, *, by: Any) -> CareTeamMembership:
    if Role(member.role) not in (Role.CLINICIAN, Role.SUPERVISOR, Role.NAVIGATOR):
        raise InvalidInput("member", "a clinician, supervisor or navigator")
    if person.care_team.active().filter(member=member).exists():
        raise InvalidInput("member", "someone not already on the care team")
    membership = CareTeamMembership.objects.create(person=person, member=member)
    audit.record(
        by,
        "create",
        membership,
        detail={"person": str(person.public_id), "member": member.username},
    )
    return membership


@transaction.atomic
def end_care_team_membership(
    membership: CareTeamMembership, *, on: date, by: Any
) -> CareTeamMembership:
    membership.ended_on = on
    membership.save(update_fields=["ended_on"])
    audit.record(
        by, "update", membership, detail={"person": str(membership.person.public_id), "ended": True}
    )
    return membership
