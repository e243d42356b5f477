"""The plan page, shared decisions with the person, clinicians' changes, versions and the PDF."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.core import plan_changes
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.core.preferences import mismatches
from trellis.knowledge.interventions import knowledge_base
from trellis.people.access import access_person
from trellis.plans import actions
from trellis.plans.access import access_plan
from trellis.plans.forms import DecisionForm, DeviationForm
from trellis.plans.models import Plan, PlanDeviation

CLINICAL = (Role.CLINICIAN, Role.SUPERVISOR)


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


@login_required
def current(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id, what="Plan")
    plan = Plan.objects.filter(person=person).current()
    if plan is None:
        return render(request, "plans/none.html", {"person": person})
    return redirect("plans:detail", plan_id=plan.public_id)


@login_required
def detail(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = access_plan(request.user, plan_id)
    return _detail(request, plan)


def _detail(
    request: HttpRequest,
    plan: Plan,
    *,
    status: int = 200,
    form: Any = None,
    error: str | None = None,
) -> HttpResponse:
    kb, language = knowledge_base(), _language()
    items = [
        {**i, "text": kb.entry(i["code"]).text[language]} for i in plan.document["interventions"]
    ]
    versions = Plan.objects.filter(person=plan.person).only(
        "public_id", "version", "created", "change", "cosigned_at"
    )
    latest = versions.first()
    context = {
        "plan": plan,
        "person": plan.person,
        "document": plan.document,
        "items": items,
        "versions": versions,
        "is_current": latest is not None and latest.pk == plan.pk,
        "decisions": plan.decisions.all(),
        "deviations": plan.deviations.all(),
        "clinical": request.user.role in CLINICAL,
        "is_person": request.user.role == Role.PERSON,
        "form": form or DeviationForm(),
        "error": error,
        "own_words": (plan.intake.document.get("preferences") or {}).get("goals_in_own_words")
        if plan.intake
        else None,
        "mismatches": mismatches(plan.intake.document, plan.document) if plan.intake else [],
        "deviation_count": PlanDeviation.objects.filter(plan__person=plan.person).count(),
    }
    return render(request, "plans/detail.html", context, status=status)


@login_required
def decide(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """Shared decision-making: each option in plain language; the person chooses and says why."""
    plan = access_plan(request.user, plan_id, write=request.method == "POST")
    if request.user.role not in (Role.PERSON, *CLINICAL):
        raise Http404
    form = DecisionForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            _record, new = actions.record_decision(
                plan, by=request.user, language=_language(), **form.cleaned_data
            )
            return redirect("plans:decide", plan_id=new.public_id)
        except InvalidInput as refused:
            error = refused.message
    kb, language = knowledge_base(), _language()
    options = [
        {**i, "text": kb.entry(i["code"]).text[language]}
        for i in plan.document["interventions"]
        if i["status"] in ("recommended", "consider", "declined")
    ]
    chosen = {d.code: d for d in plan.decisions.filter(withdrawn_at__isnull=True)}
    context = {
        "plan": plan,
        "person": plan.person,
        "options": options,
        "chosen": chosen,
        "form": form,
        "error": error,
    }
    return render(
        request, "plans/decide.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, plan_id: UUID, decision_id: UUID) -> HttpResponse:
    plan = access_plan(request.user, plan_id, write=True)
    record = plan.decisions.filter(public_id=decision_id).first()
    if record is None:
        raise Http404
    try:
        new = actions.withdraw_consent(record, by=request.user)
    except InvalidInput as refused:
        return _detail(request, plan, status=400, error=refused.message)
    return redirect("plans:detail", plan_id=new.public_id)


@role_required(*CLINICAL)
@require_POST
def deviate(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = access_plan(request.user, plan_id, write=True)
    form = DeviationForm(request.POST)
    if form.is_valid():
        try:
            new = actions.deviate(plan, by=request.user, **form.cleaned_data)
            return redirect("plans:detail", plan_id=new.public_id)
        except InvalidInput as refused:
            return _detail(request, plan, status=400, form=form, error=refused.message)
    return _detail(request, plan, status=400, form=form)


@role_required(Role.SUPERVISOR)
@require_POST
def cosign(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = access_plan(request.user, plan_id, write=True)
    try:
        actions.cosign(plan, by=request.user)
    except InvalidInput as refused:
        return _detail(request, plan, status=400, error=refused.message)
    return redirect("plans:detail", plan_id=plan.public_id)


@login_required
def compare(request: HttpRequest, plan_id: UUID, other_id: UUID) -> HttpResponse:
    plan, other = access_plan(request.user, plan_id), access_plan(request.user, other_id)
    if plan.person_id != other.person_id:
        raise Http404
    old, new = sorted((plan, other), key=lambda p: p.version)
    context = {
        "person": plan.person,
        "old": old,
        "new": new,
        "changes": plan_changes.diff(old.document, new.document),
    }
    return render(request, "plans/compare.html", context)


@login_required
def pdf(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    from trellis.plans.pdf import render_pdf

    plan = access_plan(request.user, plan_id)
    language = request.GET.get("lang", _language())
    if language not in ("en", "es"):
        language = "en"
    response = HttpResponse(
        render_pdf(plan.document, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="plan-v{plan.version}.pdf"'
    return response
