"""A person's community needs matched to services near them (core.matching over search).

The needs are the current plan's referrals (plan.md `referrals`); the facts are the latest
completed intake's (location, language, insurance, preferences, maximum travel).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from trellis.assessments.models import Intake, IntakeStatus
from trellis.core.consent import Category, covering
from trellis.core.errors import InvalidInput
from trellis.core.matching import Candidate, Match, Need, Seeker, match
from trellis.directory.search import Hit, Query, search
from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.sharing.models import Consent


@dataclass(frozen=True)
class Situation:
    needs: tuple[Need, ...]
    seeker: Seeker
    matches: tuple[Match, ...]

    @property
    def located(self) -> bool:
        return self.seeker.lat is not None and self.seeker.lon is not None


def for_person(person: Person) -> Situation:
    plan = Plan.objects.filter(person=person).current()
    intake = (
        Intake.objects.filter(person=person, status=IntakeStatus.COMPLETED)
        .order_by("-completed_at")
        .first()
    )
    needs = tuple(
        Need(r["code"], r.get("reason") or r.get("need") or "")
        for r in ((plan.document.get("referrals") or []) if plan else [])
        if r.get("code")
    )
    seeker = Seeker.from_intake(intake.document) if intake else Seeker()
    return Situation(needs, seeker, tuple(_matches(needs, seeker)))


def _matches(needs: tuple[Need, ...], seeker: Seeker) -> list[Match]:
    if seeker.lat is None or seeker.lon is None:
        return []
    candidates: list[Candidate] = []
    for code in dict.fromkeys(n.code for n in needs):
        query = Query(seeker.lat, seeker.lon, seeker.radius_km, category=code, limit=50)
        candidates.extend(candidate(hit) for hit in search(query))
    return match(needs, seeker, candidates)


def candidate(hit: Hit) -> Candidate:
    return Candidate(
        service_id=hit.service_id,
        name=hit.name,
        organization=hit.organization,
        categories=tuple(hit.categories),
        distance_km=hit.distance_km,
        languages=tuple(hit.languages),
        organization_id=hit.organization_id,
        **hit.facts,
    )


def consented_organizations(person: Person) -> set[str]:
    """The HSDS ids of the directory organisations a consent in force lets referral
    information go to."""
    today = timezone.localdate()
    consents = Consent.objects.filter(
        person=person, recipient_organization__isnull=False
    ).select_related("recipient_organization")
    return {
        c.recipient_organization.hsds_id
        for c in consents
        if covering([c.in_force(today)], Category.REFERRAL)
    }


def query_from(params: Mapping[str, Any], seeker: Seeker) -> Query:
    """A search from a page's parameters, centred on the person unless a point is given."""
    lat = _number(params, "lat", seeker.lat)
    lon = _number(params, "lon", seeker.lon)
    if lat is None or lon is None:
        raise InvalidInput(
            "lat", "the person's location (no location in their intake): give lat and lon"
        )
    getlist = getattr(params, "getlist", lambda key: [params[key]] if key in params else [])
    return Query(
        lat=lat,
        lon=lon,
        radius_km=_number(params, "radius_km", seeker.radius_km) or seeker.radius_km,
        category=params.get("category") or None,
        language=params.get("language") or None,
        cost=frozenset(c for c in getlist("cost") if c),
        open_at=timezone.now() if params.get("open_now") else None,
        accessible=bool(params.get("accessible")),
    )


def _number(params: Mapping[str, Any], name: str, default: float | None) -> float | None:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise InvalidInput(name, "a number") from None
