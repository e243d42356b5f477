"""Demo data for the quality dashboards (fictional): visits, earlier discharged episodes, scores
over time, a few plan deviations and placement overrides, so every dashboard shows numbers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from trellis.assessments import actions as assessments
from trellis.assessments.models import Intake, IntakeStatus
from trellis.audit import log as audit
from trellis.oversight.models import Visit
from trellis.people.models import Episode, Person, Program
from trellis.plans import actions as plans
from trellis.plans.models import Plan

# (days in care, discharge reason) of an earlier episode, for every other person.
EARLIER = [
    (120, "completed"),
    (95, "completed"),
    (40, "left"),
    (20, "left"),
    (100, "completed"),
    (35, "transferred"),
    (150, "completed"),
    (10, "left"),
    (92, "completed"),
    (60, "administrative"),
]
PHQ9 = ([2, 2, 2, 2, 1, 2, 1, 1, 0], [1, 1, 0, 1, 0, 1, 0, 0, 0], [2, 2, 1, 2, 1, 2, 1, 1, 0])
GAD7 = ([2, 2, 2, 1, 1, 2, 1], [1, 0, 1, 0, 0, 1, 0], [2, 2, 1, 1, 1, 2, 1])
BAM = (
    [2, 10, 12, 15, 4, 0, None, 2, 2, 15, 2, 1, 12, True, 2, 20, 0],
    [1, 4, 5, 3, 1, 0, None, 1, 3, 25, 1, 3, 20, True, 1, 28, 0],
    [2, 8, 10, 9, 3, 0, None, 2, 2, 18, 2, 2, 15, True, 2, 22, 0],
)
DEVIATION_REASONS = [
    "Prefers to start with group sessions; revisit at the first review.",
    "Already attends this elsewhere; not duplicated here.",
    "Transport only on weekdays; chose what fits the schedule.",
]
OVERRIDE_REASON = "Family support and stable housing make a less intensive level safe."


def load(program: Program, staff: dict[str, Any], today: date) -> None:
    people = list(Person.objects.filter(program=program).order_by("pk"))
    for index, person in enumerate(people):
        clinician = staff["clinician"] if index % 2 == 0 else staff["clinician2"]
        episode = person.episodes.order_by("-admitted_on").first()
        _visits(person, episode, index, clinician, today)
        if index % 2 == 0 and episode is not None:
            _earlier_episode(person, episode, index // 2, staff["admin"], today)
        if episode is not None and (today - episode.admitted_on).days >= 14:
            _scores(person, episode.admitted_on, index, clinician)
    for index, person in enumerate(people[:9]):
        clinician = staff["clinician"] if index % 2 == 0 else staff["clinician2"]
        if index % 3 == 0:
            _override(person, clinician)
        elif index % 3 == 1:
            _deviate(person, clinician, DEVIATION_REASONS[(index // 3) % len(DEVIATION_REASONS)])


def _visits(person: Person, episode: Episode | None, index: int, by: Any, today: date) -> None:
    """A first contact, weekly sessions from admission (some missed), and medication doses."""
    start = episode.admitted_on if episode else today - timedelta(days=3)
    rows = [
        Visit(
            person=person,
            kind="first_contact",
            on=start - timedelta(days=index % 7),
            status="attended",
        )
    ]
    if episode is not None:
        end = min(episode.discharged_on or today, today)
        day, n = start + timedelta(days=index % 3), 0
        while day <= end:
            missed = (n + index) % 5 == 4
            rows.append(
                Visit(
                    person=person,
                    episode=episode,
                    kind="session",
                    on=day,
                    status="no_show" if missed else "attended",
                )
            )
            day, n = day + timedelta(days=7), n + 1
        if index % 3 == 0:
            rows.append(
                Visit(
                    person=person,
                    episode=episode,
                    kind="medication_dose",
                    on=start + timedelta(days=index % 4),
                    status="attended",
                )
            )
    for row in rows:
        row.recorded_by = by
    Visit.objects.bulk_create(rows)
    audit.record_many(
        by, "create", [(v, {"person": str(person.public_id), "kind": v.kind}) for v in rows]
    )


def _earlier_episode(person: Person, current: Episode, k: int, by: Any, today: date) -> None:
    stay, reason = EARLIER[k % len(EARLIER)]
    admitted = min(
        today - timedelta(days=260 + 3 * k), current.admitted_on - timedelta(days=stay + 30)
    )
    episode = Episode.objects.create(
        person=person,
        program=person.program,
        admitted_on=admitted,
        level_of_care=current.level_of_care,
        discharged_on=admitted + timedelta(days=stay),
        discharge_reason=reason,
    )
    audit.record(
        by, "create", episode, detail={"person": str(person.public_id), "source": "demo history"}
    )


def _scores(person: Person, admitted: date, index: int, by: Any) -> None:
    """Baseline at admission and a follow-up now: most improve, every third does not."""
    baseline = timezone.make_aware(datetime.combine(admitted, time(10)))
    later = 2 if index % 3 == 2 else 1
    for instrument, answers in (("phq9", PHQ9), ("gad7", GAD7), ("bam", BAM)):
        assessments.record_score(
            person, instrument, answers[0], by=by, source="api", taken_at=baseline
        )
        assessments.record_score(person, instrument, answers[later], by=by, source="api")


def _override(person: Person, by: Any) -> None:
    intake = Intake.objects.filter(person=person, status=IntakeStatus.COMPLETED).first()
    if intake is None or not intake.result:
        return
    level = "1.0" if intake.level != "1.0" else "2.1"
    assessments.override_placement(intake, level=level, reason=OVERRIDE_REASON, by=by)


def _deviate(person: Person, by: Any, reason: str) -> None:
    plan = Plan.objects.filter(person=person).current()
    removable = (
        [
            i["code"]
            for i in (plan.document.get("interventions") or [])
            if not i["code"].startswith("safety.")
        ]
        if plan
        else []
    )
    if plan is not None and removable:
        plans.deviate(plan, code=removable[-1], action="remove", reason=reason, status="", by=by)
