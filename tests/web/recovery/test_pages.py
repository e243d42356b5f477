"""The person's tools through the Django client: each page opens, each tool saves, bad input
is refused next to its field and changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.conftest import sign_in

PAGES = [
    "/me/",
    "/me/check-in/",
    "/me/check-ins/",
    "/me/journal/",
    "/me/insights/",
    "/me/goals/",
    "/me/coping/",
    "/me/exercises/paced-breathing/",
    "/me/exercises/leaves-on-a-stream/",
    "/me/relapse-prevention/",
    "/me/lifestyle/",
    "/me/self-care/",
    "/me/assertive/",
    "/me/problem-solving/",
    "/me/self-compassion/",
    "/me/mindfulness/",
    "/me/timeline/",
    "/me/crisis/",
    "/me/reminders/",
]


def checkin_form(**changes: object) -> dict[str, object]:
    form = {
        "date": timezone.localdate().isoformat(),
        "craving": "3",
        "mood": "6",
        "sleep_hours": "7.5",
        "used": "no",
        "self_harm": "no",
        "use_amount": "",
        "triggers": ["stress"],
        "coping_1": "paced-breathing",
        "helped_1": "7",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_of_the_person_app_opens_with_the_crisis_button(client, pat, url):
    sign_in(client, pat)

    response = client.get(url)

    assert response.status_code == 200
    assert 'class="crisis-button" href="/me/crisis/"' in response.text


def test_home_links_each_of_the_ten_strategies_by_name(client, pat):
    sign_in(client, pat)

    text = client.get("/me/").text

    for name in [
        "Goal setting",
        "Self-awareness",
        "Coping skills",
        "Relapse prevention",
        "Healthy lifestyle",
        "Self-care",
        "Assertive communication",
        "Problem solving",
        "Self-compassion",
        "Mindfulness and acceptance",
    ]:
        assert f">{name}</a>" in text


def test_a_checkin_is_saved_and_audited(client, pat):
    from trellis.audit.models import AuditEvent
    from trellis.recovery.models import CheckIn

    sign_in(client, pat)
    response = client.post("/me/check-in/", checkin_form())

    assert response.status_code == 302
    row = CheckIn.objects.get(person=pat.person)
    assert (row.craving, row.mood, str(row.sleep_hours), row.used) == (3, 6, "7.5", False)
    assert row.coping == [{"code": "paced-breathing", "helped": 7}]
    assert AuditEvent.objects.filter(action="create", object_type="CheckIn").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"craving": "11"}, "craving", "A whole number from 0 to 10."),
        ({"sleep_hours": "-1"}, "sleep_hours", "A number of hours from 0 to 24."),
        (
            {"date": (date.today() + timedelta(days=2)).isoformat()},
            "date",
            "not a date in the future",
        ),
        ({"mood": ""}, "mood", "This field is required."),
        ({"used": "yes", "use_amount": ""}, "use_amount", "how much was used"),
        ({"coping_1": "paced-breathing", "helped_1": ""}, "helped_1", "how much it helped"),
    ],
)
def test_bad_checkin_is_refused_next_to_its_field_and_nothing_is_stored(
    client, pat, changes, field, message
):
    from trellis.recovery.models import CheckIn

    sign_in(client, pat)
    response = client.post("/me/check-in/", checkin_form(**changes))

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    error = response.text.split(f'id="id_{field}_error"')[1].split("</p>")[0]
    assert message.lower() in error.lower()
    assert not CheckIn.objects.filter(person=pat.person).exists()


def test_a_second_checkin_for_the_same_day_is_refused_and_the_first_is_kept(client, pat):
    from trellis.recovery.models import CheckIn

    sign_in(client, pat)
    client.post("/me/check-in/", checkin_form(craving="2"))
    response = client.post("/me/check-in/", checkin_form(craving="9"))

    assert response.status_code == 400
    assert 'id="id_date_error"' in response.text
    assert list(CheckIn.objects.filter(person=pat.person).values_list("craving", flat=True)) == [2]


def test_high_craving_leads_to_support_with_own_strategies_and_people(client, pat):
    from trellis.recovery.models import CheckIn

    sign_in(client, pat)
    client.post(
        "/me/relapse-prevention/",
        {"contact_name_1": "Sam sponsor", "contact_phone_1": "555 0100", "reasons": "My kids"},
    )
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.post(
        "/me/check-in/", checkin_form(date=yesterday, coping_1="urge-surfing", helped_1="9")
    )

    response = client.post("/me/check-in/", checkin_form(craving="8"), follow=True)

    assert response.redirect_chain[-1][0].endswith("/support/")
    assert "Urge surfing" in response.text.split("What has helped you most")[1]
    assert 'href="tel:555 0100"' in response.text
    assert CheckIn.objects.get(person=pat.person, day=timezone.localdate()).support_offered


def test_reported_use_brings_a_gentle_message_not_shame(client, pat):
    sign_in(client, pat)

    response = client.post(
        "/me/check-in/", checkin_form(used="yes", use_amount="2 drinks"), follow=True
    )

    assert "Thank you for being honest" in response.text
    assert "does not erase the progress" in response.text
    for word in ("failure", "failed", "shame"):
        assert word not in response.text.lower()


def test_another_persons_checkin_is_missing(client, pat, quinn):
    from trellis.recovery.models import CheckIn

    row = CheckIn.objects.create(
        person=quinn.person, day=date(2026, 11, 1), craving=1, mood=5, sleep_hours=7, used=False
    )
    sign_in(client, pat)

    assert client.get(f"/me/check-ins/{row.public_id}/").status_code == 404
    assert client.get(f"/me/check-ins/{row.public_id}/support/").status_code == 404


def test_every_message_the_core_gives_is_translated_for_the_spanish_pages():
    from django.utils import translation

    from trellis.core import checkins, goals
    from trellis.recovery import actions
    from trellis.recovery.messages import CORE_MESSAGES

    today = date(2026, 11, 25)
    vocab = {"triggers": {"stress"}, "coping": {"exercise"}}
    produced = set()
    for bad in (
        {"date": "x", "craving": 11, "mood": None, "sleep_hours": -1, "used": "maybe"},
        {"date": "2026-12-01", "craving": 1, "mood": 1, "sleep_hours": 1, "used": True},
        {
            "date": "2026-11-01",
            "craving": 1,
            "mood": 1,
            "sleep_hours": 1,
            "used": False,
            "use_amount": "1",
            "note": "x" * 5000,
        },
    ):
        produced |= set(checkins.check_checkin(bad, today=today, **vocab)[1].by_field.values())
    for bad in ({"at": None, "craving": 1}, {"at": datetime(2027, 1, 1), "craving": 1}):
        produced |= set(
            checkins.check_journal(bad, now=datetime(2026, 11, 25), **vocab)[1].by_field.values()
        )
    produced |= set(goals.check_goal({}, today=today)[1].by_field.values())
    produced |= set(goals.check_goal({"due": "2026-01-01"}, today=today)[1].by_field.values())
    produced.add(actions.ALREADY)

    assert produced <= set(CORE_MESSAGES)
    with translation.override("es"):
        untranslated = [m for m in CORE_MESSAGES if translation.gettext(m) == m]
    assert untranslated == []


def test_the_checkin_page_speaks_spanish(client, pat):
    sign_in(client, pat)
    client.cookies["django_language"] = "es"

    response = client.post("/me/check-in/", checkin_form(craving="11"), HTTP_ACCEPT_LANGUAGE="es")

    assert "Registro diario" in response.text
    assert "Un número entero del 0 al 10." in response.text
    assert "Ayuda en crisis" in response.text
