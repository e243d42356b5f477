"""Gather stored episodes for the two exports and hand them to the core.

The intake documents are decrypted in this process; only TEDS codes (episode export) or the
de-identified rows (research export) leave it. Keys come from settings, never from the request.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from trellis.assessments.models import Intake, IntakeStatus, Score
from trellis.core import deidentify, episode_export
from trellis.people.demographics import groups_by_person
from trellis.people.models import Episode, Person


def derived_key(purpose: str) -> bytes:
    """A key for one purpose: settings.DEIDENTIFY_KEY when set (TRELLIS_DEIDENTIFY_KEY), else
    derived from SECRET_KEY, so each installation has its own without further setup."""
    base = getattr(settings, "DEIDENTIFY_KEY", "") or settings.SECRET_KEY
    return hmac.new(base.encode(), f"trellis.reporting.{purpose}".encode(), hashlib.sha256).digest()


def latest_intakes(person_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """{person pk: document of their latest completed intake}."""
    latest: dict[int, dict[str, Any]] = {}
    intakes = (
        Intake.objects.filter(person_id__in=list(person_ids), status=IntakeStatus.COMPLETED)
        .order_by("person_id", "-completed_at", "-pk")
        .only("person_id", "document")
    )
    for intake in intakes.iterator(chunk_size=500):
        latest.setdefault(intake.person_id, intake.document)
    return latest


def episodes_between(start: date, end: date, program: Any, *, by: str) -> QuerySet[Episode]:
    """Episodes admitted (by="admitted_on") or discharged (by="discharged_on") in [start, end]."""
    episodes = Episode.objects.filter(**{f"{by}__gte": start, f"{by}__lte": end})
    if program is not None:
        episodes = episodes.filter(program=program)
    return episodes.select_related("person").order_by(by, "pk")


def teds_records(episodes: QuerySet[Episode], *, discharges: bool) -> list[dict[str, int | str]]:
    episodes = list(episodes)
    intakes = latest_intakes({e.person_id for e in episodes}) if not discharges else {}
    key = derived_key("teds-case")
    records = []
    for episode in episodes:
        facts = episode_export.EpisodeFacts(
            case_id=episode_export.case_id(key, episode.pk),
            admitted_on=episode.admitted_on,
            level_of_care=episode.level_of_care,
            birth_date=episode.person.birth_date,
            discharged_on=episode.discharged_on,
            discharge_reason=episode.discharge_reason,
            intake=intakes.get(episode.person_id),
        )
        build = episode_export.discharge_record if discharges else episode_export.admission_record
        records.append(build(facts))
    return records


def research_export(salt: bytes, today: date) -> deidentify.Export:
    """Every episode, de-identified; raises deidentify.KAnonymityRefused."""
    episodes = list(Episode.objects.select_related("person").order_by("pk"))
    people = {e.person_id: e.person for e in episodes}
    groups = groups_by_person(people.values(), today)
    intakes = latest_intakes(people)
    sources = [_source_episode(e, groups[e.person_id], intakes.get(e.person_id)) for e in episodes]
    return deidentify.deidentify(
        sources, _source_scores(people), key=derived_key("date-shift"), salt=salt
    )


def _source_episode(episode: Episode, groups: Any, intake: dict[str, Any] | None) -> Any:
    location = ((intake or {}).get("person") or {}).get("location") or {}
    return deidentify.SourceEpisode(
        person_key=str(episode.person.public_id),
        admitted_on=episode.admitted_on,
        level_of_care=episode.level_of_care,
        birth_date=episode.person.birth_date,
        discharged_on=episode.discharged_on,
        discharge_reason=episode.discharge_reason,
        groups=groups.as_dict(),
        postal_code=location.get("postal_code") if isinstance(location, dict) else None,
    )


def _source_scores(people: dict[int, Person]) -> list[deidentify.SourceScore]:
    scores = Score.objects.filter(person_id__in=list(people), entered_in_error=False).only(
        "person_id", "instrument", "total", "band", "taken_at"
    )
    return [
        deidentify.SourceScore(
            person_key=str(people[s.person_id].public_id),
            instrument=s.instrument,
            total=s.total,
            band=s.band,
            taken_on=timezone.localdate(s.taken_at),
        )
        for s in scores.iterator(chunk_size=1000)
    ]
