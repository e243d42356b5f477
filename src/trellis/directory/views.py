"""Directory pages: public search and service pages, the community calendar and its iCalendar
feed, and curation for administrators. The directory is public information; curation is not
open to everyone and every change is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.directory import curation, events
from trellis.directory.categories import community
from trellis.directory.forms import EventForm, SearchForm, ServiceForm
from trellis.directory.models import Edit, Service
from trellis.directory.search import Query
from trellis.directory.search import search as run_search
from trellis.recovery.forms import refuse

PAGE = 50


def search(request: HttpRequest) -> HttpResponse:
    """Search by distance from a point and the filters a person or navigator needs."""
    # Without a point there is nothing to search from yet: show the form, keeping the category.
    bound = "lat" in request.GET or "lon" in request.GET
    form = SearchForm(
        request.GET if bound else None, initial={"category": request.GET.get("category", "")}
    )
    hits: list[Any] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            hits = run_search(
                Query(
                    lat=data["lat"],
                    lon=data["lon"],
                    radius_km=data.get("radius_km") or 25.0,
                    category=data.get("category") or None,
                    language=(data.get("language") or "").lower() or None,
                    cost=frozenset(data.get("cost") or ()),
                    age=data.get("age"),
                    sex=data.get("sex") or None,
                    veteran=True if data.get("veteran") else None,
                    open_at=timezone.now() if data.get("open_now") else None,
                    accessible=bool(data.get("accessible")),
                    limit=PAGE,
                )
            )
        except InvalidInput as refused:
            refuse(form, refused)
    return render(
        request,
        "directory/search.html",
        {"form": form, "hits": hits, "categories": community()},
        status=400 if form.is_bound and form.errors else 200,
    )


def service(request: HttpRequest, hsds_id: str) -> HttpResponse:
    row = _service(hsds_id)
    places = row.at_locations.select_related("location")
    return render(
        request,
        "directory/service.html",
        {"service": row, "places": places, "categories": community()},
    )


def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/events.html", {"events": events.upcoming()})


def calendar_ics(request: HttpRequest) -> HttpResponse:
    body = events.ical(events.upcoming(), request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trellis-events.ics"'
    return response


@role_required(Role.NAVIGATOR, Role.ADMIN, Role.CLINICIAN)
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            events.create(form.cleaned_data, by=request.user)
        except InvalidInput as refused:
            refuse(form, refused)
        else:
            messages.success(request, _("Event added to the calendar."))
            return redirect("directory:events")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "directory/event_new.html", {"form": form}, status=status)


@role_required(Role.ADMIN)
def curate(request: HttpRequest) -> HttpResponse:
    """Find a service to verify, close or edit; the latest changes, with who made them."""
    text = request.GET.get("q", "").strip()
    rows = Service.objects.select_related("organization")
    if text:
        rows = rows.filter(name__icontains=text)
    return render(
        request,
        "directory/curate.html",
        {
            "rows": rows.order_by("name")[:PAGE],
            "q": text,
            "edits": Edit.objects.select_related("by")[:30],
        },
    )


@role_required(Role.ADMIN)
def service_edit(request: HttpRequest, hsds_id: str) -> HttpResponse:
    row = _service(hsds_id)
    initial = {name: getattr(row, name) for name in curation.EDITABLE}
    initial["languages"] = ", ".join(row.languages)
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = curation.edit(row, form.changes(), by=request.user)
        except InvalidInput as refused:
            refuse(form, refused)
        else:
            messages.success(request, _("%(n)s field(s) changed.") % {"n": len(changed)})
            return redirect("directory:service_edit", hsds_id=row.hsds_id)
    context = {
        "service": row,
        "form": form,
        "edits": Edit.objects.filter(hsds_id=row.hsds_id).select_related("by"),
    }
    return render(
        request, "directory/service_edit.html", context, status=400 if form.errors else 200
    )


@role_required(Role.ADMIN)
@require_POST
def service_verify(request: HttpRequest, hsds_id: str) -> HttpResponse:
    curation.verify(_service(hsds_id), by=request.user)
    messages.success(request, _("Marked verified today."))
    return redirect("directory:service_edit", hsds_id=hsds_id)


@role_required(Role.ADMIN)
@require_POST
def service_close(request: HttpRequest, hsds_id: str) -> HttpResponse:
    closed = request.POST.get("closed") == "1"
    curation.set_closed(_service(hsds_id), closed, by=request.user)
    messages.success(request, _("Marked closed.") if closed else _("Open again."))
    return redirect("directory:service_edit", hsds_id=hsds_id)


def _service(hsds_id: str) -> Service:
    row = Service.objects.select_related("organization").filter(hsds_id=hsds_id).first()
    if row is None:
        raise Http404
    return row
