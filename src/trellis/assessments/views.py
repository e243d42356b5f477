"""Intake pages: sections saved as you go, the adaptive questionnaires, review and result."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.assessments import actions, questionnaires, sections
from trellis.assessments.access import access_intake
from trellis.assessments.forms import OverrideForm
from trellis.assessments.models import Intake, IntakeStatus
from trellis.core import intake as core_intake
from trellis.core.access import Role
from trellis.core.errors import InvalidInput
from trellis.people.access import access_person

CLINICAL = (Role.CLINICIAN, Role.SUPERVISOR)


@role_required(*CLINICAL)
def intake_list(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = access_person(request.user, person_id, write=request.method == "POST", what="Intake")
    if request.method == "POST":
        intake = person.intakes.current().filter(status=IntakeStatus.DRAFT).first()
        intake = intake or actions.start_intake(person, by=request.user)
        return redirect("assessments:section", intake_id=intake.public_id, section="person")
    intakes = person.intakes.current()
    return render(request, "assessments/list.html", {"person": person, "intakes": intakes})


@role_required(*CLINICAL)
def section(request: HttpRequest, intake_id: UUID, section: str) -> HttpResponse:
    if section not in sections.FORM_SECTIONS:
        raise Http404
    intake = access_intake(request.user, intake_id, write=request.method == "POST")
    if section == "substances":
        return _substances(request, intake)
    form_class = sections.form_class(section)
    form = form_class(request.POST or None, initial=sections.initial_for(section, intake.document))
    error = None
    if request.method == "POST" and form.is_valid():
        error = _save(
            intake,
            sections.merge(section, intake.document, form.cleaned_data),
            request.user,
            section,
        )
        if error is None:
            return redirect(_next(intake, section))
    bad = request.method == "POST"
    return _render_section(
        request, intake, section, {"form": form, "error": error}, status=400 if bad else 200
    )


def _substances(request: HttpRequest, intake: Intake) -> HttpResponse:
    rows = intake.document.get("substances") or []
    formset = sections.substance_formset(extra=1 if rows else 2)(
        request.POST or None, initial=rows, prefix="substances"
    )
    error = None
    if request.method == "POST" and formset.is_valid():
        kept = [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE" and v not in (None, "", [])}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        document = {k: v for k, v in intake.document.items() if k != "substances"} | (
            {"substances": kept} if kept else {}
        )
        error = _save(intake, document, request.user, "substances")
        if error is None:
            return redirect(_next(intake, "substances"))
    bad = request.method == "POST"
    return _render_section(
        request,
        intake,
        "substances",
        {"formset": formset, "error": error},
        status=400 if bad else 200,
    )


def _save(intake: Intake, document: dict[str, Any], user: Any, section: str) -> str | None:
    """Save through the audited action; return the core's refusal (naming the field), if any."""
    try:
        actions.save_document(intake, document, by=user, what=section)
    except InvalidInput as refused:
        return refused.message
    return None


def _next(intake: Intake, section: str) -> str:
    from django.urls import reverse

    index = sections.SECTION_IDS.index(section)
    if index + 1 >= len(sections.SECTION_IDS):
        return reverse("assessments:review", args=[intake.public_id])
    following = sections.SECTION_IDS[index + 1]
    if following == "instruments":
        return reverse("assessments:instruments", args=[intake.public_id])
    return reverse("assessments:section", args=[intake.public_id, following])


