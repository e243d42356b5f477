from __future__ import annotations

from tests.conftest import sign_in
from trellis.alerts.models import Alert
from trellis.assessments.models import Intake, PlacementOverride, Score
from trellis.audit.models import AuditEvent


def start(client, pat, dana) -> Intake:
    sign_in(client, dana)
    client.post(f"/people/{pat.public_id}/intakes/")
    return Intake.objects.get(person=pat.person)


def test_a_clinician_starts_an_intake_and_it_resumes_where_it_was_left(client, pat, dana):
    intake = start(client, pat, dana)

    response = client.post(
        f"/intakes/{intake.public_id}/sections/person/",
        {"age": "34", "sex_at_birth": "female", "insurance": "medicaid", "pregnant": "false"},
    )
    assert response.status_code == 302
    client.post(f"/people/{pat.public_id}/intakes/")  # "start or resume" returns the same draft

    intake.refresh_from_db()
    assert Intake.objects.count() == 1
    assert intake.document["person"]["sex_at_birth"] == "female"
    assert intake.document["person"]["pregnant"] is False
    page = client.get(f"/intakes/{intake.public_id}/sections/person/")
    assert 'value="34"' in page.text


def test_every_section_saves_as_you_go(client, pat, dana):
    intake = start(client, pat, dana)
    base = f"/intakes/{intake.public_id}/sections"

    client.post(
        f"{base}/substances/",
        {
            "substances-TOTAL_FORMS": "2",
            "substances-INITIAL_FORMS": "0",
            "substances-0-substance": "heroin",
            "substances-0-primary": "true",
            "substances-0-dsm5_criteria_count": "7",
            "substances-0-route": "injection",
            "substances-1-substance": "",
        },
    )
    client.post(f"{base}/medical/", {"liver": "normal", "conditions": "hepatitis_c\nchronic_pain"})
    client.post(f"{base}/mental_health/", {"diagnoses": "depression", "trauma_history": "true"})
    client.post(
        f"{base}/history/", {"overdoses_past_year": "1", "withdrawal_complications": ["none"]}
    )
    client.post(f"{base}/readiness/", {"stage": "preparation", "importance_0_10": "9"})
    client.post(f"{base}/environment/", {"housing": "unstable", "legal": ["probation"]})
    client.post(f"{base}/strengths/", {"strengths": "my daughter\nworked as a cook"})
    client.post(
        f"{base}/preferences/",
        {
            "declines": "med.methadone",
            "goals_in_own_words": "Be there for my daughter",
            "recovery_goal": "abstinence",
        },
    )

    intake.refresh_from_db()
    document = intake.document
    assert document["substances"] == [
        {"substance": "heroin", "primary": True, "dsm5_criteria_count": 7, "route": "injection"}
    ]
    assert document["medical"]["conditions"] == ["hepatitis_c", "chronic_pain"]
    assert document["history"]["withdrawal_complications"] == ["none"]
    assert document["strengths"] == ["my daughter", "worked as a cook"]
    assert document["preferences"]["goals_in_own_words"] == "Be there for my daughter"
    assert AuditEvent.objects.filter(action="update", object_type="Intake").count() == 8


def test_a_contradiction_is_shown_next_to_the_form_and_nothing_is_stored(client, pat, dana):
    intake = start(client, pat, dana)

    response = client.post(
        f"/intakes/{intake.public_id}/sections/person/",
        {"age": "34", "sex_at_birth": "male", "pregnant": "true"},
    )

    assert response.status_code == 400
    assert (
        "person.pregnant is true but person.sex_at_birth is male: check both with the person"
        in response.text
    )
    intake.refresh_from_db()
    assert "sex_at_birth" not in intake.document["person"]


def test_an_out_of_range_answer_is_a_form_error(client, pat, dana):
    intake = start(client, pat, dana)

    response = client.post(
        f"/intakes/{intake.public_id}/sections/readiness/", {"importance_0_10": "12"}
    )

    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 10." in response.text
    intake.refresh_from_db()
    assert "readiness" not in intake.document


