"""Referral pages: the navigator's worklist, a person's services and referrals, one referral's
loop, and the person's own view. Thin: the rules are in core.referrals and the actions."""

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
from trellis.core import referrals as core
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.directory import matching
from trellis.directory.categories import community
from trellis.directory.models import Service
from trellis.directory.search import Query, search
from trellis.people.access import access_for_referrals, caseload
from trellis.people.models import Person
from trellis.recovery.forms import refuse
from trellis.referrals import actions
from trellis.referrals.access import access_referral
from trellis.referrals.forms import MoveForm, SendForm
from trellis.referrals.models import Referral

TEAM = (Role.CLINICIAN, Role.SUPERVISOR, Role.NAVIGATOR)


@role_required(*TEAM)
def worklist(request: HttpRequest) -> HttpResponse:
    """Open referrals of the user's caseload, overdue follow-ups first, and who to find services for."""
    today = timezone.localdate()
    rows = actions.worklist(request.user, today)
    audit.record(request.user, "list", object_type="ReferralWorklist", detail={"count": len(rows)})
    return render(
        request,
        "referrals/worklist.html",
        {"rows": rows, "today": today, "people": caseload(request.user).order_by("family_name")},
    )


@role_required(*TEAM)
def person(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """A person's community needs with matching services, a search near them, and their referrals."""
    who = access_for_referrals(request.user, person_id)
    return _person_page(request, who, SendForm())


@role_required(*TEAM)
@require_POST
def send(request: HttpRequest, person_id: UUID) -> HttpResponse:
    who = access_for_referrals(request.user, person_id, what="Referral")
    form = SendForm(request.POST)
    if form.is_valid():
        service = Service.objects.filter(hsds_id=form.cleaned_data["service"]).first()
        try:
            if service is None:
                raise InvalidInput("service", "a service in the directory")
            referral = actions.send(
                who,
                service,
                need=form.cleaned_data["need"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except InvalidInput as refused:
            refuse(form, refused)
        else:
            messages.success(request, _("Referral sent to %(name)s.") % {"name": service.name})
            return redirect("referrals:detail", referral_id=referral.public_id)
    return _person_page(request, who, form, status=400)


@role_required(*TEAM)
def detail(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    row = access_referral(request.user, referral_id)
    return _detail_page(request, row, MoveForm(current=core.Status(row.status)))


@role_required(*TEAM)
@require_POST
def move(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    row = access_referral(request.user, referral_id)
    form = MoveForm(request.POST, current=core.Status(row.status))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.move(
                row,
                data["status"],
                by=request.user,
                appointment_at=data.get("appointment_at"),
                outcome=data.get("outcome") or None,
                note=data.get("note") or "",
            )
        except InvalidInput as refused:
            refuse(form, refused)
        else:
            messages.success(request, _("Referral updated."))
            return redirect("referrals:detail", referral_id=row.public_id)
    return _detail_page(request, row, form, status=400)


@role_required(Role.PERSON)
def mine(request: HttpRequest) -> HttpResponse:
    """The person's own referrals, where each stands, and whom they allowed to receive them."""
    me = Person.objects.filter(user=request.user).first()
    rows = (
        Referral.objects.filter(person=me).select_related("service__organization")
        if me
        else Referral.objects.none()
    )
    audit.record(
        request.user,
        "read",
        object_type="Referral",
        object_id=str(me.public_id) if me else "unknown",
        purpose="self_service",
    )
    found = matching.for_person(me) if me else None
    context = {
        "rows": rows,
        "categories": community(),
        "suggestions": found.matches if found else (),
        "consented": matching.consented_organizations(me) if me else set(),
    }
    return render(request, "referrals/mine.html", context)


def _person_page(
    request: HttpRequest, who: Person, form: SendForm, status: int = 200
) -> HttpResponse:
    found = matching.for_person(who)
    query, hits, problem = _search(request, found.seeker)
    context: dict[str, Any] = {
        "person": who,
        "situation": found,
        "query": query,
        "hits": hits,
        "problem": problem,
        "form": form,
        "categories": community(),
        "referrals": Referral.objects.filter(person=who).select_related("service__organization"),
        "today": timezone.localdate(),
        "consented": matching.consented_organizations(who),
    }
    return render(request, "referrals/person.html", context, status=status)


def _search(request: HttpRequest, seeker: Any) -> tuple[Query | None, list[Any], str]:
    """The search the page asks for, near the person's location from the intake."""
    if "category" not in request.GET:
        return None, [], ""
    try:
        query = matching.query_from(request.GET, seeker)
    except InvalidInput as refused:
        return None, [], refused.message
    return query, search(query), ""


def _detail_page(
    request: HttpRequest, row: Referral, form: MoveForm, status: int = 200
) -> HttpResponse:
    context = {
        "referral": row,
        "steps": row.steps.select_related("by"),
        "form": form,
        "today": timezone.localdate(),
        "closed": row.status == core.Status.CLOSED,
    }
    return render(request, "referrals/detail.html", context, status=status)
