"""Sending referrals and closing their loop: every write is checked, audited, and atomic.

A referral discloses the person's identity and need to the service's organisation, so it is
sent only under a consent in force that names that organisation and covers referral
information (42 CFR 2.31); the sending is a `disclose` entry in the audit log, which the
person's accounting of disclosures lists.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import log as audit
from trellis.audit.models import Outcome
from trellis.core import referrals as core
from trellis.core.access import Purpose
from trellis.core.consent import Category, covering
from trellis.core.errors import InvalidInput
from trellis.directory.categories import community
from trellis.directory.models import Service
from trellis.people.access import caseload
from trellis.people.models import Person
from trellis.referrals.models import Referral, Step
from trellis.sharing.models import Consent

MAX_REASON = 500


def consent_for(person: Person, service: Service, today: date | None = None) -> Consent | None:
    """The consent in force under which `person`'s referral may go to `service`'s organisation."""
    consents = list(
        Consent.objects.filter(person=person, recipient_organization_id=service.organization_id)
    )
    by_id = {str(c.public_id): c for c in consents}
    found = covering([c.in_force(today) for c in consents], Category.REFERRAL)
    return by_id[found.consent_id] if found else None


def send(person: Person, service: Service, *, need: str, reason: str, by: Any) -> Referral:
    """Send a referral: the need must be a community category and the service open; without a
    consent in force for its organisation nothing is sent, and the refusal is audited."""
    _check(need, reason, service)
    consent = consent_for(person, service)
    if consent is None:
        _refused(by, person)
        raise InvalidInput(
            "consent",
            "the person's consent in force to share referral information with "
            f"{service.organization.name}",
        )
    return _create(person, service, consent, need=need, reason=reason, by=by)


@transaction.atomic
def _create(
    person: Person, service: Service, consent: Consent, *, need: str, reason: str, by: Any
) -> Referral:
    today = timezone.localdate()
    referral = Referral.objects.create(
        person=person,
        service=service,
        consent=consent,
        need=need,
        reason=reason.strip(),
        status=core.Status.SENT,
        follow_up_on=core.follow_up_on(core.Status.SENT, today),
        created_by=by,
    )
    Step.objects.create(referral=referral, status=core.Status.SENT, by=by)
    audit.record(
        by,
        "disclose",
        object_type="Disclosure",
        object_id=str(person.public_id),
        purpose=Purpose.CONSENTED_DISCLOSURE,
        detail={
            "consent": str(consent.public_id),
            "categories": [Category.REFERRAL.value],
            "referral": str(referral.public_id),
        },
    )
    audit.record(by, "create", referral, detail={"service": service.hsds_id, "need": need})
    return referral


@transaction.atomic
def move(
    referral: Referral,
    to: str,
    *,
    by: Any,
    appointment_at: datetime | None = None,
    outcome: str | None = None,
    note: str = "",
) -> Referral:
    """One step of the loop (sent → accepted → scheduled → attended → closed, or declined /
    no-show); refused with the steps allowed from here, nothing changed."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if len(note) > MAX_REASON:
        raise InvalidInput("note", f"text of at most {MAX_REASON} characters")
    status, result = core.check_move(
        core.Status(locked.status), to, appointment_at=appointment_at, outcome=outcome
    )
    if status is core.Status.SCHEDULED:
        locked.appointment_at = appointment_at
    appointment_on = (
        timezone.localtime(locked.appointment_at).date() if locked.appointment_at else None
    )
    locked.status = status
    locked.outcome = result.value if result else locked.outcome
    locked.follow_up_on = core.follow_up_on(status, timezone.localdate(), appointment_on)
    locked.updated = timezone.now()
    locked.save()
    Step.objects.create(referral=locked, status=status, by=by, note=note.strip())
    audit.record(by, "update", locked, detail={"status": status.value})
    return locked


def worklist(user: Any, today: date) -> list[Referral]:
    """Open referrals of the people on `user`'s care teams, overdue follow-ups first."""
    # The people as a subquery, not a join made DISTINCT: a service's record is `json`,
    # which has no equality to make rows distinct by.
    rows = (
        Referral.objects.open()
        .filter(person__in=caseload(user))
        .select_related("person", "service__organization")
    )
    return sorted(rows, key=lambda r: (not r.is_overdue(today), r.follow_up_on or today))


def _check(need: str, reason: str, service: Service) -> None:
    if need not in community():
        raise InvalidInput("need", "one of: " + ", ".join(community()))
    if not reason.strip() or len(reason) > MAX_REASON:
        raise InvalidInput("reason", f"why the person is referred, at most {MAX_REASON} characters")
    if not service.open_to_referrals:
        raise InvalidInput("service", "a service that is active and not marked closed")


def _refused(by: Any, person: Person) -> None:
    audit.record(
        by,
        "disclose",
        object_type="Disclosure",
        object_id=str(person.public_id),
        outcome=Outcome.DENIED,
        detail={"categories": [Category.REFERRAL.value], "reason": "no consent in force"},
    )
