from __future__ import annotations

from tests.conftest import sign_in
from trellis.alerts.models import Alert
from trellis.assessments.models import Score


def test_a_person_fills_in_a_questionnaire_on_their_own(client, pat):
    sign_in(client, pat)

    page = client.get("/me/questionnaires/phq9/")
    response = client.post(
        "/me/questionnaires/phq9/", {f"item_{n}": "1" for n in range(1, 10)} | {"item_9": "0"}
    )

    assert "Little interest or pleasure in doing things" in page.text
    assert "Thank you" in response.text
    stored = Score.objects.get(person=pat.person)
    assert (stored.instrument, stored.total, stored.band, stored.source) == (
        "phq9",
        8,
        "mild",
        "self_report",
    )
    assert not Alert.objects.exists()


def test_suicidal_thoughts_on_a_self_report_alert_the_care_team_at_once_and_show_the_crisis_line(
    client, pat
):
    sign_in(client, pat)

    response = client.post(
        "/me/questionnaires/phq9/", {f"item_{n}": "0" for n in range(1, 9)} | {"item_9": "2"}
    )

    assert "988" in response.text
    alert = Alert.objects.get(person=pat.person)
    assert (alert.kind, alert.severity) == ("suicide_risk", "urgent")


def test_a_missing_answer_is_shown_and_nothing_is_stored(client, pat):
    sign_in(client, pat)

    response = client.post("/me/questionnaires/gad7/", {"item_1": "1"})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not Score.objects.exists()


def test_clinician_rated_scales_are_not_offered_to_the_person(client, pat):
    sign_in(client, pat)

    assert client.get("/me/questionnaires/cows/").status_code == 404
    assert client.get("/me/questionnaires/").status_code == 200
