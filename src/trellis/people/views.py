"""Pages about people: the clinician's caseload, the person's home, a record, break-glass."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.core.access import Role, may_write
from trellis.core.errors import InvalidInput
from trellis.people import actions
from trellis.people.access import access_person, relationship
from trellis.people.forms import (
    AdmitForm,
    BreakGlassForm,
    CareTeamForm,
    DischargeForm,
    PersonForm,
    ReviewForm,
)
from trellis.people.models import BreakGlassAccess, Person

STAFF = (Role.CLINICIAN, Role.SUPERVISOR)


@login_required
def person_detail(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id)
    return _detail(request, person)


def _detail(
    request: HttpRequest, person: Person, status: int = 200, **forms: object
) -> HttpResponse:
    from trellis.recovery.models import CheckIn

    rel = relationship(request.user, person)
    since = timezone.localdate() - timedelta(days=14)
    context = {
        "signals": CheckIn.objects.filter(
            person=person, support_offered=True, day__gte=since
        ).count(),
        "person": person,
        "episodes": person.episodes.all(),
        "episode": person.current_episode(),
        "team": person.care_team.active().select_related("member"),
        "relationship": rel,
        "may_write": may_write(Role(request.user.role), rel) and request.user.role != Role.PERSON,
        "admit_form": forms.get("admit_form")
        or AdmitForm(initial={"admitted_on": timezone.localdate()}),
        "discharge_form": forms.get("discharge_form")
        or DischargeForm(initial={"discharged_on": timezone.localdate()}),
        "team_form": forms.get("team_form") or CareTeamForm(),
        "alerts": person.alerts.open() if may_write(Role(request.user.role), rel) else [],
    }
    return render(request, "people/detail.html", context, status=status)


@role_required(*STAFF)
def person_new(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if form.is_valid():
        person = actions.register_person(by=request.user, **form.cleaned_data)
        return redirect("people:detail", person_id=person.public_id)
    return render(request, "people/new.html", {"form": form}, status=400 if form.errors else 200)


@role_required(*STAFF)
@require_POST
def episode_admit(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id, write=True, what="Episode")
    form = AdmitForm(request.POST)
    if form.is_valid() and _act(
        form,
        actions.admit,
        person,
        level_of_care=form.cleaned_data["level_of_care"],
        on=form.cleaned_data["admitted_on"],
        by=request.user,
    ):
        return redirect("people:detail", person_id=person.public_id)
    return _detail(request, person, status=400, admit_form=form)


@role_required(*STAFF)
@require_POST
def episode_discharge(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id, write=True, what="Episode")
    episode = person.current_episode()
    form = DischargeForm(request.POST)
    if episode is None:
        form.add_error(None, _("There is no open episode to discharge."))
    elif form.is_valid() and _act(
        form,
        actions.discharge,
        episode,
        on=form.cleaned_data["discharged_on"],
        reason=form.cleaned_data["discharge_reason"],
        by=request.user,
    ):
        return redirect("people:detail", person_id=person.public_id)
    return _detail(request, person, status=400, discharge_form=form)


@role_required(*STAFF)
@require_POST
def care_team_add(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id, write=True, what="CareTeam")
    form = CareTeamForm(request.POST)
    if form.is_valid() and _act(
        form, actions.add_to_care_team, person, form.cleaned_data["member"], by=request.user
    ):
        return redirect("people:detail", person_id=person.public_id)
    return _detail(request, person, status=400, team_form=form)


@role_required(*STAFF)
@require_POST
def care_team_end(request: HttpRequest, person_id: UUID, membership_id: int) -> HttpResponse:
    person = access_person(request.user, person_id, write=True, what="CareTeam")
    membership = person.care_team.active().filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    actions.end_care_team_membership(membership, on=timezone.localdate(), by=request.user)
    if (
        membership.member == request.user
    ):  # they left the team, so the record is no longer theirs to see
        return redirect("people:caseload")
    return redirect("people:detail", person_id=person.public_id)


def _act(form: Any, action: Any, *args: Any, **kwargs: Any) -> bool:
    """Run an audited action; a domain refusal becomes a form error naming the field."""
    try:
        action(*args, **kwargs)
    except InvalidInput as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    return True


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
