"""Demo self-management data: three weeks of check-ins and journal entries, a relapse-prevention
plan, a goal, a timeline and some logs, so the person's app and the care team's view have
something to show. Fictional and deterministic (the same every load)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from trellis.people.models import Person
from trellis.recovery.models import (
    CheckIn,
    Goal,
    JournalEntry,
    LifestyleLog,
    RecoveryEvent,
    RelapsePreventionPlan,
    SelfCareActivity,
)

# (craving, mood, sleep hours, triggers, coping code, helped) for each of the last 21 days.
PATTERN = [
    (3, 6, "7", ["stress"], "paced-breathing", 5),
    (2, 7, "7.5", [], "exercise", 7),
    (5, 5, "6", ["boredom", "loneliness"], "called-someone", 8),
    (4, 6, "6.5", ["stress"], "urge-surfing", 7),
    (6, 4, "5", ["conflict"], "paced-breathing", 4),
    (7, 4, "5", ["people-places", "money"], "mutual-help-meeting", 8),
    (3, 6, "7", [], "exercise", 6),
]


def load(person: Person, today: date, *, full: bool) -> None:
    """Check-ins for everyone shown; the rest (journal, plan, goal, logs) for the demo login."""
    days = 21 if full else 7
    for n in range(days, 0, -1):
        craving, mood, sleep, triggers, coping, helped = PATTERN[(n + person.pk) % len(PATTERN)]
        CheckIn.objects.create(
            person=person,
            day=today - timedelta(days=n),
            craving=craving,
            mood=mood,
            sleep_hours=Decimal(sleep),
            used=False,
            triggers=triggers,
            coping=[{"code": coping, "helped": helped}],
            support_offered=craving >= 7,
        )
    if not full:
        return
    zone = timezone.get_current_timezone()
    for n, (hour, craving, triggers, text) in enumerate(
        [
            (
                21,
                7,
                ["stress"],
                "Long shift, wanted to stop at the bar on the way home. Called Sam instead.",
            ),
            (
                20,
                6,
                ["loneliness"],
                "Quiet evening. Played guitar; the urge passed in about twenty minutes.",
            ),
            (13, 4, ["people-places"], "Drove past my old block. Noticed it, kept driving."),
            (
                22,
                8,
                ["money", "stress"],
                "Payday. Paid rent first, then went to the evening meeting.",
            ),
        ]
    ):
        JournalEntry.objects.create(
            person=person,
            at=datetime.combine(today - timedelta(days=2 + 4 * n), time(hour, 15), tzinfo=zone),
            craving=craving,
            triggers=triggers,
            text=text,
            coping=[{"code": "called-someone" if n % 2 == 0 else "distraction", "helped": 8 - n}],
            shared_with_care_team=n == 3,
        )
    RelapsePreventionPlan.objects.create(
        person=person,
        warning_signs=["Skipping meals", "Not answering my phone", "Thinking 'just one'"],
        situations=[
            {"situation": "Payday", "response": "Pay rent first, then go to the evening meeting"},
            {"situation": "Friends going to the bar", "response": "Suggest breakfast instead"},
        ],
        contacts=[
            {"name": "Sam (sponsor)", "phone": "555 0100"},
            {"name": "My sister", "phone": "555 0101"},
        ],
        reasons=["My daughter", "Waking up clear-headed"],
        distractions=["Walk the dog", "Play guitar", "Shower, then tea"],
    )
    RecoveryEvent.objects.create(person=person, kind="start", on=today - timedelta(days=45))
    Goal.objects.create(
        person=person,
        statement="Walk to the park after work",
        measure="walks a week",
        target="4",
        confidence=7,
        reason="I sleep better and feel calmer",
        due=today + timedelta(days=30),
    )
    for n in range(1, 6):
        LifestyleLog.objects.create(
            person=person, kind="sleep", on=today - timedelta(days=n), amount=Decimal(7)
        )
        LifestyleLog.objects.create(
            person=person, kind="exercise", on=today - timedelta(days=n), amount=Decimal(30)
        )
    SelfCareActivity.objects.create(
        person=person,
        title="Guitar with my daughter",
        kind="meaningful",
        planned_for=today + timedelta(days=2),
    )
