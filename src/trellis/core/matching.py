"""Matching a plan's community needs to directory services that fit the person.

A service fits when it offers the category the plan needs, is within the person's maximum
travel, speaks their language, is one they can pay for, and takes people like them (age, sex,
veterans). Preferences (faith-based or secular, peer-led) never hide a service the person
could use unless they exclude it (secular excludes faith-based); they rank it. Every match says
why, in words a navigator can read out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# trellis: the search radius when the person has not said how far they can travel.
DEFAULT_TRAVEL_KM = 25.0
PAYS_ITSELF = frozenset({"medicaid", "medicare", "private", "va", "other"})


@dataclass(frozen=True, slots=True)
class Need:
    code: str  # a com.* category
    reason: str


@dataclass(frozen=True, slots=True)
class Seeker:
    """The facts of the intake that matching uses, and nothing else."""

    lat: float | None = None
    lon: float | None = None
    language: str = ""
    insurance: str = "unknown"  # intake.schema.json person.insurance
    prefers: frozenset[str] = frozenset()
    max_travel_km: float | None = None
    age: int | None = None
    sex: str = ""  # sex at birth, when known
    veteran: bool | None = None

    @property
    def radius_km(self) -> float:
        return self.max_travel_km if self.max_travel_km is not None else DEFAULT_TRAVEL_KM

    @classmethod
    def from_intake(cls, document: Mapping[str, Any]) -> Seeker:
        person = document.get("person") or {}
        prefs = document.get("preferences") or {}
        where = person.get("location") or {}
        return cls(
            lat=where.get("lat"),
            lon=where.get("lon"),
            language=str(person.get("preferred_language") or "").split("-")[0].lower(),
            insurance=person.get("insurance") or "unknown",
            prefers=frozenset(prefs.get("prefers") or ()),
            max_travel_km=prefs.get("max_travel_km"),
            age=person.get("age"),
            sex=person.get("sex_at_birth")
            if person.get("sex_at_birth") in ("female", "male")
            else "",
            veteran=person.get("veteran"),
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A service at a place, as search found it, with its distance from the person."""

    service_id: str
    name: str
    organization: str
    categories: tuple[str, ...]
    distance_km: float
    languages: tuple[str, ...] = ()
    free: bool = False
    sliding_scale: bool = False
    insurance: bool = False
    faith_based: bool = False
    peer_led: bool = False
    minimum_age: int | None = None
    maximum_age: int | None = None
    sex: str = ""
    veterans_only: bool = False
    organization_id: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    need: str
    service_id: str
    name: str
    organization: str
    distance_km: float
    reasons: tuple[str, ...]
    preferred: int = 0  # how many of the person's preferences it meets: ranks before distance
    cautions: tuple[str, ...] = field(default=())
    organization_id: str = ""


def match(
    needs: Sequence[Need], seeker: Seeker, candidates: Iterable[Candidate], *, per_need: int = 5
) -> list[Match]:
    """The best services for each need, preferred first, then nearest, at most `per_need` each."""
    pool = list(candidates)
    found: list[Match] = []
    for need in needs:
        fits = [m for c in pool if (m := _fit(need, seeker, c)) is not None]
        fits.sort(key=lambda m: (-m.preferred, m.distance_km, m.name))
        found.extend(fits[:per_need])
    return found


def _fit(need: Need, seeker: Seeker, c: Candidate) -> Match | None:
    if need.code not in c.categories or c.distance_km > seeker.radius_km:
        return None
    reasons = [need.reason, f"{c.distance_km:.1f} km away (within {seeker.radius_km:g} km)"]
    cautions: list[str] = []
    for check in (_language, _payment, _eligibility):
        verdict = check(seeker, c)
        if verdict is False:
            return None
        if isinstance(verdict, str):
            reasons.append(verdict)
        elif isinstance(verdict, tuple):
            cautions.append(verdict[0])
    preferred, said = _preferences(seeker, c)
    if preferred is None:
        return None
    return Match(
        need=need.code,
        service_id=c.service_id,
        name=c.name,
        organization=c.organization,
        distance_km=round(c.distance_km, 2),
        reasons=tuple(reasons + said),
        preferred=preferred,
        cautions=tuple(cautions),
        organization_id=c.organization_id,
    )


# Each check answers: False (does not fit), a reason (fits, and why), (caution,) when the
# directory does not say so the navigator should ask, or None (nothing to say).
Verdict = bool | str | tuple[str] | None


def _language(seeker: Seeker, c: Candidate) -> Verdict:
    if not seeker.language:
        return None
    if not c.languages:
        return ("the directory does not list its languages",)
    if seeker.language in c.languages:
        return f"offered in {seeker.language}"
    return False


def _payment(seeker: Seeker, c: Candidate) -> Verdict:
    if c.free:
        return "free"
    if c.sliding_scale:
        return "sliding-scale fees"
    if seeker.insurance in PAYS_ITSELF and c.insurance:
        return "accepts insurance"
    if seeker.insurance == "none":
        return False
    return ("ask about cost and insurance",)


def _eligibility(seeker: Seeker, c: Candidate) -> Verdict:
    if seeker.age is not None:
        if c.minimum_age is not None and seeker.age < c.minimum_age:
            return False
        if c.maximum_age is not None and seeker.age > c.maximum_age:
            return False
    if c.sex and seeker.sex and c.sex != seeker.sex:
        return False
    if c.veterans_only:
        return "for veterans" if seeker.veteran else False
    return None


def _preferences(seeker: Seeker, c: Candidate) -> tuple[int | None, list[str]]:
    if "secular" in seeker.prefers and c.faith_based:
        return None, []
    score, said = 0, []
    if "faith_based" in seeker.prefers and c.faith_based:
        score, said = score + 1, [*said, "faith-based, as preferred"]
    if "secular" in seeker.prefers:
        score, said = score + 1, [*said, "secular, as preferred"]
    if "peer_support" in seeker.prefers and c.peer_led:
        score, said = score + 1, [*said, "peer-led, as preferred"]
    return score, said
