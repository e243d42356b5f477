"""The REQUESTS and CAPACITY documents of contracts/allocation.md, built from the database, and
what an intake says about a person who is added to the waitlist.

The documents are checked by the same `parse_requests` / `parse_capacity` the CLI uses, so the
page and `trellis allocate` share one validation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F

from trellis.assessments.models import Intake, IntakeStatus
from trellis.people.demographics import groups_by_person
from trellis.people.models import Episode, Person, Program
from trellis.waitlist.models import Capacity, EntryStatus, WaitlistEntry

TURNOVER_DAYS = 90  # discharges over the last 90 days, per week


def program_key(program: Program, level: str) -> str:
    """The id of one (program, level) in the CAPACITY document; pages show names instead."""
    return f"{program.public_id}:{level}"


def is_complete(program: Program) -> bool:
    """A program can take part in an allocation once it has a location, languages and insurance."""
    return (
        program.latitude is not None
        and program.longitude is not None
        and bool(program.languages)
        and bool(program.insurance)
    )


def capacity_document() -> list[dict[str, Any]]:
    """One record per (program, level), its slots summed over the services at that level."""
    slots: dict[tuple[int, str], int] = defaultdict(int)
    programs: dict[int, Program] = {}
    for row in Capacity.objects.select_related("program").order_by("program__name", "level"):
        if is_complete(row.program):
            slots[(row.program_id, row.level)] += row.slots
            programs[row.program_id] = row.program
    return [
        {
            "id": program_key(programs[pk], level),
            "name": programs[pk].name,
            "level": level,
            "slots": total,
            "location": {"lat": programs[pk].latitude, "lon": programs[pk].longitude},
            "languages": list(programs[pk].languages),
            "insurance": list(programs[pk].insurance),
        }
        for (pk, level), total in slots.items()
    ]


def waiting_entries() -> list[WaitlistEntry]:
    return list(
        WaitlistEntry.objects.filter(status=EntryStatus.WAITING)
        .select_related("person")
        .order_by("waiting_since", "created", "pk")
    )


def removed_entries(limit: int) -> list[WaitlistEntry]:
    """The latest removals first; those removed before the date was kept come last."""
    return list(
        WaitlistEntry.objects.filter(status=EntryStatus.REMOVED)
        .select_related("person")
        .order_by(F("removed_at").desc(nulls_last=True), "-created", "-pk")[:limit]
    )


def requests_document(entries: Iterable[WaitlistEntry]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(entry.public_id),
            "waiting_since": entry.waiting_since.isoformat(),
            "level": entry.level,
            "need_weight": entry.need_weight,
            "location": {"lat": entry.location["lat"], "lon": entry.location["lon"]},
            "max_travel_km": entry.max_travel_km,
            "languages": list(entry.languages),
            "insurance": entry.insurance,
            "groups": {k: v for k, v in (entry.groups or {}).items() if isinstance(v, str) and v},
        }
        for entry in entries
    ]


def turnover_per_week(today: date) -> dict[str, float]:
    """Discharges per week over the last 90 days, per (program, level) of the CAPACITY document."""
    since = today - timedelta(days=TURNOVER_DAYS)
    counts: dict[str, int] = defaultdict(int)
    episodes = Episode.objects.filter(
        discharged_on__gt=since, discharged_on__lte=today
    ).select_related("program")
    for episode in episodes.only("program__public_id", "level_of_care"):
        counts[program_key(episode.program, episode.level_of_care)] += 1
    return {key: count / (TURNOVER_DAYS / 7) for key, count in counts.items()}


@dataclass
class Prefill:
    """What the latest completed intake and the person record say, for the add-to-waitlist form."""

    initial: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    urgent: bool = False
    has_intake: bool = False


def prefill(person: Person, today: date) -> Prefill:
    intake = (
        Intake.objects.filter(person=person, status=IntakeStatus.COMPLETED)
        .order_by("-completed_at", "-pk")
        .first()
    )
    groups = groups_by_person([person], today)[person.pk].as_dict()
    initial: dict[str, Any] = {
        "languages": person.preferred_language,
        "need_weight": 1,
        "waiting_since": today,
    }
    if intake is None:
        return Prefill(initial, groups)
    about = intake.document.get("person", {}) if isinstance(intake.document, dict) else {}
    preferences = (
        intake.document.get("preferences", {}) if isinstance(intake.document, dict) else {}
    )
    location = about.get("location") or {}
    initial.update(
        {
            "level": intake.level or None,
            "languages": about.get("preferred_language") or person.preferred_language,
            "insurance": about.get("insurance"),
            "latitude": location.get("lat"),
            "longitude": location.get("lon"),
            "max_travel_km": preferences.get("max_travel_km"),
            # The intake keeps preferences as words joined by "_"; the needs are read by people.
            "needs": ", ".join(str(p).replace("_", " ") for p in preferences.get("prefers") or []),
        }
    )
    return Prefill(
        {k: v for k, v in initial.items() if v not in (None, "")}, groups, intake.urgent, True
    )
