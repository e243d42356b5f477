"""Writes of the waitlist and allocation pages: each one transaction, audited, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trellis.audit import log as audit
from trellis.core.access import Purpose
from trellis.core.allocation import check_floor, check_policy
from trellis.core.errors import InvalidInput
from trellis.people import actions as people
from trellis.people.models import DischargeReason, Episode, Person, Program
from trellis.waitlist import inputs, proposals
from trellis.waitlist.models import (
    AllocationChange,
    AllocationRun,
    Capacity,
    EntryStatus,
    RunStatus,
    WaitlistEntry,
)

MAX_REASON = 500


@transaction.atomic
def save_program(program: Program, *, by: Any, **values: Any) -> Program:
    """Location, languages and insurance accepted."""
    changed = [name for name, value in values.items() if getattr(program, name) != value]
    for name in changed:
        setattr(program, name, values[name])
    program.save(update_fields=changed)
    audit.record(by, "update", program, detail={"fields": sorted(changed)})
    return program


@transaction.atomic
def save_capacity(
    program: Program, *, level: str, service: str, slots: int, staff_hours: Decimal, by: Any
) -> Capacity:
    """Add a service's capacity at a level, or change it."""
    row, created = Capacity.objects.select_for_update().get_or_create(
        program=program,
        level=level,
        service=service,
        defaults={"slots": slots, "staff_hours_per_week": staff_hours},
    )
    if not created:
        row.slots, row.staff_hours_per_week, row.updated = slots, staff_hours, timezone.now()
        row.save(update_fields=["slots", "staff_hours_per_week", "updated"])
    audit.record(
        by,
        "create" if created else "update",
        object_type="Capacity",
        object_id=str(row.pk),
        detail={"program": str(program.public_id), "level": level, "slots": slots},
    )
    return row


@transaction.atomic
def add_entry(person: Person, *, by: Any, **values: Any) -> WaitlistEntry:
    if WaitlistEntry.objects.filter(person=person, status=EntryStatus.WAITING).exists():
        raise InvalidInput(
            "person",
            "someone who is not already waiting",
            message=_("This person is already on the waitlist."),
        )
    entry = WaitlistEntry.objects.create(person=person, created_by=by, **values)
    audit.record(
        by,
        "create",
        entry,
        purpose=Purpose.OPERATIONS,
        detail={"person": str(person.public_id), "level": entry.level},
    )
    return entry


@transaction.atomic
def remove_entry(entry: WaitlistEntry, *, reason: str, by: Any) -> WaitlistEntry:
    _check_reason(reason)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.WAITING:
        raise InvalidInput(
            "entry", "someone still waiting", message=_("This person is no longer waiting.")
        )
    entry.status, entry.removed_reason = EntryStatus.REMOVED, reason.strip()
    entry.removed_at = timezone.now()
    entry.save(update_fields=["status", "removed_reason", "removed_at"])
    audit.record(by, "update", entry, purpose=Purpose.OPERATIONS, detail={"status": "removed"})
    return entry


@transaction.atomic
def propose_run(*, policy: str, equity_floor: float, by: Any, today: date) -> AllocationRun:
    """Run the three policies on the waitlist and capacity as they stand; keep `policy`'s."""
    policy, floor = check_policy(policy), check_floor(equity_floor)
    entries = inputs.waiting_entries()
    if not entries:
        raise InvalidInput(
            "waitlist",
            "at least one person waiting",
            message=_("Nobody is waiting: add people to the waitlist first."),
        )
    snapshot = {
        "today": today.isoformat(),
        "requests": inputs.requests_document(entries),
        "capacity": inputs.capacity_document(),
        "turnover_per_week": inputs.turnover_per_week(today),
    }
    if not snapshot["capacity"]:
        raise InvalidInput(
            "capacity",
            "at least one complete program",
            message=_(
                "No program can take part yet: give a program a location, languages, insurance "
                "accepted and a capacity row first."
            ),
        )
    result = proposals.compare_policies(snapshot, equity_floor=floor)
    run = AllocationRun.objects.create(
        policy=policy, equity_floor=floor, snapshot=snapshot, result=result, created_by=by
    )
    audit.record(
        by,
        "create",
        run,
        purpose=Purpose.OPERATIONS,
        detail={"policy": str(policy), "requests": len(entries)},
    )
    return run


def current_report(run: AllocationRun) -> dict[str, Any]:
    """The core's report of the run as it stands: the policy's, or re-made after changes."""
    return run.result.get("current") or run.result["runs"][run.policy]["report"]


def placements(run: AllocationRun) -> dict[str, str]:
    """{entry public id: program id} as the run stands, the supervisor's changes included."""
    return proposals.placements(current_report(run))


