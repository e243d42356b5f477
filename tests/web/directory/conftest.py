"""Directory rows made by hand (the importer has its own tests) and a consent to refer."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

CHICAGO = (41.8781, -87.6298)


def housing_service(
    hsds_id: str = "svc-housing",
    *,
    lat: float = CHICAGO[0],
    lon: float = CHICAGO[1],
    categories: tuple[str, ...] = ("com.housing",),
    organization: str = "Harbor Housing",
    **facts: Any,
):
    from trellis.directory.index import reindex
    from trellis.directory.models import Location, Organization, Service, ServiceAtLocation

    org, _ = Organization.objects.get_or_create(
        hsds_id=f"org-{organization}",
        defaults={"name": organization, "record": {"name": organization}, "digest": "x"},
    )
    service = Service.objects.create(
        hsds_id=hsds_id,
        organization=org,
        name=facts.pop("name", f"{organization} {hsds_id}"),
        record={"id": hsds_id, "description": "Help finding and keeping housing."},
        digest="x",
        categories=list(categories),
        languages=facts.pop("languages", ["en", "es"]),
        free=facts.pop("free", True),
        **facts,
    )
    place = Location.objects.create(
        hsds_id=f"loc-{hsds_id}",
        organization=org,
        latitude=lat,
        longitude=lon,
        name="Main office",
        address="1 Main St",
        record={},
        digest="x",
    )
    ServiceAtLocation.objects.create(hsds_id=f"sal-{hsds_id}", service=service, location=place)
    reindex([service.pk])
    return service


def consent_to_refer(persona: Any, service: Any, **fields: Any):
    from trellis.sharing.models import Consent

    return Consent.objects.create(
        person=persona.person,
        disclosing_party="Riverbend",
        recipient_kind="organization",
        recipient_name=service.organization.name,
        recipient_organization=service.organization,
        purpose="referral for housing",
        categories=fields.pop("categories", ["referral"]),
        ends_on=fields.pop("ends_on", timezone.localdate()),
        signature_method="confirmed",
        signed_name=persona.person.full_name,
        signed_by=persona.user,
        text_shown="…",
        **fields,
    )
