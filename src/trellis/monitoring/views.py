"""The caseload dashboard, a person's progress page and stepped-care decisions (care team only)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.alerts.models import Alert
from trellis.audit import log as audit
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.monitoring import actions, dashboard
from trellis.monitoring.access import access_proposal
from trellis.monitoring.models import Proposal
from trellis.people.access import access_person
from trellis.people.access import caseload as caseload_of
from trellis.people.models import LEVELS_OF_CARE
from trellis.recovery.models import Goal, GoalStatus

STAFF = (Role.CLINICIAN, Role.SUPERVISOR)


@role_required(*STAFF)
def caseload(request: HttpRequest) -> HttpResponse:
    """Everyone on the user's care teams, riskiest first, with their open alerts to act on."""
    filters = dashboard.Filters.from_query(request.GET)
    rows = dashboard.caseload(
        caseload_of(request.user), today=timezone.localdate(), filters=filters
    )
    audit.record(request.user, "list", object_type="Caseload", detail={"count": len(rows)})
    return render(
        request,
        "monitoring/caseload.html",
        {"rows": rows, "filters": filters, "levels": LEVELS_OF_CARE, "today": timezone.localdate()},
    )


@role_required(*STAFF)
def progress(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id, what="Progress")
    today = timezone.localdate()
    goals = Goal.objects.filter(person=person, parent__isnull=True).prefetch_related("progress")
    context = {
        "person": person,
        "series": dashboard.measure_series(person),
        "due": actions.schedule(person, today=today),
        "goals": [(g, actions.latest_percent(g)) for g in goals],
        "alerts": Alert.objects.filter(person=person).select_related(
            "acknowledged_by", "resolved_by"
        ),
        "proposals": Proposal.objects.filter(person=person).select_related("decided_by"),
        "today": today,
        "active": GoalStatus.ACTIVE,
    }
    return render(request, "monitoring/progress.html", context)


@role_required(Role.CLINICIAN)
@require_POST
def accept(request: HttpRequest, proposal_id: UUID) -> HttpResponse:
    row = access_proposal(request.user, proposal_id, write=True)
    try:
        plan = actions.accept(row, by=request.user)
    except InvalidInput as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Proposal accepted: plan version %(n)s.") % {"n": plan.version})
    return redirect("monitoring:progress", person_id=row.person.public_id)


@role_required(Role.CLINICIAN)
@require_POST
def reject(request: HttpRequest, proposal_id: UUID) -> HttpResponse:
    row = access_proposal(request.user, proposal_id, write=True)
    try:
        actions.reject(row, by=request.user, reason=request.POST.get("reason", ""))
    except InvalidInput as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Proposal rejected; the reason is recorded."))
    return redirect("monitoring:progress", person_id=row.person.public_id)