def test_the_adaptive_battery_skips_the_full_phq9_after_a_negative_phq2(client, pat, dana):
    intake = start(client, pat, dana)
    url = f"/intakes/{intake.public_id}/questionnaires/"

    first = client.get(url)
    assert "Patient Health Questionnaire-2" in first.text
    client.post(url, {"item_1": "0", "item_2": "1"})
    after = client.get(url)

    intake.refresh_from_db()
    assert intake.document["instruments"] == {"phq2": [0, 1]}
    assert "negative screen: full questionnaire skipped" in after.text
    assert "Questionnaire items asked: 2 of" in after.text


def test_a_positive_phq2_asks_the_remaining_phq9_items_and_the_clinician_can_ask_in_full(
    client, pat, dana
):
    intake = start(client, pat, dana)
    url = f"/intakes/{intake.public_id}/questionnaires/"
    client.post(url, {"item_1": "2", "item_2": "2"})

    page = client.get(url)
    assert "Patient Health Questionnaire-9" in page.text
    assert 'name="item_1"' not in page.text
    client.post(url, {f"item_{n}": "1" for n in range(3, 10)})
    intake.refresh_from_db()
    assert intake.document["instruments"]["phq9"] == [2, 2, 1, 1, 1, 1, 1, 1, 1]

    client.post(url, {"item_1": "0", "item_2": "0"})  # GAD-2 negative
    client.post(url, {"item_1": "0", "item_2": "0", "item_3": "0"})  # AUDIT-C negative
    client.post(f"/intakes/{intake.public_id}/questionnaires/audit/full/")
    intake.refresh_from_db()
    assert intake.requested_in_full == ["audit"]
    assert "Alcohol Use Disorders Identification Test" in client.get(url).text


def test_a_no_to_dast10_item_1_leaves_the_other_nine_unasked(client, pat, dana):
    intake = start(client, pat, dana)
    url = f"/intakes/{intake.public_id}/questionnaires/"
    client.post(url, {"item_1": "0", "item_2": "0"})  # PHQ-2
    client.post(url, {"item_1": "0", "item_2": "0"})  # GAD-2
    client.post(url, {"item_1": "0", "item_2": "0", "item_3": "0"})  # AUDIT-C

    page = client.get(url)
    assert "Drug Abuse Screening Test" in page.text
    assert page.text.count('data-asked-if-yes="item_1"') == 9 * 2  # two radios per item
    assert "Answer only if you answered yes to question 1." in page.text
    # Answers to the gated items after a "no" are not kept: they were not to be asked.
    client.post(url, {"item_1": "false", "item_2": "true"})

    intake.refresh_from_db()
    assert intake.document["instruments"]["dast10"] == [False] + [None] * 9
    assert "Questionnaire items asked: 8 of" in client.get(url).text  # 2 + 2 + 3 + 1

    client.post(f"/intakes/{intake.public_id}/questionnaires/dast10/full/")
    in_full = client.get(url)
    assert "Drug Abuse Screening Test" in in_full.text
    assert "data-asked-if-yes" not in in_full.text
    assert client.post(url, {"item_1": "false"}).status_code == 400  # now all ten are needed
    client.post(url, {f"item_{n}": "false" for n in range(1, 11)})
    intake.refresh_from_db()
    assert intake.document["instruments"]["dast10"] == [False] * 10


def test_a_yes_to_dast10_item_1_needs_the_other_nine(client, pat, dana):
    intake = start(client, pat, dana)
    url = f"/intakes/{intake.public_id}/questionnaires/"
    for screen in ({"item_1": "0", "item_2": "0"},) * 2 + (
        {"item_1": "0", "item_2": "0", "item_3": "0"},
    ):
        client.post(url, screen)

    refused = client.post(url, {"item_1": "true"})

    assert refused.status_code == 400
    assert "dast10 item 2 must be yes or no" in refused.text
    intake.refresh_from_db()
    assert "dast10" not in intake.document["instruments"]


