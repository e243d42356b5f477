"""The person's own app: ten self-management tools, the timeline, the crisis page, reminders.

Every view finds the record through `own_person`, which audits the read or write; every write
goes through `actions` (one transaction with its audit entry). Pages are phone-first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.core import charts
from trellis.core import lifestyle as lifestyle_core
from trellis.core import recovery as timeline_core
from trellis.core.access import Role
from trellis.core.checkins import SUPPORT_CRAVING
from trellis.core.errors import InvalidInput
from trellis.core.insights import DAYS
from trellis.knowledge.content import localized
from trellis.knowledge.self_management import content
from trellis.monitoring import actions as monitoring
from trellis.recovery import actions, forms
from trellis.recovery.access import own_person, owned
from trellis.recovery.models import (
    CheckIn,
    Goal,
    JournalEntry,
    LifestyleLog,
    PracticeLog,
    RecoveryEvent,
    Reminder,
    SelfCareActivity,
    Worksheet,
)

person_only = role_required(Role.PERSON)


def _language() -> str:
    return (get_language() or "en")[:2]


def _labels(vocabulary: dict[str, dict[str, str]]) -> dict[str, str]:
    return {code: localized(text, _language()) for code, text in vocabulary.items()}


# ---------------------------------------------------------------- home


@person_only
def tools(request: HttpRequest) -> HttpResponse:
    """The person's home: today's check-in, the timeline, and a link to each tool by name."""
    person = own_person(request.user, what="Person")
    today = timezone.localdate()
    return render(
        request,
        "recovery/home.html",
        {
            "person": person,
            "today": today,
            "episode": person.current_episode(),
            "checked_in": CheckIn.objects.filter(person=person, day=today).first(),
            "timeline": actions.timeline(person, today),
            # Questionnaires due under the plan (the daily check-in has its own line above).
            "due": [
                d
                for d in monitoring.schedule(person, today=today)
                if d.instrument != "checkin" and d.due_on <= today
            ],
        },
    )


# ---------------------------------------------------------------- 2. self-awareness


@person_only
def checkin(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    person = own_person(request.user, what="CheckIn", write=request.method == "POST")
    existing = CheckIn.objects.filter(person=person, day=today).first()
    form = forms.CheckInForm(
        request.POST or None, initial={"date": today, "used": "no", "self_harm": "no"}
    )
    if request.method == "POST" and form.is_valid():
        assert form.checkin is not None
        try:
            row = actions.save_checkin(person, form.checkin, by=request.user)
        except InvalidInput as exc:
            forms.refuse(form, exc)
        else:
            if row.support_offered:
                return redirect("recovery:support", checkin_id=row.public_id)
            messages.success(request, _("Check-in saved. Thank you."))
            return redirect("recovery:checkins")
    status = 400 if form.is_bound else 200
    return render(
        request, "recovery/checkin.html", {"form": form, "existing": existing}, status=status
    )


@person_only
def checkin_edit(request: HttpRequest, checkin_id: UUID) -> HttpResponse:
    person = own_person(request.user, what="CheckIn", write=request.method == "POST")
    row = owned(CheckIn, person, checkin_id)
    initial = {
        "date": row.day,
        "craving": row.craving,
        "mood": row.mood,
        "sleep_hours": row.sleep_hours,
        "used": "yes" if row.used else "no",
        "self_harm": "yes" if row.self_harm else "no",
        "use_amount": row.use_amount,
        "triggers": row.triggers,
        "note": row.note,
    }
    for n, use in enumerate(row.coping, 1):
        initial[f"coping_{n}"], initial[f"helped_{n}"] = use["code"], use["helped"]
    form = forms.CheckInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert form.checkin is not None
        try:
            actions.update_checkin(row, form.checkin, by=request.user)
        except InvalidInput as exc:
            forms.refuse(form, exc)
        else:
            messages.success(request, _("Check-in updated."))
            return redirect("recovery:checkins")
    return render(
        request,
        "recovery/checkin.html",
        {"form": form, "editing": row},
        status=400 if form.is_bound else 200,
    )


@person_only
def support(request: HttpRequest, checkin_id: UUID) -> HttpResponse:
    """Just-in-time support after a hard check-in: the person's own best strategies and people."""
    person = own_person(request.user, what="CheckIn")
    row = owned(CheckIn, person, checkin_id)
    c = content()
    exercises = [e for e in c.exercises.values() if e.strategy == "coping"]
    plan = actions.relapse_plan(person)
    return render(
        request,
        "recovery/support.html",
        {
            "checkin": row,
            "helpful": [
                (t.key, _labels(c.coping)[t.key], t.mean)
                for t in actions.helpful_strategies(person)
            ],
            "exercises": exercises,
            "contacts": plan.contacts,
            "distractions": plan.distractions,
            "after_use": localized(c.after_use, _language()) if row.used else "",
            "after_use_source": c.after_use_source,
            "threshold": SUPPORT_CRAVING,
        },
    )


