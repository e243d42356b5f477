"""Writes of the person's own tools, each in one transaction with its audit entry.

Validation is the core's (`trellis.core.checkins`, `goals`); a refused write raises
InvalidInput naming the field and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit import log as audit
from trellis.core import checkins as core
from trellis.core import insights as core_insights
from trellis.core import lifestyle
from trellis.core import recovery as timeline_core
from trellis.core.errors import InvalidInput
from trellis.knowledge.self_management import content
from trellis.monitoring import actions as monitoring
from trellis.people.models import Person
from trellis.recovery.models import (
    CheckIn,
    Goal,
    GoalProgress,
    JournalEntry,
    LifestyleLog,
    PracticeLog,
    RecoveryEvent,
    RelapsePreventionPlan,
    Reminder,
    SelfCareActivity,
    Worksheet,
)

ALREADY = "a date without a check-in yet (today's check-in is saved; change it instead)"


def vocabularies() -> dict[str, Any]:
    c = content()
    return {"triggers": c.triggers.keys(), "coping": c.coping.keys()}


def validate_checkin(data: dict[str, Any], *, today: date | None = None) -> core.CheckIn:
    checkin, problems = core.check_checkin(
        data, today=today or timezone.localdate(), **vocabularies()
    )
    problems.raise_first()
    assert checkin is not None
    return checkin


def save_checkin(
    person: Person, checkin: core.CheckIn, *, by: Any, source: str = "page"
) -> CheckIn:
    """Store a new check-in. A second one for the same day is refused (field `date`)."""
    if CheckIn.objects.filter(person=person, day=checkin.day).exists():
        raise InvalidInput("date", ALREADY)
    try:
        with transaction.atomic():
            row = CheckIn.objects.create(person=person, source=source, **_checkin_fields(checkin))
            audit.record(by, "create", row, detail={"person": str(person.public_id)})
            monitoring.on_checkin(row, by=by)
    except IntegrityError as exc:  # the same day submitted twice at once
        raise InvalidInput("date", ALREADY) from exc
    return row


@transaction.atomic
def update_checkin(row: CheckIn, checkin: core.CheckIn, *, by: Any) -> CheckIn:
    if (
        checkin.day != row.day
        and CheckIn.objects.filter(person=row.person, day=checkin.day).exists()
    ):
        raise InvalidInput("date", ALREADY)
    for name, value in _checkin_fields(checkin).items():
        setattr(row, name, value)
    row.save()
    audit.record(by, "update", row, detail={"person": str(row.person.public_id)})
    monitoring.on_checkin(row, by=by)
    return row


def _checkin_fields(checkin: core.CheckIn) -> dict[str, Any]:
    return {
        "day": checkin.day,
        "craving": checkin.craving,
        "mood": checkin.mood,
        "sleep_hours": checkin.sleep_hours,
        "used": checkin.used,
        "use_amount": checkin.use_amount,
        "triggers": list(checkin.triggers),
        "coping": [{"code": u.code, "helped": u.helped} for u in checkin.coping],
        "note": checkin.note,
        "self_harm": checkin.self_harm,
        "support_offered": core.needs_support(checkin.craving, checkin.used, checkin.self_harm),
    }


def validate_journal(data: dict[str, Any], *, now: datetime | None = None) -> core.JournalEntry:
    entry, problems = core.check_journal(data, now=now or timezone.now(), **vocabularies())
    problems.raise_first()
    assert entry is not None
    return entry


@transaction.atomic
def save_journal(
    person: Person, entry: core.JournalEntry, *, by: Any, shared: bool = False
) -> JournalEntry:
    row = JournalEntry.objects.create(
        person=person,
        at=entry.at,
        craving=entry.craving,
        triggers=list(entry.triggers),
        coping=[{"code": u.code, "helped": u.helped} for u in entry.coping],
        situation=entry.situation,
        text=entry.text,
        shared_with_care_team=shared,
    )
    audit.record(by, "create", row, detail={"person": str(person.public_id), "shared": shared})
    return row


def as_core_checkin(row: CheckIn) -> core.CheckIn:
    return core.CheckIn(
        day=row.day,
        craving=row.craving,
        mood=row.mood,
        sleep_hours=row.sleep_hours,
        used=row.used,
        triggers=tuple(row.triggers),
        coping=tuple(core.CopingUse(u["code"], u["helped"]) for u in row.coping),
    )


def as_core_journal(row: JournalEntry) -> core.JournalEntry:
    return core.JournalEntry(
        at=timezone.localtime(row.at),
        craving=row.craving,
        triggers=tuple(row.triggers),
        coping=tuple(core.CopingUse(u["code"], u["helped"]) for u in row.coping),
    )


def person_insights(person: Person) -> core_insights.Insights:
    return core_insights.insights(
        (as_core_checkin(c) for c in CheckIn.objects.filter(person=person)),
        (as_core_journal(j) for j in JournalEntry.objects.filter(person=person)),
    )


def helpful_strategies(person: Person, n: int = 3) -> list[core_insights.Tally]:
    """The coping strategies that helped this person most (mean of at least 1 out of 10)."""
    return core_insights.top(person_insights(person).coping, n, minimum=1)


def timeline(person: Person, today: date | None = None) -> timeline_core.Timeline:
    # The kinds and dates alone: the notes, encrypted, are not needed to count the days.
    events = RecoveryEvent.objects.filter(person=person).values_list("kind", "on")
    return timeline_core.timeline(
        (timeline_core.Event(kind, on) for kind, on in events), today or timezone.localdate()
    )


@transaction.atomic
def record_event(person: Person, kind: str, on: date, *, by: Any, note: str = "") -> RecoveryEvent:
    today = timezone.localdate()
    if on > today:
        raise InvalidInput("on", "today or an earlier date")
    current = timeline(person, today).current
    if kind == timeline_core.START and current is not None:
        raise InvalidInput("kind", "a return to use first: a count is already running")
    if kind == timeline_core.RETURN:
        if current is None:
            raise InvalidInput("kind", "a start date first: no count is running")
        if on < current.start:
            raise InvalidInput("on", "a date on or after the current count's start")
    event = RecoveryEvent.objects.create(person=person, kind=kind, on=on, note=note)
    audit.record(by, "create", event, detail={"person": str(person.public_id), "kind": kind})
    return event


@transaction.atomic
def save_goal(
    person: Person, goal: Any, *, by: Any, parent: Goal | None = None, plan_goal_id: str = ""
) -> Goal:
    row = Goal.objects.create(
        person=person,
        parent=parent,
        plan_goal_id=plan_goal_id,
        statement=goal.statement,
        measure=goal.measure,
        target=goal.target,
        confidence=goal.confidence,
        reason=goal.reason,
        due=goal.due,
    )
    audit.record(by, "create", row, detail={"person": str(person.public_id)})
    return row


@transaction.atomic
def record_progress(
    goal: Goal, *, on: date, percent: int, note: str, status: str, by: Any
) -> GoalProgress:
    progress = GoalProgress.objects.create(goal=goal, on=on, percent=percent, note=note)
    if status != goal.status:
        goal.status = status
        goal.save(update_fields=["status"])
    audit.record(
        by, "update", goal, detail={"person": str(goal.person.public_id), "percent": percent}
    )
    return progress


def _audited(by: Any, action: str, row: Any, person: Person, **detail: Any) -> None:
    audit.record(
        by,
        action,
        row,
        object_id=str(getattr(row, "public_id", "") or person.public_id),
        detail={"person": str(person.public_id), **detail},
    )


def relapse_plan(person: Person) -> RelapsePreventionPlan:
    return RelapsePreventionPlan.objects.filter(person=person).first() or RelapsePreventionPlan(
        person=person
    )


@transaction.atomic
def save_relapse_plan(person: Person, changes: dict[str, Any], *, by: Any) -> RelapsePreventionPlan:
    """Change parts of the relapse-prevention plan (the distraction list lives here too)."""
    plan = relapse_plan(person)
    for key, value in changes.items():
        setattr(plan, key, value)
    plan.updated = timezone.now()
    plan.save()
    _audited(by, "update", plan, person, parts=sorted(changes))
    return plan


@transaction.atomic
def save_worksheet(
    person: Person, kind: str, document: dict[str, Any], *, by: Any, sheet: Worksheet | None = None
) -> Worksheet:
    if sheet is None:
        sheet = Worksheet.objects.create(person=person, kind=kind, document=document)
        _audited(by, "create", sheet, person, kind=kind)
    else:
        sheet.document, sheet.updated = document, timezone.now()
        sheet.save(update_fields=["document", "updated"])
        _audited(by, "update", sheet, person, kind=kind)
    return sheet


@transaction.atomic
def log_practice(person: Person, exercise: str, *, minutes: int, note: str, by: Any) -> PracticeLog:
    log = PracticeLog.objects.create(
        person=person, exercise=exercise, minutes=minutes, note=note, done_on=timezone.localdate()
    )
    _audited(by, "create", log, person, exercise=exercise)
    return log


@transaction.atomic
def log_lifestyle(
    person: Person, kind: str, *, on: date, amount: Any, meals: int | None, detail: str, by: Any
) -> LifestyleLog:
    if on > timezone.localdate():
        raise InvalidInput("on", "today or an earlier date")
    log = LifestyleLog.objects.create(
        person=person, kind=kind, on=on, amount=amount, meals=meals, detail=detail
    )
    _audited(by, "create", log, person, kind=kind)
    return log


@transaction.atomic
def plan_self_care(
    person: Person, *, title: str, kind: str, planned_for: date, by: Any
) -> SelfCareActivity:
    activity = SelfCareActivity.objects.create(
        person=person, title=title, kind=kind, planned_for=planned_for
    )
    _audited(by, "create", activity, person)
    return activity


@transaction.atomic
def mark_self_care(activity: SelfCareActivity, *, happened: bool, by: Any) -> SelfCareActivity:
    lifestyle.check_self_care_outcome(activity.planned_for, timezone.localdate())
    activity.happened = happened
    activity.save(update_fields=["happened"])
    _audited(by, "update", activity, activity.person)
    return activity


@transaction.atomic
def save_reminder(
    person: Person,
    *,
    enabled: bool,
    at: Any,
    time_zone: str,
    by: Any,
    channel: str = "email",
    phone: str = "",
) -> Reminder:
    reminder, _ = Reminder.objects.update_or_create(
        person=person,
        defaults={
            "enabled": enabled,
            "at": at,
            "time_zone": time_zone,
            "channel": channel,
            "phone": phone,
        },
    )
    _audited(by, "update", reminder, person, enabled=enabled, channel=channel)
    return reminder


@transaction.atomic
def record_return(
    person: Person, on: date, *, restart: date | None, note: str, by: Any
) -> list[RecoveryEvent]:
    """A return to use, and (if chosen) the day the new count starts; both or neither stored."""
    events = [record_event(person, timeline_core.RETURN, on, by=by, note=note)]
    if restart is not None:
        if restart > timezone.localdate():
            raise InvalidInput("restart", "today or an earlier date")
        events.append(record_event(person, timeline_core.START, restart, by=by))
    return events
