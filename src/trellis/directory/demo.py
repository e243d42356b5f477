"""Fictional demo directory: a few services around the demo people's town, a peer-led event,
and the first demo person's consent to refer to the housing organisation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from trellis.directory.index import reindex
from trellis.directory.models import Event, Location, Organization, Service, ServiceAtLocation

TOWN = (39.7817, -89.6501)
# (id, organisation, service, categories, offset km east/north, languages, facts)
SERVICES: tuple[
    tuple[str, str, str, tuple[str, ...], tuple[float, float], list[str], dict[str, Any]], ...
] = (
    (
        "demo-housing",
        "Riverside Housing Partners",
        "Recovery housing help desk",
        ("com.housing",),
        (1.0, 0.5),
        ["en", "es"],
        {"free": True},
    ),
    (
        "demo-mutual-help",
        "Tuesday Night Recovery Group",
        "Open mutual-help meeting",
        ("com.mutual_help", "com.peer_events"),
        (0.3, -0.8),
        ["en"],
        {"free": True, "peer_led": True},
    ),
    (
        "demo-peer",
        "Peer Recovery Coaches of Riverbend",
        "Recovery coaching",
        ("com.peer_recovery",),
        (-1.2, 0.4),
        ["en", "es"],
        {"free": True, "peer_led": True},
    ),
    (
        "demo-jobs",
        "Riverbend Works",
        "Job readiness and placement",
        ("com.vocational",),
        (2.5, 1.0),
        ["en"],
        {"free": True},
    ),
    (
        "demo-legal",
        "Prairie Legal Aid",
        "Civil legal help",
        ("com.legal_financial",),
        (-0.5, -2.0),
        ["en", "es"],
        {"free": True},
    ),
    (
        "demo-clinic",
        "Eastside Community Health",
        "Primary care and behavioral health",
        ("com.health_clinic", "com.counseling"),
        (3.0, -1.0),
        ["en", "es"],
        {"sliding_scale": True, "insurance": True},
    ),
    (
        "demo-food",
        "Riverbend Food Pantry",
        "Food pantry",
        ("com.food",),
        (0.8, 1.6),
        ["en"],
        {"free": True},
    ),
)
KM_PER_DEGREE = 111.2


def load(today: date, by: Any) -> Service:
    """Create the demo directory; return the housing service (for the demo referral)."""
    first = None
    for hsds_id, org_name, name, categories, (east, north), languages, facts in SERVICES:
        service = _service(hsds_id, org_name, name, categories, east, north, languages, facts)
        first = first or service
    start = timezone.make_aware(datetime.combine(today + timedelta(days=3), time(18, 30)))
    Event.objects.create(
        title="Recovery walk and picnic",
        description="A peer-led walk by the river, then a shared picnic. Families welcome.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Riverside Park pavilion",
        latitude=TOWN[0],
        longitude=TOWN[1],
        created_by=by,
    )
    assert first is not None
    return first


def _service(hsds_id, org_name, name, categories, east, north, languages, facts) -> Service:  # type: ignore[no-untyped-def]
    org = Organization.objects.create(
        hsds_id=f"{hsds_id}-org", name=org_name, record={"name": org_name}, digest="demo"
    )
    service = Service.objects.create(
        hsds_id=hsds_id,
        organization=org,
        name=name,
        record={"id": hsds_id, "name": name, "description": f"{name} (fictional demo entry)."},
        digest="demo",
        categories=list(categories),
        languages=languages,
        phone="555-0100",
        **facts,
    )
    place = Location.objects.create(
        hsds_id=f"{hsds_id}-loc",
        organization=org,
        name=org_name,
        latitude=TOWN[0] + north / KM_PER_DEGREE,
        longitude=TOWN[1] + east / 85.6,  # km per degree of longitude at this latitude
        address="Riverbend",
        record={},
        digest="demo",
    )
    ServiceAtLocation.objects.create(hsds_id=f"{hsds_id}-sal", service=service, location=place)
    reindex([service.pk])
    return service