@person_only
def checkins(request: HttpRequest) -> HttpResponse:
    """The person's check-ins with trends of craving, mood and sleep as charts."""
    person = own_person(request.user, what="CheckIn")
    since = timezone.localdate() - timedelta(days=60)
    # What the page shows: the person's notes are not decrypted to be left out.
    shown = ("public_id", "day", "craving", "mood", "sleep_hours", "used")
    rows = list(CheckIn.objects.filter(person=person).only(*shown))
    recent = [r for r in rows if r.day >= since]
    labels = _labels(content().triggers)
    return render(
        request,
        "recovery/checkins.html",
        {"checkins": rows, "charts": trend_charts(recent), "trigger_labels": labels},
    )


def trend_charts(rows: list[CheckIn]) -> list[dict[str, Any]]:
    def chart(title: str, value: Any, high: float, ticks: list[float]) -> dict[str, Any]:
        points = [charts.Point(r.day, float(value(r))) for r in rows]
        return {
            "title": title,
            "svg": charts.line_chart(points, title=title, low=0, high=high, ticks=ticks),
            "rows": [(p.day, value_text(p.value)) for p in sorted(points, key=lambda p: p.day)],
        }

    return [
        chart(_("Craving (0-10)"), lambda r: r.craving, 10, [0, 5, 10]),
        chart(_("Mood (0-10)"), lambda r: r.mood, 10, [0, 5, 10]),
        chart(_("Sleep (hours)"), lambda r: r.sleep_hours, 12, [0, 4, 8, 12]),
    ]


def value_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


@person_only
def journal(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="JournalEntry", write=request.method == "POST")
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    form = forms.JournalForm(request.POST or None, initial={"at": now})
    if request.method == "POST" and form.is_valid():
        assert form.entry is not None
        actions.save_journal(
            person, form.entry, by=request.user, shared=form.cleaned_data["shared"]
        )
        messages.success(request, _("Journal entry saved."))
        return redirect("recovery:journal")
    c = content()
    return render(
        request,
        "recovery/journal.html",
        {
            "form": form,
            "entries": JournalEntry.objects.filter(person=person)[:50],
            "trigger_labels": _labels(c.triggers),
            "coping_labels": _labels(c.coping),
        },
        status=400 if form.is_bound else 200,
    )


@person_only
def insights(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="CheckIn")
    c = content()
    times = {
        "night": _("Night (0:00-5:59)"),
        "morning": _("Morning (6:00-11:59)"),
        "afternoon": _("Afternoon (12:00-17:59)"),
        "evening": _("Evening (18:00-23:59)"),
    }
    days = dict(
        zip(
            DAYS,
            [
                _("Monday"),
                _("Tuesday"),
                _("Wednesday"),
                _("Thursday"),
                _("Friday"),
                _("Saturday"),
                _("Sunday"),
            ],
            strict=True,
        )
    )
    return render(
        request,
        "recovery/insights.html",
        {
            "insights": actions.person_insights(person),
            "trigger_labels": _labels(c.triggers),
            "coping_labels": _labels(c.coping),
            "times": times,
            "days": days,
        },
    )


# ---------------------------------------------------------------- 1. goals


