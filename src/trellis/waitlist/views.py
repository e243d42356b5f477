"""The supervisor's capacity, waitlist and allocation pages. Thin: the rules are in
core.allocation, the writes in actions, the tables in presenting."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.core.access import Purpose, Role
from trellis.core.errors import InvalidInput
from trellis.people.access import find_person
from trellis.people.models import Person
from trellis.waitlist import actions, inputs, presenting
from trellis.waitlist.access import access_entry, access_program, access_run
from trellis.waitlist.forms import (
    CapacityForm,
    ChangeForm,
    EntryForm,
    ProgramForm,
    ReasonForm,
    RunForm,
)
from trellis.waitlist.models import AllocationRun, EntryStatus, RunStatus, WaitlistEntry

SUPERVISOR = Role.SUPERVISOR
REMOVED_SHOWN = 100  # the removed page's latest removals


@role_required(SUPERVISOR)
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request, RunForm())


def _overview(request: HttpRequest, form: RunForm, status: int = 200) -> HttpResponse:
    entries = inputs.waiting_entries()
    audit.record(
        request.user,
        "list",
        object_type="Waitlist",
        purpose=Purpose.OPERATIONS,
        detail={"count": len(entries)},
    )
    context = {
        "programs": presenting.capacity_overview(),
        "entries": entries,
        "runs": AllocationRun.objects.select_related("created_by")[:10],
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "waitlist/overview.html", context, status=status)


@role_required(SUPERVISOR)
def program(request: HttpRequest, program_id: UUID) -> HttpResponse:
    row = access_program(request.user, program_id)
    form = ProgramForm(request.POST or None, initial=_program_initial(row))
    if request.method == "POST" and form.is_valid():
        actions.save_program(row, by=request.user, **form.cleaned_data)
        messages.success(request, _("Program saved."))
        return redirect("waitlist:program", program_id=row.public_id)
    status = 400 if request.method == "POST" else 200
    return _program_page(request, row, form, CapacityForm(), status)


@role_required(SUPERVISOR)
@require_POST
def capacity(request: HttpRequest, program_id: UUID) -> HttpResponse:
    row = access_program(request.user, program_id)
    form = CapacityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        actions.save_capacity(
            row,
            level=data["level"],
            service=data["service"],
            slots=data["slots"],
            staff_hours=data["staff_hours_per_week"],
            by=request.user,
        )
        messages.success(request, _("Capacity saved."))
        return redirect("waitlist:program", program_id=row.public_id)
    return _program_page(request, row, ProgramForm(initial=_program_initial(row)), form, 400)


def _program_initial(row: Any) -> dict[str, Any]:
    return {
        "latitude": row.latitude,
        "longitude": row.longitude,
        "languages": ", ".join(row.languages),
        "insurance": row.insurance,
    }


def _program_page(
    request: HttpRequest, row: Any, form: ProgramForm, capacity_form: CapacityForm, status: int
) -> HttpResponse:
    context = {
        "program": row,
        "form": form,
        "capacity_form": capacity_form,
        "rows": row.capacities.all(),
    }
    return render(request, "waitlist/program.html", context, status=status)


@role_required(SUPERVISOR)
def entry_new(request: HttpRequest) -> HttpResponse:
    """Pick a person, then a form prefilled from their latest completed intake."""
    person = find_person(request.GET.get("person") or request.POST.get("person"))
    if person is None:
        status = 404 if "person" in request.GET or request.method == "POST" else 200
        return _pick_person(request, status)
    today = timezone.localdate()
    found = inputs.prefill(person, today)
    _audit_prefill(request.user, person, found)
    form = EntryForm(request.POST or None, initial=found.initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_entry(person, by=request.user, **_entry_values(form, found))
        except InvalidInput as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("%(name)s added to the waitlist.") % {"name": person})
            return redirect("waitlist:overview")
    context = {
        "person": person,
        "form": form,
        "prefill": found,
        "groups": presenting.labelled(found.groups),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "waitlist/entry_new.html", context, status=status)


def _pick_person(request: HttpRequest, status: int) -> HttpResponse:
    waiting = WaitlistEntry.objects.filter(status=EntryStatus.WAITING).values("person_id")
    people = Person.objects.exclude(pk__in=waiting).order_by("family_name", "given_name")
    return render(request, "waitlist/entry_pick.html", {"people": people}, status=status)


def _audit_prefill(user: Any, person: Person, found: inputs.Prefill) -> None:
    audit.record(
        user,
        "read",
        object_type="Intake" if found.has_intake else "Person",
        object_id=str(person.public_id),
        purpose=Purpose.OPERATIONS,
        detail={"for": "waitlist"},
    )


def _entry_values(form: EntryForm, found: inputs.Prefill) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["location"] = {"lat": data.pop("latitude"), "lon": data.pop("longitude")}
    data["groups"] = found.groups
    data["urgent_intake"] = found.urgent
    return data


@role_required(SUPERVISOR)
def entry_remove(request: HttpRequest, waitlist_entry_id: UUID) -> HttpResponse:
    entry = access_entry(request.user, waitlist_entry_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.remove_entry(entry, reason=form.cleaned_data["reason"], by=request.user)
        except InvalidInput as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request, _("%(name)s removed from the waitlist.") % {"name": entry.person}
            )
            return redirect("waitlist:overview")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "waitlist/entry_remove.html", {"entry": entry, "form": form}, status=status
    )


@role_required(SUPERVISOR)
def removed(request: HttpRequest) -> HttpResponse:
    """Who was taken off the waitlist, when and why: the latest removals first."""
    entries = inputs.removed_entries(REMOVED_SHOWN)
    audit.record(
        request.user,
        "list",
        object_type="Waitlist",
        purpose=Purpose.OPERATIONS,
        detail={"status": EntryStatus.REMOVED.value, "count": len(entries)},
    )
    context = {"entries": entries, "shown": REMOVED_SHOWN}
    return render(request, "waitlist/removed.html", context)


@role_required(SUPERVISOR)
@require_POST
def run_new(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = actions.propose_run(
                policy=form.cleaned_data["policy"],
                equity_floor=form.cleaned_data["equity_floor"],
                by=request.user,
                today=timezone.localdate(),
            )
        except InvalidInput as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("waitlist:run", run_id=run.public_id)
    return _overview(request, form, status=400)


@role_required(SUPERVISOR)
def run(request: HttpRequest, run_id: UUID) -> HttpResponse:
    row = access_run(request.user, run_id)
    return _run_page(request, row, _change_form(row))


def _change_form(row: AllocationRun, data: Any = None) -> ChangeForm:
    return ChangeForm(
        data, people=presenting.people_choices(row), programs=presenting.program_choices(row)
    )


def _run_page(
    request: HttpRequest, row: AllocationRun, form: ChangeForm, status: int = 200
) -> HttpResponse:
    context = {
        "run": row,
        "form": form,
        "proposed": row.status == RunStatus.PROPOSED,
        **presenting.run_context(row),
    }
    return render(request, "waitlist/run.html", context, status=status)


@role_required(SUPERVISOR)
@require_POST
def run_change(request: HttpRequest, run_id: UUID) -> HttpResponse:
    row = access_run(request.user, run_id)
    form = _change_form(row, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        entry = WaitlistEntry.objects.filter(public_id=data["entry"]).first()
        try:
            if entry is None:
                raise InvalidInput("entry", "someone on this run's waitlist")
            actions.change_run(
                row,
                entry,
                to_program=data["to_program"] or None,
                reason=data["reason"],
                by=request.user,
            )
        except InvalidInput as refused:
            _refuse(form, refused)
        else:
            messages.success(request, _("Change recorded."))
            return redirect("waitlist:run", run_id=row.public_id)
    return _run_page(request, row, form, status=400)


def _refuse(form: Any, refused: InvalidInput) -> None:
    """Put the core's refusal next to its field, in the words of the field's label."""
    field = refused.field if refused.field in form.fields else None
    if field is None or refused.message != f"{refused.field} must be {refused.allowed}":
        form.add_error(field, refused.message)
        return
    label = form.fields[field].label
    form.add_error(
        field, _("%(label)s must be %(allowed)s.") % {"label": label, "allowed": _(refused.allowed)}
    )


@role_required(SUPERVISOR)
@require_POST
def run_accept(request: HttpRequest, run_id: UUID) -> HttpResponse:
    row = access_run(request.user, run_id)
    try:
        episodes = actions.accept_run(row, by=request.user, today=timezone.localdate())
    except InvalidInput as refused:
        messages.error(request, refused.message)
        return redirect("waitlist:run", run_id=row.public_id)
    messages.success(
        request, _("Allocation accepted: %(count)d people admitted.") % {"count": len(episodes)}
    )
    return redirect("waitlist:run", run_id=row.public_id)