def _render_section(
    request: HttpRequest, intake: Intake, section: str, extra: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {
        "intake": intake,
        "person": intake.person,
        "section": section,
        "sections": sections.SECTIONS,
        "done": _done(intake),
        **extra,
    }
    return render(request, "assessments/section.html", context, status=status)


def _done(intake: Intake) -> set[str]:
    return {s for s in sections.SECTION_IDS if intake.document.get(s)}


@role_required(*CLINICAL)
def review(request: HttpRequest, intake_id: UUID) -> HttpResponse:
    intake = access_intake(request.user, intake_id, write=request.method == "POST")
    if intake.status == IntakeStatus.COMPLETED:
        return redirect("assessments:result", intake_id=intake.public_id)
    error = None
    if request.method == "POST":
        try:
            actions.complete_intake(intake, by=request.user)
            return redirect("assessments:result", intake_id=intake.public_id)
        except InvalidInput as refused:
            error = refused.message
    preview, missing = _preview(intake)
    context = {
        "intake": intake,
        "person": intake.person,
        "sections": sections.SECTIONS,
        "section": "review",
        "done": _done(intake),
        "preview": preview,
        "missing": missing,
        "error": error,
        "battery": questionnaires.battery_for(intake),
    }
    return render(request, "assessments/review.html", context, status=400 if error else 200)


def _preview(intake: Intake) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        checked = core_intake.validate(intake.document)
        return actions.make_plan(intake.document), list(checked.missing)
    except InvalidInput:
        return None, []


@role_required(*CLINICAL)
def result(request: HttpRequest, intake_id: UUID) -> HttpResponse:
    intake = access_intake(request.user, intake_id)
    if intake.status != IntakeStatus.COMPLETED:
        return redirect("assessments:review", intake_id=intake.public_id)
    form = OverrideForm(initial={"level": intake.level})
    return _render_result(request, intake, form)


def _render_result(
    request: HttpRequest, intake: Intake, form: OverrideForm, status: int = 200
) -> HttpResponse:
    context = {
        "intake": intake,
        "person": intake.person,
        "result": intake.result,
        "form": form,
        "overrides": intake.overrides.all(),
        "alerts": intake.person.alerts.open(),
    }
    return render(request, "assessments/result.html", context, status=status)


@role_required(*CLINICAL)
@require_POST
def override(request: HttpRequest, intake_id: UUID) -> HttpResponse:
    intake = access_intake(request.user, intake_id, write=True)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            actions.override_placement(
                intake,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            return redirect("assessments:result", intake_id=intake.public_id)
        except InvalidInput as refused:
            form.add_error("level" if refused.field == "level" else None, refused.message)
    return _render_result(request, intake, form, status=400)


@role_required(*CLINICAL)
def instruments(request: HttpRequest, intake_id: UUID) -> HttpResponse:
    """The adaptive battery: the next questionnaire to ask, and how many items were spared."""
    intake = access_intake(request.user, intake_id, write=request.method == "POST")
    upcoming = questionnaires.next_to_ask(intake) if intake.status == IntakeStatus.DRAFT else None
    form, error = None, None
    if upcoming is not None:
        store_as, definition, first, before, in_full = upcoming
        form = questionnaires.form_for(
            definition, first_item=first, data=request.POST or None, in_full=in_full
        )
        if request.method == "POST" and form.is_valid():
            answers = questionnaires.responses_from(
                definition, form, before=before, in_full=in_full
            )
            try:
                actions.save_responses(intake, store_as, answers, by=request.user)
                return redirect("assessments:instruments", intake_id=intake.public_id)
            except InvalidInput as refused:
                error = refused.message
    context = {
        "intake": intake,
        "person": intake.person,
        "sections": sections.SECTIONS,
        "section": "instruments",
        "done": _done(intake),
        "battery": questionnaires.battery_for(intake),
        "upcoming": upcoming,
        "form": form,
        "error": error,
    }
    return render(
        request,
        "assessments/instruments.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@role_required(*CLINICAL)
@require_POST
def request_full(request: HttpRequest, intake_id: UUID, instrument_id: str) -> HttpResponse:
    intake = access_intake(request.user, intake_id, write=True)
    if instrument_id not in {s.instrument for s in questionnaires.battery_for(intake).steps}:
        raise Http404
    actions.request_in_full(intake, instrument_id, by=request.user)
    return redirect("assessments:instruments", intake_id=intake.public_id)


@role_required(Role.PERSON)
def self_report_list(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    recent = {
        s.instrument: s for s in person.scores.filter(entered_in_error=False).order_by("created")
    }
    items = [(i, questionnaires.instrument(i), recent.get(i)) for i in questionnaires.SELF_REPORT]
    return render(request, "assessments/self_report_list.html", {"person": person, "items": items})


@role_required(Role.PERSON)
def self_report(request: HttpRequest, instrument_id: str) -> HttpResponse:
    if instrument_id not in questionnaires.SELF_REPORT:
        raise Http404
    person = _own_person(request, write=request.method == "POST")
    definition = questionnaires.instrument(instrument_id)
    form = questionnaires.form_for(definition, data=request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            stored = actions.record_score(
                person,
                instrument_id,
                questionnaires.responses_from(definition, form, before=[]),
                by=request.user,
                source="self_report",
            )
            return render(
                request,
                "assessments/self_report_done.html",
                {"person": person, "score": stored, "definition": definition},
            )
        except InvalidInput as refused:
            error = refused.message
    context = {"person": person, "definition": definition, "form": form, "error": error}
    return render(
        request,
        "assessments/self_report.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _own_person(request: HttpRequest, *, write: bool = False) -> Any:
    from trellis.people.models import Person

    own = Person.objects.filter(user=request.user).first()
    if own is None:
        raise Http404
    return access_person(request.user, own.public_id, write=write, what="Score")