@person_only
def goals(request: HttpRequest) -> HttpResponse:
    from trellis.plans.models import Plan

    person = own_person(request.user, what="Goal", write=request.method == "POST")
    form = forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert form.goal is not None
        actions.save_goal(
            person,
            form.goal,
            by=request.user,
            plan_goal_id=request.POST.get("plan_goal_id", "")[:40],
        )
        messages.success(request, _("Goal saved."))
        return redirect("recovery:goals")
    plan = Plan.objects.filter(person=person).order_by("-version").first()
    mine = Goal.objects.filter(person=person, parent__isnull=True).prefetch_related(
        "milestones", "progress"
    )
    tracked = {g.plan_goal_id for g in mine if g.plan_goal_id}
    plan_goals = [
        g for g in (plan.document.get("goals", []) if plan else []) if g["id"] not in tracked
    ]
    adopt = request.GET.get("adopt", "")
    if not form.is_bound and adopt:
        chosen = next((g for g in plan_goals if g["id"] == adopt), None)
        if chosen:
            form = forms.GoalForm(
                initial={
                    "statement": chosen["statement"],
                    "measure": chosen["measure"],
                    "target": chosen["target"],
                    "due": chosen["due"],
                }
            )
    return render(
        request,
        "recovery/goals.html",
        {
            "form": form,
            "goals": mine,
            "plan_goals": plan_goals,
            "adopt": adopt if not form.is_bound else request.POST.get("plan_goal_id", ""),
        },
        status=400 if form.is_bound else 200,
    )


