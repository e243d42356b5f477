"""The family member's own portal: learning, support groups, and tools about themselves.

Every view lets in the family role only (anyone else gets 404), audits the read of the
family member's own rows, and writes through `actions`. Pages are phone-first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.core import charts
from trellis.core import family_wellbeing as core
from trellis.core.errors import InvalidInput
from trellis.family import actions, forms
from trellis.family.access import family_only, owned, read_own
from trellis.family.models import (
    BoundaryWorksheet,
    CraftPractice,
    SelfCareActivity,
    WellbeingCheckIn,
)
from trellis.knowledge.family import content

REFERRAL_GROUPS = ("al-anon", "nar-anon", "smart-family-friends")


def _status(form: Any) -> int:
    return 400 if form.is_bound else 200


# ---------------------------------------------------------------- home and reading


@family_only
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "family/home.html")


@family_only
def learn(request: HttpRequest) -> HttpResponse:
    return render(request, "family/learn.html", {"topics": content().topics.values()})


@family_only
def topic(request: HttpRequest, topic_id: str) -> HttpResponse:
    found = content().topics.get(topic_id)
    if found is None:
        raise Http404
    return render(request, "family/topic.html", {"topic": found})


@family_only
def support_groups(request: HttpRequest) -> HttpResponse:
    c = content()
    return render(
        request, "family/support_groups.html", {"groups": c.groups, "note": c.groups_note}
    )


@family_only
def empathy(request: HttpRequest) -> HttpResponse:
    return render(request, "family/empathy.html", {"exercises": content().empathy})


# ---------------------------------------------------------------- boundaries


@family_only
def boundaries(request: HttpRequest, family_sheet_id: UUID | None = None) -> HttpResponse:
    """The worksheet (new, or one of the user's own to change) and the saved worksheets."""
    sheet = owned(BoundaryWorksheet, request.user, family_sheet_id) if family_sheet_id else None
    initial = {k: getattr(sheet, k) for k in actions.BOUNDARY_FIELDS} if sheet else None
    form = forms.BoundaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sheet = actions.save_boundary(request.user, form.cleaned_data, sheet=sheet)
        messages.success(request, _("Worksheet saved."))
        return redirect("family:boundary", family_sheet_id=sheet.public_id)
    read_own(request.user, "BoundaryWorksheet")
    sheets = BoundaryWorksheet.objects.filter(user=request.user)
    context = {"form": form, "sheet": sheet, "sheets": sheets}
    return render(request, "family/boundaries.html", context, status=_status(form))


# ---------------------------------------------------------------- CRAFT


@family_only
def craft(request: HttpRequest) -> HttpResponse:
    c = content().craft
    return render(request, "family/craft.html", {"modules": c.modules.values(), "craft": c})


@family_only
def craft_module(request: HttpRequest, module_id: str) -> HttpResponse:
    c = content().craft
    module = c.modules.get(module_id)
    if module is None:
        raise Http404
    form = forms.CraftPracticeForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_craft_practice(request.user, module.id, **form.cleaned_data)
        except InvalidInput as exc:
            forms.refuse(form, exc)
        else:
            messages.success(request, _("Practice logged."))
            return redirect("family:craft_module", module_id=module.id)
    read_own(request.user, "CraftPractice")
    logs = CraftPractice.objects.filter(user=request.user, module=module.id)[:50]
    context = {"module": module, "craft": c, "form": form, "logs": logs}
    return render(request, "family/craft_module.html", context, status=_status(form))


# ---------------------------------------------------------------- well-being


@family_only
def wellbeing(request: HttpRequest) -> HttpResponse:
    form = forms.WellbeingForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and form.result is not None:
        actions.record_wellbeing(request.user, form.result)
        messages.success(request, _("Check-in saved. Thank you for looking after yourself."))
        return redirect("family:wellbeing")
    read_own(request.user, "WellbeingCheckIn")
    rows = list(WellbeingCheckIn.objects.filter(user=request.user)[:52])
    wb = content().wellbeing
    latest = _as_score(rows[0]) if rows else None
    context = {
        "form": form,
        "wellbeing": wb,
        "rows": rows,
        "latest": latest,
        "refer": latest is not None and core.needs_referral(wb.rules, latest),
        "positive_at": wb.rules.positive_at,
        "groups": [g for g in content().groups if g.id in REFERRAL_GROUPS],
        "charts": _trend_charts(rows),
    }
    return render(request, "family/wellbeing.html", context, status=_status(form))


def _as_score(row: WellbeingCheckIn) -> core.WellbeingScore:
    """Score a stored check-in again from its answers, so the rule lives only in the core."""
    return core.score(content().wellbeing.rules, row.responses, row.stress)


def _trend_charts(rows: list[WellbeingCheckIn]) -> list[dict[str, Any]]:
    stress_high = content().wellbeing.rules.stress_high

    def chart(title: str, values: list[int], high: int, ticks: list[float]) -> dict[str, Any]:
        points = [charts.Point(r.on, v) for r, v in zip(rows, values, strict=True)]
        return {
            "title": title,
            "svg": charts.line_chart(points, title=title, low=0, high=high, ticks=ticks),
        }

    return [
        chart(_("PHQ-4 total (0-12)"), [r.total for r in rows], 12, [0, 3, 6, 9, 12]),
        chart(_("Stress (0-10)"), [r.stress for r in rows], stress_high, [0, 5, 10]),
    ]


# ---------------------------------------------------------------- self-care


@family_only
def self_care(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = forms.SelfCareForm(request.POST or None, initial={"planned_for": today})
    if request.method == "POST" and form.is_valid():
        actions.plan_self_care(request.user, **form.cleaned_data)
        messages.success(request, _("Added to your plan."))
        return redirect("family:self_care")
    read_own(request.user, "SelfCareActivity")
    activities = SelfCareActivity.objects.filter(
        user=request.user, planned_for__gte=today - timedelta(days=28)
    )
    past = [a for a in activities if a.planned_for <= today]
    context = {
        "form": form,
        "upcoming": [a for a in activities if a.planned_for > today],
        "past": past,
        "done_count": sum(1 for a in past if a.happened),
        "answered": sum(1 for a in past if a.happened is not None),
    }
    return render(request, "family/self_care.html", context, status=_status(form))


@family_only
@require_POST
def self_care_mark(request: HttpRequest, family_activity_id: UUID) -> HttpResponse:
    activity = owned(SelfCareActivity, request.user, family_activity_id)
    answer = request.POST.get("happened")
    try:
        if answer not in ("yes", "no"):
            raise InvalidInput("happened", "yes or no")
        actions.mark_self_care(activity, happened=answer == "yes", by=request.user)
    except InvalidInput:
        messages.error(request, _("Say whether it happened once its day has come."))
    return redirect("family:self_care")
