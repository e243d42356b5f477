"""Quality dashboards for supervisors, and the care team's visit record. Thin: the measures are
core.quality's, the rows tables.py's; every dashboard read is audited (it aggregates protected
data), and so is the visit page."""

from __future__ import annotations

import csv
from datetime import date
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.core import quality, spreadsheet
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.oversight import actions, tables
from trellis.oversight.forms import FilterForm, VisitForm
from trellis.oversight.models import Visit
from trellis.oversight.records import Filters
from trellis.people.access import access_person

STAFF = (Role.CLINICIAN, Role.SUPERVISOR)
SECTIONS = {
    "fidelity": gettext_lazy("Fidelity"),
    "variation": gettext_lazy("Variation"),
    "outcomes": gettext_lazy("Outcomes"),
    "access": gettext_lazy("Access and engagement"),
    "equity": gettext_lazy("Equity"),
}
INTROS = {
    "fidelity": gettext_lazy(
        "Deviations from the knowledge base's plan, by clinician, with the reasons given."
    ),
    "variation": gettext_lazy(
        "People with similar profiles (same recommended level, same dimensions at the highest risk): how each clinician's placements and plans differ."
    ),
    "outcomes": gettext_lazy(
        "Retention at 30 and 90 days, and change on PHQ-9, GAD-7 and the BAM."
    ),
    "access": gettext_lazy(
        "The NIATx measures: days from first contact to first session and first medication dose, no-shows, continuation to the fourth session."
    ),
    "equity": gettext_lazy(
        "Each outcome and access measure by group. Groups of fewer than 11 people are suppressed (CMS cell size suppression policy)."
    ),
}


@role_required(Role.SUPERVISOR)
def index(request: HttpRequest) -> HttpResponse:
    audit.record(request.user, "read", object_type="OversightDashboard", object_id="index")
    cards = [(slug, name, INTROS[slug]) for slug, name in SECTIONS.items()]
    return render(request, "oversight/index.html", {"sections": SECTIONS, "cards": cards})


@role_required(Role.SUPERVISOR)
def dashboard(request: HttpRequest, section: str) -> HttpResponse:
    form = FilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        audit.record(
            request.user,
            "read",
            object_type="OversightDashboard",
            object_id=section,
            outcome="denied",
            detail={"fields": sorted(form.errors)},
        )
        return _page(request, section, form, [], status=400)
    data = form.cleaned_data if form.is_bound else {}
    filters = Filters(data.get("program"), data.get("date_from"), data.get("date_to"))
    today = min(filter(None, (filters.date_to, timezone.localdate())))
    measure = data.get("measure") or "retention_30"
    rows = (
        tables.equity(filters, today, measure)
        if section == "equity"
        else tables.DASHBOARDS[section](filters, today)
    )
    wanted = request.GET.get("format") == "csv"
    audit.record(
        request.user,
        "read",
        object_type="OversightDashboard",
        object_id=section,
        detail={
            **filters.as_detail(),
            "format": "csv" if wanted else "html",
            "measure": measure if section == "equity" else "",
        },
    )
    if wanted:
        return _csv(section, rows, request.GET.get("table", ""), today)
    return _page(request, section, form, rows, measure=measure)


def _page(
    request: HttpRequest,
    section: str,
    form: FilterForm,
    rows: list[tables.Table],
    *,
    measure: str = "",
    status: int = 200,
) -> HttpResponse:
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    context = {
        "section": section,
        "title": SECTIONS[section],
        "intro": INTROS[section],
        "sections": SECTIONS,
        "form": form,
        "tables": rows,
        "query": query.urlencode(),
        "measure": measure,
        "measures": tables.MEASURE_NAMES,
        "min_cell": quality.MIN_CELL,
    }
    return render(request, "oversight/dashboard.html", context, status=status)


def _csv(section: str, rows: list[tables.Table], slug: str, today: date) -> HttpResponse:
    table = next((t for t in rows if t.slug == slug), None)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="oversight-{section}-{slug}-{today.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(table.columns)
    writer.writerows(spreadsheet.row(r) for r in table.rows)
    return response


@role_required(*STAFF)
def visits(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """A person's visits (first contact, sessions, medication doses) and the form to add one."""
    if request.method == "POST":
        return _record(request, person_id)
    person = access_person(request.user, person_id, what="Visit")
    return _visits_page(request, person, VisitForm(initial={"on": timezone.localdate()}))


def _record(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id, write=True, what="Visit")
    form = VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_visit(
                person,
                kind=data["kind"],
                on=data["on"],
                status=data["status"],
                by=request.user,
                today=timezone.localdate(),
            )
        except InvalidInput as refused:
            form.refuse(refused)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("oversight:visits", person_id=person.public_id)
    return _visits_page(request, person, form, status=400)


def _visits_page(request: HttpRequest, person, form: VisitForm, status: int = 200) -> HttpResponse:  # type: ignore[no-untyped-def]
    rows = Visit.objects.filter(person=person).select_related("recorded_by")
    return render(
        request,
        "oversight/visits.html",
        {"person": person, "form": form, "visits": rows},
        status=status,
    )
