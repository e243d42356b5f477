"""What a check-in or a questionnaire raises, in the request that stores it."""

from __future__ import annotations

from django.utils import timezone

from tests.conftest import sign_in
from tests.web.monitoring.conftest import checkin_row, score_row
from trellis.alerts.models import Alert
from trellis.audit.models import AuditEvent


def page_checkin(**changes):
    form = {
        "date": timezone.localdate().isoformat(),
        "craving": "3",
        "mood": "4",
        "sleep_hours": "6",
        "used": "no",
        "self_harm": "no",
        "use_amount": "",
    }
    return form | changes


def test_a_checkin_with_thoughts_of_self_harm_raises_an_urgent_alert_in_the_same_request(
    client, pat
):
    sign_in(client, pat)

    response = client.post("/me/check-in/", page_checkin(self_harm="yes"))

    alert = Alert.objects.get(person=pat.person)
    assert (alert.kind, alert.severity) == ("suicidal_ideation", "urgent")
    assert alert.event_key == f"checkin:{timezone.localdate()}:self_harm"
    assert response.status_code == 302
    assert "/support/" in response["Location"]
    assert AuditEvent.objects.filter(action="create", object_type="Alert").count() == 1


def test_the_api_checkin_with_self_harm_alerts_once_even_when_retried(client, pat):
    sign_in(client, pat)
    body = {
        "date": timezone.localdate().isoformat(),
        "craving": 2,
        "mood": 3,
        "sleep_hours": 6,
        "used": False,
        "self_harm": True,
    }
    url = f"/api/v1/people/{pat.public_id}/checkins"

    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == 201, first.text
    assert again.status_code == 201
    assert first.json()["self_harm"] is True
    assert Alert.objects.filter(person=pat.person, severity="urgent").count() == 1


def test_a_self_harm_answer_that_is_not_yes_or_no_is_refused_and_nothing_is_stored(client, pat):
    sign_in(client, pat)
    body = {
        "date": timezone.localdate().isoformat(),
        "craving": 2,
        "mood": 3,
        "sleep_hours": 6,
        "used": False,
        "self_harm": "maybe",
    }

    response = client.post(
        f"/api/v1/people/{pat.public_id}/checkins", body, content_type="application/json"
    )

    assert response.status_code == 422
    assert Alert.objects.count() == 0


def test_use_after_a_week_without_use_raises_return_to_use_at_once(client, pat):
    for days_ago in range(1, 8):
        checkin_row(pat.person, days_ago)
    sign_in(client, pat)

    client.post("/me/check-in/", page_checkin(used="yes", use_amount="3 drinks"))

    alert = Alert.objects.get(person=pat.person)
    assert (alert.kind, alert.severity) == ("return_to_use", "high")


def test_use_after_only_six_days_without_use_raises_nothing(client, pat):
    for days_ago in range(1, 7):
        checkin_row(pat.person, days_ago)
    sign_in(client, pat)

    client.post("/me/check-in/", page_checkin(used="yes", use_amount="3 drinks"))

    assert not Alert.objects.filter(person=pat.person).exists()


def test_a_reliably_worse_phq9_raises_a_high_alert_when_it_is_stored(pat, dana, mood_plan):
    score_row(pat.person, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], 20, dana.user)  # 8
    score_row(pat.person, "phq9", [2, 2, 2, 1, 1, 1, 1, 1, 0], 1, dana.user)  # 11: +3

    assert not Alert.objects.filter(kind="reliable_worsening").exists()
    score_row(pat.person, "phq9", [2, 2, 2, 2, 2, 1, 1, 1, 0], 0, dana.user)  # 13: +2 on 11

    assert not Alert.objects.filter(kind="reliable_worsening").exists()  # +2 from the previous
    score_row(pat.person, "phq9", [3, 3, 2, 2, 2, 2, 2, 1, 0], 0, dana.user)  # 17: +4
    alert = Alert.objects.get(kind="reliable_worsening")
    assert alert.severity == "high"
    assert "PHQ-9" in alert.reasons


def test_a_questionnaire_dated_in_the_future_is_refused_and_nothing_is_stored(client, pat):
    from trellis.assessments.models import Score

    sign_in(client, pat)
    tomorrow = (timezone.now() + timezone.timedelta(days=1)).isoformat()

    response = client.post(
        f"/api/v1/people/{pat.public_id}/measures",
        {"instrument": "phq9", "responses": [0] * 9, "taken_at": tomorrow},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "taken_at"
    assert not Score.objects.exists()


def test_a_measure_for_an_unknown_instrument_or_out_of_range_is_refused_naming_the_field(
    client, pat
):
    from trellis.assessments.models import Score

    sign_in(client, pat)
    url = f"/api/v1/people/{pat.public_id}/measures"

    unknown = client.post(
        url, {"instrument": "beck", "responses": [0] * 21}, content_type="application/json"
    )
    out_of_range = client.post(
        url,
        {"instrument": "gad7", "responses": [0, 0, 4, 0, 0, 0, 0]},
        content_type="application/json",
    )

    assert unknown.status_code == 422
    assert unknown.json()["error"]["field"] == "instrument"
    assert "phq9" in unknown.json()["error"]["message"]
    assert out_of_range.status_code == 422
    assert out_of_range.json()["error"]["field"] == "gad7 item 3"
    assert not Score.objects.exists()


def test_a_retried_measure_is_stored_and_counted_once(client, pat):
    from trellis.assessments.models import Score

    sign_in(client, pat)
    url = f"/api/v1/people/{pat.public_id}/measures"
    body = {"instrument": "phq9", "responses": [1] * 8 + [0]}

    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="m-1")
    retry = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="m-1")
    listed = client.get(url).json()

    assert first.status_code == retry.status_code == 201
    assert first.json()["id"] == retry.json()["id"]
    assert Score.objects.count() == 1
    assert [(m["instrument"], m["total"], m["band"]) for m in listed] == [("phq9", 8, "mild")]
