"""Training pages: the vignettes, answering one, the comparison with the engine's reference, and
the supervisor's agreement table with its CSV. Thin: the comparison and kappa are in core.training."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.core import spreadsheet
from trellis.core import training as core
from trellis.core.access import Role
from trellis.core.assessment import score_all
from trellis.core.errors import InvalidInput
from trellis.core.instruments import instrument
from trellis.core.intake import validate
from trellis.knowledge import version as kb_version
from trellis.knowledge.interventions import knowledge_base
from trellis.knowledge.vignettes import vignettes
from trellis.recovery.forms import refuse
from trellis.training import actions
from trellis.training.forms import AnswerForm, code_choices
from trellis.training.models import TrainingAnswer

TRAINEES = (Role.CLINICIAN, Role.SUPERVISOR)
SECTIONS = ("medical", "mental_health", "history", "readiness", "environment", "preferences")


def _language() -> str:
    return "es" if (get_language() or "en").startswith("es") else "en"


@role_required(*TRAINEES)
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


def _home(request: HttpRequest, *, form: Any = None, status: int = 200) -> HttpResponse:
    answers = list(TrainingAnswer.objects.filter(trainee=request.user))
    latest: dict[str, TrainingAnswer] = {}
    for answer in answers:  # newest first: the first seen is the latest
        latest.setdefault(answer.vignette_id, answer)
    language = _language()
    cases = [
        {"vignette": v, "title": v.title_in(language), "latest": latest.get(v.id)}
        for v in vignettes().values()
    ]
    context = {
        "cases": cases,
        "answers": answers,
        "agreement": actions.agreement_for(request.user),
        "form": form,
    }
    return render(request, "training/home.html", context, status=status)


def _vignette_or_404(vignette_id: str) -> core.Vignette:
    found = vignettes().get(vignette_id)
    if found is None:
        raise Http404
    return found


@role_required(*TRAINEES)
def vignette(request: HttpRequest, vignette_id: str) -> HttpResponse:
    case = _vignette_or_404(vignette_id)
    return _vignette_page(request, case, AnswerForm(initial={"vignette": case.id}))


def _vignette_page(
    request: HttpRequest, case: core.Vignette, form: AnswerForm, *, status: int = 200
) -> HttpResponse:
    language = _language()
    intake = case.intake
    context = {
        "case": case,
        "title": case.title_in(language),
        "narrative": case.narrative_in(language),
        "person": intake["person"],
        "substances": intake.get("substances") or [],
        "scores": _scores(intake),
        "sections": _sections(intake),
        "form": form,
        "code_groups": _grouped(form),
    }
    return render(request, "training/vignette.html", context, status=status)


def _grouped(form: AnswerForm) -> list[tuple[Any, list[Any]]]:
    """The code checkboxes under their category's heading, as the knowledge base orders them."""
    bound = {w.data["value"]: w for w in form["codes"].subwidgets}
    return [(label, [bound[code] for code, _name in items]) for label, items in code_choices()]


def _scores(intake: Any) -> list[dict[str, Any]]:
    return [
        {"name": instrument(i).name, "total": s.total, "band": s.band, "flags": s.flags}
        for i, s in score_all(validate(intake)).items()
    ]


def _sections(intake: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The intake's other sections as label/value pairs, in the schema's words."""
    out = []
    for name in SECTIONS:
        rows = [(k.replace("_", " "), _text(v)) for k, v in (intake.get(name) or {}).items()]
        if rows:
            out.append((name.replace("_", " "), rows))
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_text(v)}" for k, v in value.items())
    return str(value).replace("_", " ")


@role_required(*TRAINEES)
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = actions.record_answer(
                request.user,
                vignette_id=form.cleaned_data["vignette"],
                level=form.cleaned_data["level"],
                codes=form.cleaned_data["codes"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as refused:
            refuse(form, refused)
        else:
            return redirect("training:answer", answer_id=answer.public_id)
    case = vignettes().get(request.POST.get("vignette", ""))
    if case is None:  # no case to show the form again with: the list, with the error
        return _home(request, form=form, status=400)
    return _vignette_page(request, case, form, status=400)


@role_required(*TRAINEES)
def answer(request: HttpRequest, answer_id: UUID) -> HttpResponse:
    """The trainee's own answer beside the reference (another trainee's answer is a 404)."""
    found = TrainingAnswer.objects.filter(public_id=answer_id, trainee=request.user).first()
    if found is None:
        raise Http404
    case = vignettes().get(found.vignette_id)
    reasons = found.reference_reasons
    comparison = found.comparison()
    names = {e.code: e.name for e in knowledge_base().entries} | (reasons.get("names") or {})
    current = kb_version()
    context = {
        "answer": found,
        "title": case.title_in(_language()) if case else found.vignette_id,
        "case": case,
        "comparison": comparison,
        "reasons": reasons,
        "both": [(c, names.get(c, c), reasons["because"].get(c, [])) for c in comparison.both],
        "missed": [(c, names.get(c, c), reasons["because"].get(c, [])) for c in comparison.missed],
        "extra": [(c, names.get(c, c), reasons["ruled_out"].get(c, [])) for c in comparison.extra],
        "current_kb": current,
        "now": actions.reference(case) if case and current != found.kb_version else None,
    }
    return render(request, "training/answer.html", context)


@role_required(Role.SUPERVISOR)
def agreement(request: HttpRequest) -> HttpResponse:
    rows = actions.agreement_table(request.user)
    return render(request, "training/agreement.html", {"rows": rows})


@role_required(Role.SUPERVISOR)
def agreement_csv(request: HttpRequest) -> HttpResponse:
    rows = actions.agreement_table(request.user)
    response = HttpResponse(_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-agreement.csv"'
    return response


def _csv(rows: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["trainee", "n", "observed_agreement", "kappa", "kappa_status", "plan_jaccard"])
    for row in rows:
        a = row.agreement
        writer.writerow(
            spreadsheet.row(
                [
                    row.trainee.username,
                    a.n,
                    _figure(a.observed),
                    _figure(a.kappa),
                    a.kappa_status.value,
                    _figure(a.plan_agreement),
                ]
            )
        )
    return out.getvalue()


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"
