"""Each remaining tool saves what the person enters; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import sign_in


@pytest.fixture
def signed_in(client, pat):
    sign_in(client, pat)
    return client


def test_smart_goal_refused_until_complete_then_saved_with_progress_and_milestone(signed_in, pat):
    from trellis.recovery.models import Goal

    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = signed_in.post(
        "/me/goals/", {"statement": "Walk to the park", "measure": "walks", "due": due}
    )
    assert response.status_code == 400
    for field in ("target", "confidence", "reason"):
        assert f'id="id_{field}_error"' in response.text
    assert not Goal.objects.exists()

    signed_in.post(
        "/me/goals/",
        {
            "statement": "Walk to the park",
            "measure": "walks",
            "target": "4 a week",
            "confidence": "7",
            "reason": "calmer",
            "due": due,
        },
    )
    goal = Goal.objects.get(person=pat.person)
    signed_in.post(
        f"/me/goals/{goal.public_id}/",
        {"form": "progress", "percent": "40", "note": "", "status": "active"},
    )
    late = (timezone.localdate() + timedelta(days=90)).isoformat()
    refused = signed_in.post(
        f"/me/goals/{goal.public_id}/",
        {
            "form": "milestone",
            "m-statement": "Walk twice",
            "m-measure": "walks",
            "m-target": "2",
            "m-confidence": "8",
            "m-reason": "start",
            "m-due": late,
        },
    )
    assert 'id="id_m-due_error"' in refused.text
    soon = (timezone.localdate() + timedelta(days=7)).isoformat()
    signed_in.post(
        f"/me/goals/{goal.public_id}/",
        {
            "form": "milestone",
            "m-statement": "Walk twice",
            "m-measure": "walks",
            "m-target": "2",
            "m-confidence": "8",
            "m-reason": "start",
            "m-due": soon,
        },
    )

    assert goal.progress.get().percent == 40
    assert [m.statement for m in goal.milestones.all()] == ["Walk twice"]
    page = signed_in.get("/me/goals/").text
    assert 'value="40"' in page


def test_a_plan_goal_can_be_tracked(signed_in, pat, plan):
    from trellis.recovery.models import Goal

    plan_goal = plan.document["goals"][0]
    page = signed_in.get(f"/me/goals/?adopt={plan_goal['id']}").text
    assert plan_goal["statement"] in page

    signed_in.post(
        "/me/goals/",
        {
            "plan_goal_id": plan_goal["id"],
            "statement": plan_goal["statement"],
            "measure": plan_goal["measure"],
            "target": plan_goal["target"],
            "confidence": "6",
            "reason": "my kids",
            "due": plan_goal["due"],
        },
    )

    assert Goal.objects.get(person=pat.person).plan_goal_id == plan_goal["id"]


def test_relapse_prevention_plan_and_wallet_card(signed_in, pat):
    from trellis.recovery.models import RelapsePreventionPlan

    bad = signed_in.post(
        "/me/relapse-prevention/", {"situation_1": "Friday payday", "contact_name_1": "Alex"}
    )
    assert 'id="id_response_1_error"' in bad.text
    assert 'id="id_contact_phone_1_error"' in bad.text
    assert not RelapsePreventionPlan.objects.exists()

    signed_in.post(
        "/me/relapse-prevention/",
        {
            "warning_signs": "Skipping meals\nIsolating",
            "situation_1": "Friday payday",
            "response_1": "Go to the evening meeting",
            "contact_name_1": "Alex",
            "contact_phone_1": "555-0100",
            "reasons": "My daughter",
        },
    )
    plan = RelapsePreventionPlan.objects.get(person=pat.person)
    assert plan.warning_signs == ["Skipping meals", "Isolating"]
    assert plan.situations == [
        {"situation": "Friday payday", "response": "Go to the evening meeting"}
    ]

    card = signed_in.get("/me/relapse-prevention/wallet-card.pdf?lang=es")
    assert card["Content-Type"] == "application/pdf"
    assert card.content.startswith(b"%PDF")
    crisis = signed_in.get("/me/crisis/").text
    assert 'href="tel:555-0100"' in crisis
    assert 'href="tel:988"' in crisis


def test_lifestyle_logs_and_weekly_summary(signed_in, pat):
    from trellis.recovery.models import LifestyleLog

    today = timezone.localdate().isoformat()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = signed_in.post(
        "/me/lifestyle/", {"kind": "sleep", "sleep-on": today, "sleep-amount": "-2"}
    )
    assert 'id="id_sleep-amount_error"' in bad.text
    bad = signed_in.post(
        "/me/lifestyle/", {"kind": "exercise", "exercise-on": future, "exercise-amount": "30"}
    )
    assert 'id="id_exercise-on_error"' in bad.text
    assert not LifestyleLog.objects.exists()

    signed_in.post(
        "/me/lifestyle/",
        {
            "kind": "exercise",
            "exercise-on": today,
            "exercise-amount": "45",
            "exercise-detail": "walk",
        },
    )
    signed_in.post(
        "/me/lifestyle/",
        {
            "kind": "nutrition",
            "nutrition-on": today,
            "nutrition-meals": "3",
            "nutrition-amount": "4",
        },
    )
    page = signed_in.get("/me/lifestyle/").text

    assert LifestyleLog.objects.filter(person=pat.person).count() == 2
    assert "<td>45.0</td>" in page or "<td>45</td>" in page


def test_self_care_planned_and_marked(signed_in, pat):
    from trellis.recovery.models import SelfCareActivity

    signed_in.post(
        "/me/self-care/",
        {
            "title": "Call my brother",
            "kind": "meaningful",
            "planned_for": timezone.localdate().isoformat(),
        },
    )
    activity = SelfCareActivity.objects.get(person=pat.person)
    signed_in.post(f"/me/self-care/{activity.public_id}/", {"happened": "yes"})

    activity.refresh_from_db()
    assert activity.happened is True
    assert (
        "Of 1 planned activity in the last four weeks, 1 happened."
        in signed_in.get("/me/self-care/").text
    )


def test_assertive_script_problem_worksheet_and_letter(signed_in, pat):
    from trellis.recovery.models import Worksheet

    signed_in.post(
        "/me/assertive/",
        {
            "kind": "say_no",
            "title": "Party",
            "describe": "You offered me a drink.",
            "express": "I feel pressured.",
            "assert_": "No thanks, I'm not drinking.",
            "reinforce": "I'll enjoy the evening more.",
        },
    )
    assert "No thanks, I&#x27;m not drinking." in signed_in.get("/me/assertive/").text

    refused = signed_in.post(
        "/me/problem-solving/",
        {"problem": "Rent is late", "chosen": "2", "option_1": "Ask for more time"},
    )
    assert 'id="id_chosen_error"' in refused.text
    signed_in.post(
        "/me/problem-solving/",
        {
            "problem": "Rent is late",
            "option_1": "Ask for more time",
            "pros_1": "keeps home",
            "rating_1": "8",
            "option_2": "Borrow",
            "cons_2": "debt",
            "rating_2": "3",
            "chosen": "1",
            "steps": "Call landlord Monday",
        },
    )
    sheet = Worksheet.objects.get(person=pat.person, kind="problem")
    signed_in.post(
        f"/me/problem-solving/{sheet.public_id}/",
        {
            "problem": "Rent is late",
            "option_1": "Ask for more time",
            "chosen": "1",
            "steps": "Call landlord Monday",
            "outcome": "Got two weeks",
        },
    )
    sheet.refresh_from_db()
    assert sheet.document["outcome"] == "Got two weeks"
    assert sheet.document["chosen"] == 1

    signed_in.post("/me/self-compassion/", {"letter": "Dear me, you are doing your best."})
    assert "Dear me, you are doing your best." in signed_in.get("/me/self-compassion/").text


def test_practice_is_logged_after_an_exercise(signed_in, pat):
    from trellis.recovery.models import PracticeLog

    assert signed_in.get("/me/exercises/no-such-exercise/").status_code == 404
    signed_in.post("/me/exercises/body-scan/", {"minutes": "8", "note": "calmer"})

    log = PracticeLog.objects.get(person=pat.person)
    assert (log.exercise, log.minutes) == ("body-scan", 8)
    assert "Body scan" in signed_in.get("/me/mindfulness/").text.split("My practice log")[1]


def test_timeline_records_a_return_without_erasing_the_past(signed_in, pat):
    from trellis.recovery.models import RecoveryEvent

    def ago(days: int) -> str:
        return (timezone.localdate() - timedelta(days=days)).isoformat()

    signed_in.post("/me/timeline/", {"form": "start", "start-on": ago(40)})
    assert "<strong>40</strong>" in signed_in.get("/me/timeline/").text

    refused = signed_in.post("/me/timeline/", {"form": "return", "return-on": ago(50)})
    assert 'id="id_return-on_error"' in refused.text
    signed_in.post(
        "/me/timeline/", {"form": "return", "return-on": ago(10), "return-restart": ago(9)}
    )

    page = signed_in.get("/me/timeline/").text
    assert "<strong>9</strong>" in page
    assert "In all, 39 days in recovery" in page  # 30 days counted before, 9 since
    assert list(RecoveryEvent.objects.values_list("kind", flat=True)) == [
        "start",
        "return",
        "start",
    ]


def test_reminder_needs_an_email_then_is_saved(signed_in, pat):
    from trellis.recovery.models import Reminder

    refused = signed_in.post(
        "/me/reminders/", {"enabled": "on", "at": "19:30", "time_zone": "America/Chicago"}
    )
    assert 'id="id_enabled_error"' in refused.text
    pat.user.email = "pat@example.org"
    pat.user.save()
    signed_in.post(
        "/me/reminders/", {"enabled": "on", "at": "19:30", "time_zone": "America/Chicago"}
    )

    reminder = Reminder.objects.get(person=pat.person)
    assert (reminder.enabled, reminder.at.isoformat(), reminder.time_zone) == (
        True,
        "19:30:00",
        "America/Chicago",
    )


def _later() -> str:
    return (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("url", "form", "field", "model"),
    [
        ("/me/journal/", {"at": "2026-11-20T10:00", "craving": "5"}, "text", "JournalEntry"),
        ("/me/journal/", {"at": "later", "craving": "5", "text": "x"}, "at", "JournalEntry"),
        (
            "/me/journal/",
            {"at": "2026-11-20T10:00", "craving": "12", "text": "x"},
            "craving",
            "JournalEntry",
        ),
        (
            "/me/self-care/",
            {"title": "", "kind": "enjoyable", "planned_for": "2026-11-20"},
            "title",
            "SelfCareActivity",
        ),
        (
            "/me/assertive/",
            {"kind": "ask", "title": "t", "describe": "d", "express": "e", "reinforce": "r"},
            "assert_",
            "Worksheet",
        ),
        ("/me/self-compassion/", {"letter": ""}, "letter", "Worksheet"),
        ("/me/exercises/body-scan/", {"minutes": "0"}, "minutes", "PracticeLog"),
        ("/me/reminders/", {"at": "19:00", "time_zone": "Mars/Olympus"}, "time_zone", "Reminder"),
        ("/me/reminders/", {"at": "25:00", "time_zone": "America/Chicago"}, "at", "Reminder"),
        (
            "/me/goals/",
            {
                "statement": "Walk daily now",
                "measure": "m",
                "target": "t",
                "confidence": "x",
                "reason": "r",
                "due": "2030-01-01",
            },
            "confidence",
            "Goal",
        ),
    ],
)
def test_bad_input_on_each_tool_is_named_next_to_its_field_and_nothing_is_stored(
    signed_in, url, form, field, model
):
    from django.apps import apps

    if form.get("at") == "later":
        form = {**form, "at": _later()}
    response = signed_in.post(url, form)

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    assert not apps.get_model("recovery", model).objects.exists()


def test_api_bad_journal_entry_names_the_field(signed_in, pat):
    import json

    from trellis.recovery.models import JournalEntry

    response = signed_in.post(
        f"/api/v1/people/{pat.public_id}/journal",
        json.dumps({"at": timezone.now().isoformat(), "craving": 11, "text": "x"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "craving"
    assert not JournalEntry.objects.exists()


def test_a_future_activity_cannot_be_marked_yet(signed_in, pat):
    from trellis.recovery.models import SelfCareActivity

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    signed_in.post(
        "/me/self-care/", {"title": "Swim", "kind": "enjoyable", "planned_for": tomorrow}
    )
    activity = SelfCareActivity.objects.get(person=pat.person)

    signed_in.post(f"/me/self-care/{activity.public_id}/", {"happened": "yes"})

    activity.refresh_from_db()
    assert activity.happened is None