def test_review_and_complete_stores_the_result_and_scores_and_alerts_on_suicide_risk(
    client, pat, dana
):
    intake = start(client, pat, dana)
    doc = {
        **intake.document,
        "substances": [{"substance": "alcohol", "dsm5_criteria_count": 5}],
        "instruments": {"asq": [True, False, False, False, True], "phq2": [1, 1]},
    }
    Intake.objects.filter(pk=intake.pk).update(
        document=doc
    )  # the same document the section pages would build

    review = client.get(f"/intakes/{intake.public_id}/review/")
    assert "Recommended level of care" in review.text
    response = client.post(f"/intakes/{intake.public_id}/review/")

    assert response["Location"] == f"/intakes/{intake.public_id}/result/"
    intake.refresh_from_db()
    assert (intake.status, intake.level, intake.urgent) == ("completed", "4.0", True)
    assert intake.result["safety"]["actions"][0] == "safety.crisis_plan"
    assert set(Score.objects.filter(intake=intake).values_list("instrument", flat=True)) == {
        "asq",
        "phq2",
    }
    assert (
        Alert.objects.open().filter(person=pat.person, severity="urgent").count() == 2
    )  # the intake's and the ASQ's
    result = client.get(f"/intakes/{intake.public_id}/result/")
    assert "Open alerts" in result.text


def test_an_override_needs_a_reason_and_is_counted(client, pat, dana):
    intake = start(client, pat, dana)
    client.post(f"/intakes/{intake.public_id}/review/")

    refused = client.post(f"/intakes/{intake.public_id}/override/", {"level": "2.1", "reason": ""})
    assert refused.status_code == 400
    client.post(
        f"/intakes/{intake.public_id}/override/",
        {"level": "2.1", "reason": "No transport to daily sessions"},
    )

    intake.refresh_from_db()
    assert intake.level == "2.1"
    assert intake.result["placement"]["override"] == {
        "level": "2.1",
        "reason": "No transport to daily sessions",
        "by": "dana",
    }
    assert PlacementOverride.objects.filter(intake=intake, by=dana.user).count() == 1


def test_an_alert_stays_open_until_acknowledged_with_a_note(client, pat, dana):
    intake = start(client, pat, dana)
    Intake.objects.filter(pk=intake.pk).update(
        document={**intake.document, "instruments": {"asq": [False, False, True, False, False]}}
    )
    client.post(f"/intakes/{intake.public_id}/review/")
    alert = Alert.objects.open().first()

    client.post(f"/alerts/{alert.public_id}/acknowledge/", {"note": ""})
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    client.post(
        f"/alerts/{alert.public_id}/acknowledge/",
        {"note": "Called; safety plan made with the person"},
    )
    alert.refresh_from_db()
    assert alert.acknowledged_by == dana.user
    assert AuditEvent.objects.filter(action="acknowledge", object_type="Alert").exists()


def test_a_clinician_outside_the_team_cannot_reach_the_intake_or_its_alerts(client, pat, dana, eli):
    intake = start(client, pat, dana)
    client.post(f"/intakes/{intake.public_id}/review/")
    client.logout()
    sign_in(client, eli)

    assert client.get(f"/intakes/{intake.public_id}/sections/person/").status_code == 404
    assert client.get(f"/intakes/{intake.public_id}/result/").status_code == 404
    assert client.post(f"/people/{pat.public_id}/intakes/").status_code == 404
    assert Intake.objects.count() == 1


def test_the_intake_document_is_encrypted_at_rest(client, pat, dana):
    from django.db import connection

    intake = start(client, pat, dana)
    client.post(
        f"/intakes/{intake.public_id}/sections/preferences/",
        {"goals_in_own_words": "Stay sober for my kids"},
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT document FROM assessments_intake")
        (stored,) = cursor.fetchone()
    assert stored.startswith("enc1:")
    assert "sober" not in stored
