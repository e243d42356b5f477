"""Check-ins and journal over the API; journal text encrypted at rest; staff see only what is
shared, audited; reminders sent once a day with no health information in them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests.conftest import sign_in


def body(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "date": timezone.localdate().isoformat(),
        "craving": 2,
        "mood": 7,
        "sleep_hours": 8,
        "used": False,
    }
    data.update(changes)
    return data


def post(client, url: str, data: dict[str, object], **headers: str):
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_api_checkin_created_listed_and_retried_once(client, pat):
    from trellis.recovery.models import CheckIn

    sign_in(client, pat)
    url = f"/api/v1/people/{pat.public_id}/checkins"
    first = post(
        client,
        url,
        body(craving=8, coping=[{"code": "urge-surfing", "helped": 9}]),
        **{"Idempotency-Key": "k1"},
    )
    again = post(
        client,
        url,
        body(craving=8, coping=[{"code": "urge-surfing", "helped": 9}]),
        **{"Idempotency-Key": "k1"},
    )

    assert first.status_code == 201
    assert again.json() == first.json()
    assert first.json()["support_offered"] is True
    assert first.json()["support"]["helpful"] == ["urge-surfing"]
    assert CheckIn.objects.filter(person=pat.person).count() == 1
    listed = client.get(url).json()
    assert [c["craving"] for c in listed] == [8]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"craving": 11}, "craving"),
        ({"sleep_hours": -1}, "sleep_hours"),
        ({"date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "date"),
        ({"triggers": ["unknown"]}, "triggers"),
        ({"mood": None}, "mood"),
    ],
)
def test_api_bad_checkin_names_the_field_and_stores_nothing(client, pat, changes, field):
    from trellis.recovery.models import CheckIn

    sign_in(client, pat)
    response = post(client, f"/api/v1/people/{pat.public_id}/checkins", body(**changes))

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert not CheckIn.objects.exists()


def test_api_same_day_twice_is_refused(client, pat):
    sign_in(client, pat)
    url = f"/api/v1/people/{pat.public_id}/checkins"
    post(client, url, body())
    second = post(client, url, body(craving=5))

    assert second.status_code == 422
    assert second.json()["error"]["field"] == "date"


def test_staff_cannot_write_a_persons_checkin_or_journal(client, pat, dana):
    sign_in(client, dana)
    assert post(client, f"/api/v1/people/{pat.public_id}/checkins", body()).status_code == 404
    entry = {"at": timezone.now().isoformat(), "craving": 3, "text": "x"}
    assert post(client, f"/api/v1/people/{pat.public_id}/journal", entry).status_code == 404


def test_journal_text_is_not_stored_in_clear(client, pat):
    sign_in(client, pat)
    secret = "met Jordan behind the pharmacy"
    response = post(
        client,
        f"/api/v1/people/{pat.public_id}/journal",
        {
            "at": timezone.now().isoformat(),
            "craving": 6,
            "triggers": ["people-places"],
            "situation": secret,
            "text": secret,
        },
    )
    assert response.status_code == 201
    assert response.json()["text"] == secret

    with connection.cursor() as cursor:
        cursor.execute("SELECT situation, text FROM recovery_journalentry")
        stored = cursor.fetchone()
    assert all(value.startswith("enc1:") and "Jordan" not in value for value in stored)


def test_care_team_sees_only_shared_journal_entries_and_the_read_is_audited(client, pat, dana, eli):
    from trellis.audit.models import AuditEvent
    from trellis.recovery.models import CheckIn, JournalEntry

    JournalEntry.objects.create(
        person=pat.person, at=timezone.now(), craving=5, text="private thoughts"
    )
    JournalEntry.objects.create(
        person=pat.person,
        at=timezone.now(),
        craving=8,
        text="shared worry",
        shared_with_care_team=True,
    )
    CheckIn.objects.create(
        person=pat.person,
        day=timezone.localdate(),
        craving=9,
        mood=3,
        sleep_hours=4,
        used=True,
        use_amount="a lot",
        support_offered=True,
    )

    sign_in(client, dana)
    page = client.get(f"/people/{pat.public_id}/self-management/").text
    api = client.get(f"/api/v1/people/{pat.public_id}/journal").json()

    assert "shared worry" in page
    assert "private thoughts" not in page
    assert "use reported" in page
    assert "a lot" not in page  # the person's own words about the use stay with them
    checkins = client.get(f"/api/v1/people/{pat.public_id}/checkins").json()
    assert [(c["used"], c["use_amount"]) for c in checkins] == [(True, "")]
    assert [e["text"] for e in api] == ["shared worry"]
    assert AuditEvent.objects.filter(
        actor=dana.user, object_type="JournalEntry", action="read"
    ).exists()

    sign_in(client, eli)  # a clinician not on pat's care team
    assert client.get(f"/people/{pat.public_id}/self-management/").status_code == 404


def test_reminders_sent_once_at_the_chosen_time_without_health_data(pat, quinn):
    from trellis.recovery import reminders
    from trellis.recovery.models import CheckIn, Reminder

    pat.user.email, quinn.user.email = "pat@example.org", "quinn@example.org"
    pat.user.save()
    quinn.user.save()
    Reminder.objects.create(
        person=pat.person, enabled=True, at="19:00", time_zone="America/Chicago"
    )
    Reminder.objects.create(
        person=quinn.person, enabled=True, at="19:00", time_zone="America/Chicago"
    )
    CheckIn.objects.create(
        person=quinn.person,
        day=datetime(2026, 11, 25).date(),
        craving=1,
        mood=5,
        sleep_hours=7,
        used=False,
    )

    before = datetime(2026, 11, 26, 0, 59, tzinfo=UTC)  # 18:59 in Chicago
    at = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 19:00 in Chicago on 25 November

    assert reminders.send_due(before) == 0
    assert reminders.send_due(at) == 1  # quinn already checked in that day
    assert reminders.send_due(at + timedelta(hours=1)) == 0  # once a day
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    assert settings.SITE_URL + "/me/" in message.body
    for word in ("craving", "Pat", "use", "drink"):
        assert word not in message.body


def test_the_periodic_task_sends_what_is_due_now(pat):
    from trellis.recovery.models import Reminder
    from trellis.recovery.tasks import send_checkin_reminders

    pat.user.email = "pat@example.org"
    pat.user.save()
    Reminder.objects.create(person=pat.person, enabled=True, at="00:00", time_zone="UTC")

    assert send_checkin_reminders.call_local() == 1
    assert send_checkin_reminders.call_local() == 0
    assert len(mail.outbox) == 1


def test_a_text_message_reminder_goes_to_the_chosen_number_and_names_nothing(pat, sms_outbox):
    from trellis.recovery import reminders
    from trellis.recovery.models import Reminder

    Reminder.objects.create(
        person=pat.person,
        enabled=True,
        at="08:00",
        time_zone="UTC",
        channel="sms",
        phone="+15555550123",
    )

    assert reminders.send_due(datetime(2026, 11, 25, 9, 0, tzinfo=UTC)) == 1
    [message] = sms_outbox
    assert message.to == "+15555550123"
    assert message.body == "You have a check-in or questionnaire due in Trellis. Sign in to see it."
    assert not mail.outbox


def test_a_questionnaire_due_brings_a_reminder_even_after_the_checkin(pat, dana, mood_plan):
    from trellis.recovery import reminders
    from trellis.recovery.models import CheckIn, Reminder

    pat.user.email = "pat@example.org"
    pat.user.save()
    reminder = Reminder.objects.create(person=pat.person, enabled=True, at="00:00", time_zone="UTC")
    now = timezone.now()
    CheckIn.objects.create(
        person=pat.person, day=now.date(), craving=1, mood=5, sleep_hours=7, used=False
    )

    assert reminders.questionnaire_due(reminder, now.date())  # the plan's first PHQ-9
    assert reminders.send_due(now) == 1


def test_a_text_message_reminder_needs_a_valid_number(client, pat):
    from trellis.recovery.models import Reminder

    sign_in(client, pat)
    form = {"enabled": "on", "at": "19:00", "time_zone": "America/Chicago", "channel": "sms"}

    missing = client.post("/me/reminders/", form)
    wrong = client.post("/me/reminders/", form | {"phone": "555-0123"})
    saved = client.post("/me/reminders/", form | {"phone": "+1 555 555 0123"})

    assert "Give the number the text messages should go to." in missing.text
    assert "A mobile number with + and the country code" in wrong.text
    assert saved.status_code == 302
    assert Reminder.objects.get(person=pat.person).phone == "+15555550123"