@transaction.atomic
def change_run(
    run: AllocationRun, entry: WaitlistEntry, *, to_program: str | None, reason: str, by: Any
) -> AllocationChange:
    """Move one person of a proposed run to another appropriate program with a free place, or
    leave them waiting; the run's report is re-made with the change."""
    _check_reason(reason)
    run = _locked_proposed(run)
    request_id = str(entry.public_id)
    if request_id not in {r["id"] for r in run.snapshot["requests"]}:
        raise InvalidInput("entry", "someone on this run's waitlist")
    before = placements(run).get(request_id, "")
    made = proposals.move(run.snapshot, current_report(run), request_id, to_program)
    run.result = {**run.result, "current": made}
    run.save(update_fields=["result"])
    change = AllocationChange.objects.create(
        run=run,
        entry=entry,
        from_program=before,
        to_program=to_program or "",
        reason=reason.strip(),
        by=by,
    )
    audit.record(
        by,
        "update",
        run,
        purpose=Purpose.OPERATIONS,
        detail={"entry": request_id, "to_program": to_program or "waiting"},
    )
    return change


@transaction.atomic
def accept_run(run: AllocationRun, *, by: Any, today: date) -> list[Episode]:
    """Every placement becomes an episode at the program's level, admitted today; the entries
    are placed and the places taken off the program's open slots. Refused when the run is no
    longer proposed or its inputs changed since."""
    run = _locked_proposed(run)
    _check_unchanged(run)
    inputs_ = proposals.Inputs.of(run.snapshot)
    placed = placements(run)
    entries = {
        str(e.public_id): e
        for e in WaitlistEntry.objects.select_for_update()
        .filter(public_id__in=list(placed))
        .select_related("person")
    }
    episodes = [
        _place(entries[request_id], inputs_.program(program_id), by=by, today=today)
        for request_id, program_id in placed.items()
    ]
    run.status, run.accepted_by, run.accepted_at = RunStatus.ACCEPTED, by, timezone.now()
    run.save(update_fields=["status", "accepted_by", "accepted_at"])
    audit.record(by, "update", run, purpose=Purpose.OPERATIONS, detail={"placed": len(episodes)})
    return episodes


def _place(entry: WaitlistEntry, program: Any, *, by: Any, today: date) -> Episode:
    target = Program.objects.get(public_id=program.id.split(":")[0])
    current = entry.person.current_episode()
    if current is not None:
        # One open episode at a time: a placement elsewhere is a transfer.
        people.discharge(
            current, on=max(today, current.admitted_on), reason=DischargeReason.TRANSFERRED, by=by
        )
    episode = Episode.objects.create(
        person=entry.person, program=target, admitted_on=today, level_of_care=program.level
    )
    audit.record(
        by,
        "create",
        episode,
        purpose=Purpose.OPERATIONS,
        detail={"person": str(entry.person.public_id), "level_of_care": program.level},
    )
    entry.status, entry.episode = EntryStatus.PLACED, episode
    entry.save(update_fields=["status", "episode"])
    _take_place(target, program.level)
    return episode


def _take_place(program: Program, level: str) -> None:
    row = (
        Capacity.objects.select_for_update()
        .filter(program=program, level=level, slots__gt=0)
        .order_by("service")
        .first()
    )
    assert row is not None, "checked unchanged, so the snapshot's places are still open"
    row.slots -= 1
    row.save(update_fields=["slots"])


def _locked_proposed(run: AllocationRun) -> AllocationRun:
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.PROPOSED:
        raise InvalidInput(
            "run",
            "a proposed run",
            message=_("This run is no longer proposed: it was already accepted or discarded."),
        )
    return run


def _check_unchanged(run: AllocationRun) -> None:
    waiting = {str(e.public_id) for e in inputs.waiting_entries()}
    if not {r["id"] for r in run.snapshot["requests"]} <= waiting:
        raise InvalidInput(
            "run",
            "a run whose people are all still waiting",
            message=_(
                "The waitlist changed since this run: someone was placed or removed. "
                "Run the allocation again."
            ),
        )
    if inputs.capacity_document() != run.snapshot["capacity"]:
        raise InvalidInput(
            "run",
            "a run on the capacity as it stands",
            message=_(
                "Capacity changed since this run: open places or programs are not what the run "
                "used. Run the allocation again."
            ),
        )


def _check_reason(reason: str) -> None:
    if not reason or not reason.strip() or len(reason) > MAX_REASON:
        raise InvalidInput("reason", f"a reason of 1 to {MAX_REASON} characters")
