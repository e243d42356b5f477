"""Pages about people: the clinician's caseload, the person's home, a record, break-glass."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.core.access import Role
from trellis.people import actions
from trellis.people.access import access_person, relationship
from trellis.people.access import caseload as caseload_of
from trellis.people.forms import BreakGlassForm, ReviewForm
from trellis.people.models import BreakGlassAccess, Person

STAFF = (Role.CLINICIAN, Role.SUPERVISOR)


@role_required(*STAFF)
def caseload(request: HttpRequest) -> HttpResponse:
    people = caseload_of(request.user).prefetch_related("episodes")
    audit.record(request.user, "list", object_type="Caseload", detail={"count": len(people)})
    return render(
        request, "people/caseload.html", {"people": people, "today": timezone.localdate()}
    )


@role_required(Role.PERSON)
def me(request: HttpRequest) -> HttpResponse:
    own = Person.objects.filter(user=request.user).first()
    if own is None:
        raise Http404
    person = access_person(request.user, own.public_id)
    return render(
        request, "people/me.html", {"person": person, "episode": person.current_episode()}
    )


@login_required
def person_detail(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id)
    context = {
        "person": person,
        "episodes": person.episodes.all(),
        "team": person.care_team.active().select_related("member"),
        "relationship": relationship(request.user, person),
    }
    return render(request, "people/detail.html", context)


@role_required(Role.CLINICIAN, Role.SUPERVISOR)
def break_glass(request: HttpRequest, person_id: UUID) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if form.is_valid():
        actions.break_glass(request.user, person_id, form.cleaned_data["reason"])
        return redirect("people:detail", person_id=person_id)
    return render(request, "people/break_glass.html", {"form": form, "person_id": person_id})


@role_required(Role.SUPERVISOR)
def break_glass_review(request: HttpRequest) -> HttpResponse:
    grants = BreakGlassAccess.objects.awaiting_review().select_related("user", "person")
    audit.record(
        request.user, "list", object_type="BreakGlassAccess", detail={"count": len(grants)}
    )
    return render(
        request, "people/break_glass_review.html", {"grants": grants, "form": ReviewForm()}
    )


@role_required(Role.SUPERVISOR)
def break_glass_review_one(request: HttpRequest, grant_id: UUID) -> HttpResponse:
    grant = BreakGlassAccess.objects.awaiting_review().filter(public_id=grant_id).first()
    if grant is None or request.method != "POST":
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        grants = BreakGlassAccess.objects.awaiting_review().select_related("user", "person")
        return render(
            request,
            "people/break_glass_review.html",
            {"grants": grants, "form": form, "failed": grant},
            status=400,
        )
    actions.review_break_glass(
        grant, by=request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
    )
    return redirect("people:break_glass_review")
