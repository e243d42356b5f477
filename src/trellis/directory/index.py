"""The search table: one `Listing` row per service at a located place and community category.

A service without a category gets one row with an empty category, so a search without a
category still finds it; a place without coordinates gets none (it cannot be near anything).
"""

from __future__ import annotations

from collections.abc import Iterable

from trellis.directory.models import Listing, ServiceAtLocation


def listings(at: ServiceAtLocation, categories: Iterable[str]) -> list[Listing]:
    place = at.location
    if place.latitude is None or place.longitude is None:
        return []
    return [
        Listing(at_id=at.pk, category=c, latitude=place.latitude, longitude=place.longitude)
        for c in (list(categories) or [""])
    ]


def reindex(service_ids: Iterable[int]) -> None:
    """Rebuild the listings of these services (after an import or a curator's edit)."""
    ids = list(service_ids)
    Listing.objects.filter(at__service_id__in=ids).delete()
    rows = ServiceAtLocation.objects.filter(service_id__in=ids).select_related(
        "service", "location"
    )
    Listing.objects.bulk_create(
        [row for at in rows for row in listings(at, at.service.categories)], batch_size=2000
    )
