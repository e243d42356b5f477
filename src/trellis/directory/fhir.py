"""Directory rows and referrals as the plain mappings core.fhir.directory turns into FHIR."""

from __future__ import annotations

from typing import Any

from trellis.core.fhir.directory import healthcare_service, service_request
from trellis.directory.categories import community
from trellis.directory.models import Service


def service_resource(service: Service) -> dict[str, Any]:
    names = community()
    record = service.record or {}
    places = service.at_locations.select_related("location")
    return healthcare_service(
        {
            "hsds_id": service.hsds_id,
            "name": service.name,
            "organization": service.organization.name,
            "active": service.open_to_referrals,
            "categories": {c: names[c] for c in service.categories if c in names},
            "languages": service.languages,
            "phone": service.phone,
            "url": service.url,
            "email": service.email,
            "description": record.get("description") or "",
            "eligibility": record.get("eligibility_description") or "",
            "free": service.free,
            "sliding_scale": service.sliding_scale,
            "schedules": service.schedules or [s for at in places for s in at.schedules],
            "locations": [at.location.name or at.location.address for at in places],
        }
    )


def referral_resource(referral: Any) -> dict[str, Any]:
    return service_request(
        {
            "id": str(referral.public_id),
            "status": referral.status,
            "outcome": referral.outcome,
            "need": referral.need,
            "need_name": community().get(referral.need, referral.need),
            "reason": referral.reason,
            "person_id": str(referral.person.public_id),
            "service_id": referral.service.hsds_id,
            "service_name": referral.service.name,
            "consent_id": str(referral.consent.public_id),
            "created": referral.created.isoformat(),
            "appointment_at": referral.appointment_at.isoformat()
            if referral.appointment_at
            else None,
        }
    )
