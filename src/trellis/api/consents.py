"""Consents, the accounting of disclosures, and what a consent shares (contracts/api.md:
`consents`).

The person creates and revokes their consents; the care team's clinicians read them. A family
member reads `/shared/{category}` only under a consent in force that covers the category
(`people.access.access_shared`: audited as a disclosure, a 404 otherwise).
"""
# No `from __future__ import annotations`: see api/recovery.py (the @idempotent wrapper).

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from ninja import Router, Schema

from trellis.api.errors import Error
from trellis.api.idempotency import idempotent
from trellis.audit import log as audit
from trellis.core import consent as core
from trellis.core.access import Role
from trellis.people.access import access_person, access_shared
from trellis.people.models import Person
from trellis.recovery.access import owned
from trellis.sharing import accounting, actions, disclosed
from trellis.sharing.models import Consent

router = Router(tags=["consents"])


class ConsentIn(Schema):
    recipient_kind: str
    recipient_link: str | None = None
    recipient_name: str = ""
    purpose: str = ""
    categories: list[str] = []
    ends_on: date | None = None
    end_event: str = ""
    signature_method: str = "confirmed"
    signed_name: str = ""
    confirm: bool = False


class ConsentOut(Schema):
    id: UUID
    person_id: UUID
    disclosing_party: str
    recipient_kind: str
    recipient_name: str
    purpose: str
    categories: list[str]
    ends_on: date | None
    end_event: str
    signature_method: str
    signed_name: str
    signed_at: datetime
    status: str
    revoked_at: datetime | None
    right_to_revoke: str
    text: str


class DisclosureOut(Schema):
    at: datetime
    recipient: str
    received_by: str
    channel: str
    categories: list[str]
    consent_id: UUID | None


class SharedOut(Schema):
    person_id: UUID
    category: str
    scope: str
    data: dict[str, Any]
    consent_id: UUID
    notice: str
    notice_source: str


RIGHT_TO_REVOKE = (
    "The person may revoke this consent at any time, effective at once, on the Sharing page of "
    "Trellis, through this API (POST .../revoke), or by telling their care team."
)


def consent_out(row: Consent) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "person_id": row.person.public_id,
        "disclosing_party": row.disclosing_party,
        "recipient_kind": row.recipient_kind,
        "recipient_name": row.recipient_name,
        "purpose": row.purpose,
        "categories": row.categories,
        "ends_on": row.ends_on,
        "end_event": row.end_event,
        "signature_method": row.signature_method,
        "signed_name": row.signed_name,
        "signed_at": row.signed_at,
        "status": row.status().value,
        "revoked_at": row.revoked_at,
        "right_to_revoke": RIGHT_TO_REVOKE,
        "text": row.text_shown,
    }


def _own(request: HttpRequest, person_id: UUID) -> Person:
    """Only the person signs or revokes their consents; anyone else gets the audited 404."""
    person = access_person(request.user, person_id, write=True, what="Consent")
    if request.user.role != Role.PERSON:
        audit.record(request.user, "write", object_type="Consent", outcome="denied")
        raise Http404
    return person


@router.post(
    "/people/{person_id}/consents",
    response={201: ConsentOut, 401: Error, 404: Error, 422: Error},
)
@idempotent
def create_consent(
    request: HttpRequest, person_id: UUID, payload: ConsentIn
) -> tuple[int, dict[str, Any]]:
    """Sign a consent: recipient, purpose, categories, an end date or event, and a signature
    (`typed` with the person's full name, or `confirmed` with `confirm: true`)."""
    from trellis.sharing.views import consent_context

    person = _own(request, person_id)
    terms = actions.check(person, payload.dict(), by=request.user)
    text = strip_tags(
        render_to_string("sharing/_consent_text.html", consent_context(person, terms))
    )
    row = actions.create_consent(person, terms, by=request.user, language="en", text_shown=text)
    return 201, consent_out(row)


@router.get(
    "/people/{person_id}/consents", response={200: list[ConsentOut], 401: Error, 404: Error}
)
def list_consents(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    person = access_person(request.user, person_id, what="Consent")
    return [consent_out(c) for c in Consent.objects.filter(person=person).select_related("person")]


@router.get(
    "/people/{person_id}/consents/{consent_id}",
    response={200: ConsentOut, 401: Error, 404: Error},
)
def get_consent(request: HttpRequest, person_id: UUID, consent_id: UUID) -> dict[str, Any]:
    person = access_person(request.user, person_id, what="Consent")
    return consent_out(owned(Consent, person, consent_id))


@router.post(
    "/people/{person_id}/consents/{consent_id}/revoke",
    response={200: ConsentOut, 401: Error, 404: Error},
)
def revoke_consent(request: HttpRequest, person_id: UUID, consent_id: UUID) -> dict[str, Any]:
    """Revoke at once. Revoking a revoked consent changes nothing and answers the same."""
    person = _own(request, person_id)
    return consent_out(actions.revoke(owned(Consent, person, consent_id), by=request.user))


@router.get(
    "/people/{person_id}/disclosures",
    response={200: list[DisclosureOut], 401: Error, 404: Error},
)
def list_disclosures(request: HttpRequest, person_id: UUID) -> list[dict[str, Any]]:
    """The accounting of disclosures: who received what, when, under which consent."""
    person = access_person(request.user, person_id, what="Disclosure")
    return [
        {
            "at": r.at,
            "recipient": r.recipient,
            "received_by": r.received_by,
            "channel": r.channel,
            "categories": [c.value for c in r.categories],
            "consent_id": r.consent.public_id if r.consent else None,
        }
        for r in accounting.disclosures(person)
    ]


@router.get(
    "/people/{person_id}/shared/{category}",
    response={200: SharedOut, 401: Error, 404: Error},
)
def get_shared(request: HttpRequest, person_id: UUID, category: str) -> dict[str, Any]:
    """For a family member: one category the person shares with them under a consent in force,
    with the re-disclosure notice (42 CFR 2.32). Anything else is missing (404)."""
    person, row = access_shared(request.user, person_id, category)
    chosen = core.Category(category)
    return {
        "person_id": person.public_id,
        "category": chosen.value,
        "scope": core.CATEGORY_SCOPE[chosen],
        "data": disclosed.summary(person, chosen),
        "consent_id": row.public_id,
        "notice": core.REDISCLOSURE_NOTICE,
        "notice_source": core.NOTICE_SOURCE,
    }