@person_only
def goal_detail(request: HttpRequest, goal_id: UUID) -> HttpResponse:
    person = own_person(request.user, what="Goal", write=request.method == "POST")
    goal = owned(Goal, person, goal_id)
    progress_form = forms.ProgressForm(
        request.POST if request.POST.get("form") == "progress" else None,
        initial={
            "status": goal.status,
            "percent": goal.progress.first().percent if goal.progress.exists() else 0,
        },
    )
    milestone_form = forms.GoalForm(
        request.POST if request.POST.get("form") == "milestone" else None,
        parent_due=goal.due,
        prefix="m",
    )
    if request.method == "POST":
        if progress_form.is_bound and progress_form.is_valid():
            d = progress_form.cleaned_data
            actions.record_progress(
                goal,
                on=timezone.localdate(),
                percent=d["percent"],
                note=d["note"],
                status=d["status"],
                by=request.user,
            )
            messages.success(request, _("Progress saved."))
            return redirect("recovery:goal", goal_id=goal.public_id)
        if milestone_form.is_bound and milestone_form.is_valid():
            assert milestone_form.goal is not None
            if goal.parent_id is not None:
                raise Http404
            actions.save_goal(person, milestone_form.goal, by=request.user, parent=goal)
            messages.success(request, _("Milestone added."))
            return redirect("recovery:goal", goal_id=goal.public_id)
    return render(
        request,
        "recovery/goal.html",
        {"goal": goal, "progress_form": progress_form, "milestone_form": milestone_form},
        status=400 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------- 3. coping, 10. mindfulness, 9. compassion


@person_only
def coping(request: HttpRequest) -> HttpResponse:
    """The toolbox: guided exercises and the personal distraction list. Works offline."""
    person = own_person(request.user, what="RelapsePreventionPlan", write=request.method == "POST")
    plan = actions.relapse_plan(person)
    form = forms.DistractionsForm(request.POST or None, initial={"distractions": plan.distractions})
    if request.method == "POST" and form.is_valid():
        actions.save_relapse_plan(
            person, {"distractions": form.cleaned_data["distractions"]}, by=request.user
        )
        messages.success(request, _("Distraction list saved."))
        return redirect("recovery:coping")
    return render(
        request,
        "recovery/coping.html",
        {
            "exercises": content().by_strategy("coping"),
            "form": form,
            "distractions": plan.distractions,
            "language": _language(),
        },
        status=400 if form.is_bound else 200,
    )


def _practice_page(
    request: HttpRequest, strategy: str, template: str, extra: dict[str, Any], status: int = 200
) -> HttpResponse:
    person = own_person(request.user, what="PracticeLog")
    exercises = content().by_strategy(strategy)
    logs = PracticeLog.objects.filter(person=person, exercise__in=[e.id for e in exercises])[:30]
    titles = {e.id: localized(e.title, _language()) for e in exercises}
    return render(
        request,
        template,
        {"exercises": exercises, "logs": logs, "titles": titles, "language": _language(), **extra},
        status=status,
    )


@person_only
def mindfulness(request: HttpRequest) -> HttpResponse:
    return _practice_page(request, "mindfulness", "recovery/mindfulness.html", {})


@person_only
def exercise(request: HttpRequest, exercise_id: str) -> HttpResponse:
    """Run one guided exercise with its timer; afterwards the person may log it."""
    found = content().exercises.get(exercise_id)
    if found is None:
        raise Http404
    person = own_person(request.user, what="PracticeLog", write=request.method == "POST")
    form = forms.PracticeForm(request.POST or None, initial={"minutes": found.minutes})
    if request.method == "POST" and form.is_valid():
        actions.log_practice(
            person,
            found.id,
            minutes=form.cleaned_data["minutes"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, _("Practice logged. Well done."))
        back = {
            "coping": "recovery:coping",
            "mindfulness": "recovery:mindfulness",
            "compassion": "recovery:compassion",
        }
        return redirect(back[found.strategy])
    language = _language()
    return render(
        request,
        "recovery/exercise.html",
        {
            "exercise": found,
            "title": localized(found.title, language),
            "summary": localized(found.summary, language),
            "steps": [(localized(s.text, language), s.seconds) for s in found.steps],
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@person_only
def compassion(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="Worksheet", write=request.method == "POST")
    form = forms.LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.save_worksheet(
            person, "letter", {"letter": form.cleaned_data["letter"]}, by=request.user
        )
        messages.success(request, _("Letter saved. Come back to read it when you need it."))
        return redirect("recovery:compassion")
    letters = Worksheet.objects.filter(person=person, kind="letter")
    return _practice_page(
        request,
        "compassion",
        "recovery/compassion.html",
        {"form": form, "letters": letters},
        status=400 if form.is_bound else 200,
    )


# ---------------------------------------------------------------- 4. relapse prevention


@person_only
def relapse_prevention(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="RelapsePreventionPlan", write=request.method == "POST")
    plan = actions.relapse_plan(person)
    form = forms.RelapsePlanForm(
        request.POST or None, initial=forms.RelapsePlanForm.initial_from(plan)
    )
    if request.method == "POST" and form.is_valid():
        actions.save_relapse_plan(person, form.document(), by=request.user)
        messages.success(request, _("Relapse-prevention plan saved."))
        return redirect("recovery:relapse_prevention")
    return render(
        request,
        "recovery/relapse_prevention.html",
        {"form": form, "plan": plan},
        status=400 if form.is_bound else 200,
    )


@person_only
def wallet_card(request: HttpRequest) -> HttpResponse:
    from trellis.recovery.card import render_card

    person = own_person(request.user, what="RelapsePreventionPlan")
    language = request.GET.get("lang", _language())
    language = language if language in ("en", "es") else "en"
    response = HttpResponse(
        render_card(actions.relapse_plan(person), language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="wallet-card.pdf"'
    return response


# ---------------------------------------------------------------- 5. healthy lifestyle


@person_only
def lifestyle(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="LifestyleLog", write=request.method == "POST")
    today = timezone.localdate()
    kind = request.POST.get("kind") if request.method == "POST" else None
    classes = {
        "sleep": forms.SleepForm,
        "exercise": forms.ExerciseForm,
        "nutrition": forms.NutritionForm,
    }
    bound = {
        k: cls(request.POST if kind == k else None, initial={"on": today}, prefix=k)
        for k, cls in classes.items()
    }
    if kind in bound:
        form = bound[kind]
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.log_lifestyle(
                    person,
                    kind,
                    on=d["on"],
                    amount=d["amount"],
                    meals=d.get("meals"),
                    detail=d.get("detail", ""),
                    by=request.user,
                )
            except InvalidInput as exc:
                forms.refuse(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("recovery:lifestyle")
    logs = LifestyleLog.objects.filter(person=person)
    weeks = lifestyle_core.weekly(lifestyle_core.Log(x.kind, x.on, x.amount, x.meals) for x in logs)
    return render(
        request,
        "recovery/lifestyle.html",
        {
            "forms": bound,
            "weeks": weeks[:8],
            "logs": logs[:30],
            "guideline": lifestyle_core.EXERCISE_GUIDELINE_MINUTES,
        },
        status=400 if kind else 200,
    )


# ---------------------------------------------------------------- 6. self-care


@person_only
def self_care(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="SelfCareActivity", write=request.method == "POST")
    today = timezone.localdate()
    form = forms.SelfCareForm(
        request.POST or None, initial={"planned_for": today, "kind": "enjoyable"}
    )
    if request.method == "POST" and form.is_valid():
        actions.plan_self_care(person, **form.cleaned_data, by=request.user)
        messages.success(request, _("Added to your plan."))
        return redirect("recovery:self_care")
    activities = SelfCareActivity.objects.filter(
        person=person, planned_for__gte=today - timedelta(days=28)
    )
    past = [a for a in activities if a.planned_for <= today]
    done = [a for a in past if a.happened is not None]
    return render(
        request,
        "recovery/self_care.html",
        {
            "form": form,
            "upcoming": [a for a in activities if a.planned_for > today],
            "past": past,
            "today": today,
            "done_count": sum(1 for a in done if a.happened),
            "answered": len(done),
        },
        status=400 if form.is_bound else 200,
    )


@person_only
@require_POST
def self_care_mark(request: HttpRequest, activity_id: UUID) -> HttpResponse:
    person = own_person(request.user, what="SelfCareActivity", write=True)
    activity = owned(SelfCareActivity, person, activity_id)
    answer = request.POST.get("happened")
    try:
        if answer not in ("yes", "no"):
            raise InvalidInput("happened", "yes or no")
        actions.mark_self_care(activity, happened=answer == "yes", by=request.user)
    except InvalidInput:
        messages.error(request, _("Say whether it happened once its day has come."))
    return redirect("recovery:self_care")


# ---------------------------------------------------------------- 7. assertive communication, 8. problem solving


@person_only
def assertive(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="Worksheet", write=request.method == "POST")
    form = forms.AssertiveForm(request.POST or None, initial={"kind": "say_no"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        document = {k: d[k] for k in ("kind", "title", "describe", "express", "reinforce")}
        document["assert"] = d["assert_"]
        actions.save_worksheet(person, "assertive", document, by=request.user)
        messages.success(request, _("Script saved."))
        return redirect("recovery:assertive")
    return render(
        request,
        "recovery/assertive.html",
        {"form": form, "scripts": Worksheet.objects.filter(person=person, kind="assertive")},
        status=400 if form.is_bound else 200,
    )


@person_only
def problems(request: HttpRequest, worksheet_id: UUID | None = None) -> HttpResponse:
    person = own_person(request.user, what="Worksheet", write=request.method == "POST")
    sheet = owned(Worksheet, person, worksheet_id) if worksheet_id else None
    if sheet is not None and sheet.kind != "problem":
        raise Http404
    initial = forms.ProblemForm.initial_from(sheet.document) if sheet else {}
    form = forms.ProblemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sheet = actions.save_worksheet(
            person, "problem", form.document(), by=request.user, sheet=sheet
        )
        messages.success(request, _("Worksheet saved."))
        return redirect("recovery:problem", worksheet_id=sheet.public_id)
    return render(
        request,
        "recovery/problems.html",
        {
            "form": form,
            "sheet": sheet,
            "sheets": Worksheet.objects.filter(person=person, kind="problem"),
        },
        status=400 if form.is_bound else 200,
    )


# ---------------------------------------------------------------- timeline, crisis, reminders


@person_only
def timeline(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user, what="RecoveryEvent", write=request.method == "POST")
    today = timezone.localdate()
    which = request.POST.get("form")
    start_form = forms.EventForm(
        request.POST if which == "start" else None, initial={"on": today}, prefix="start"
    )
    return_form = forms.ReturnForm(
        request.POST if which == "return" else None, initial={"on": today}, prefix="return"
    )
    form = {"start": start_form, "return": return_form}.get(which or "")
    if form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            if which == "start":
                actions.record_event(
                    person, timeline_core.START, d["on"], by=request.user, note=d["note"]
                )
            else:
                actions.record_return(
                    person, d["on"], restart=d.get("restart"), note=d["note"], by=request.user
                )
        except InvalidInput as exc:
            forms.refuse(form, exc)
        else:
            if which == "return":
                messages.success(request, _("Recorded. Every day you counted before still counts."))
            else:
                messages.success(request, _("Your count has started."))
            return redirect("recovery:timeline")
    line = actions.timeline(person, today)
    return render(
        request,
        "recovery/timeline.html",
        {
            "timeline": line,
            "start_form": start_form,
            "return_form": return_form,
            "events": RecoveryEvent.objects.filter(person=person).order_by("-on", "-pk"),
            "milestone_dates": [
                (m, timeline_core.milestone_date(line.current.start, m)) for m in line.reached
            ]
            if line.current
            else [],
        },
        status=400 if form is not None else 200,
    )


@person_only
def crisis(request: HttpRequest) -> HttpResponse:
    """988 and the person's own people to call. Cached by the service worker for offline use."""
    person = own_person(request.user, what="RelapsePreventionPlan")
    plan = actions.relapse_plan(person)
    return render(
        request, "recovery/crisis.html", {"contacts": plan.contacts, "reasons": plan.reasons}
    )


@person_only
def reminders(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    person = own_person(request.user, what="Reminder", write=request.method == "POST")
    current = Reminder.objects.filter(person=person).first()
    initial = (
        {
            "enabled": current.enabled,
            "at": current.at,
            "time_zone": current.time_zone,
            "channel": current.channel,
            "phone": current.phone,
        }
        if current
        else {"enabled": False, "at": "19:00", "time_zone": settings.TIME_ZONE, "channel": "email"}
    )
    form = forms.ReminderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        by_email = form.cleaned_data["channel"] == "email"
        if form.cleaned_data["enabled"] and by_email and not request.user.email:
            form.add_error(
                "enabled",
                _("Add an e-mail address on your account page first: reminders come by e-mail."),
            )
        else:
            actions.save_reminder(person, **form.cleaned_data, by=request.user)
            messages.success(request, _("Reminder saved."))
            return redirect("recovery:reminders")
    return render(
        request,
        "recovery/reminders.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if form.is_bound else 200,
    )


# ---------------------------------------------------------------- offline app


def manifest(request: HttpRequest) -> HttpResponse:
    import json

    from django.templatetags.static import static

    body = {
        "name": "Trellis",
        "short_name": "Trellis",
        "start_url": reverse("recovery:home"),
        "scope": "/me/",
        "display": "standalone",
        "background_color": "#f6f8f7",
        "theme_color": "#1f5f4a",
        "icons": [
            {"src": static("trellis/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("trellis/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("trellis/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


def service_worker(request: HttpRequest) -> HttpResponse:
    import json

    from django.templatetags.static import static

    import trellis

    offline = [reverse("recovery:coping"), reverse("recovery:crisis")]
    offline += [reverse("recovery:exercise", args=[e.id]) for e in content().by_strategy("coping")]
    assets = [
        static("trellis/trellis.css"),
        static("trellis/exercise.js"),
        static("trellis/app.js"),
        static("trellis/icon.svg"),
    ]
    response = render(
        request,
        "recovery/sw.js",
        {
            "offline": json.dumps(offline),
            "assets": json.dumps(assets),
            "version": trellis.__version__,
        },
        content_type="application/javascript",
    )
    response["Cache-Control"] = "no-cache"
    return response


# ---------------------------------------------------------------- the care team's view


def self_management(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """What the care team sees: check-ins and their signals, and journal entries the person shared.

    Each read is audited through `access_person`; journal text stays hidden unless shared.
    """
    from trellis.people.access import access_person

    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.user.role == Role.PERSON:
        raise Http404
    person = access_person(request.user, person_id, what="CheckIn")
    rows = list(CheckIn.objects.filter(person=person)[:60])
    shared = list(JournalEntry.objects.filter(person=person, shared_with_care_team=True)[:30])
    if shared:
        audit.record(
            request.user,
            "read",
            object_type="JournalEntry",
            object_id=str(person.public_id),
            detail={"count": len(shared), "shared_by_person": True},
        )
    c = content()
    return render(
        request,
        "recovery/care_team.html",
        {
            "person": person,
            "checkins": rows,
            "signals": [r for r in rows if r.support_offered],
            "charts": trend_charts(
                [r for r in rows if r.day >= timezone.localdate() - timedelta(days=60)]
            ),
            "journal": shared,
            "trigger_labels": _labels(c.triggers),
            "coping_labels": _labels(c.coping),
        },
    )
