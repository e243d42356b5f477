from __future__ import annotations

from tests.conftest import make_user, sign_in
from trellis.audit.models import AuditEvent
from trellis.core.access import Role
from trellis.plans.models import Plan, PlanDecision, PlanDeviation


def test_completing_an_intake_makes_plan_version_1(plan, pat):
    assert plan.version == 1
    assert plan.document["kb_version"] == plan.kb_version
    assert any(i["code"] == "med.buprenorphine" for i in plan.document["interventions"])


def test_the_plan_page_shows_the_options_the_goals_and_the_persons_own_words(client, plan, dana):
    sign_in(client, dana)

    response = client.get(f"/people/{plan.person.public_id}/plan/", follow=True)

    assert response.status_code == 200
    assert "Buprenorphine (sublingual) for opioid use disorder" in response.text
    assert "Be there for my kids" in response.text
    assert (
        "Where preferences and the recommendation differ" not in response.text
    )  # no preference given
    assert AuditEvent.objects.filter(
        actor=dana.user, object_type="Plan", outcome="allowed"
    ).exists()


def test_the_person_consents_with_a_teach_back_and_it_is_recorded_with_the_text_shown(
    client, plan, pat
):
    sign_in(client, pat)

    response = client.post(
        f"/plans/{plan.public_id}/decisions/",
        {
            "code": "med.buprenorphine",
            "decision": "consent",
            "teach_back": "A daily film that stops cravings; I want to stay safe",
        },
    )

    assert response.status_code == 302
    decision = PlanDecision.objects.get()
    assert (decision.decision, decision.code, decision.kb_version) == (
        "consent",
        "med.buprenorphine",
        plan.kb_version,
    )
    assert decision.text_shown["what"].startswith("A medicine that eases withdrawal")
    assert decision.teach_back.startswith("A daily film")
    assert Plan.objects.count() == 1


def test_a_refusal_makes_a_new_version_where_the_item_stays_declined_with_alternatives(
    client, plan, pat
):
    sign_in(client, pat)

    client.post(
        f"/plans/{plan.public_id}/decisions/",
        {
            "code": "med.methadone",
            "decision": "refusal",
            "teach_back": "I cannot go to a clinic every day",
        },
    )

    newest = Plan.objects.filter(person=pat.person).current()
    methadone = next(i for i in newest.document["interventions"] if i["code"] == "med.methadone")
    assert newest.version == 2
    assert methadone["status"] == "declined"
    assert methadone["alternatives"] == ["med.buprenorphine", "med.naltrexone_xr"]


def test_a_choice_without_a_teach_back_is_refused_and_nothing_is_stored(client, plan, pat):
    sign_in(client, pat)

    response = client.post(
        f"/plans/{plan.public_id}/decisions/",
        {"code": "med.buprenorphine", "decision": "consent", "teach_back": ""},
    )

    assert response.status_code == 400
    assert not PlanDecision.objects.exists()


def test_consent_can_be_withdrawn_later_and_the_item_becomes_declined(client, plan, pat):
    sign_in(client, pat)
    client.post(
        f"/plans/{plan.public_id}/decisions/",
        {"code": "med.buprenorphine", "decision": "consent", "teach_back": "stops cravings"},
    )
    decision = PlanDecision.objects.get()

    client.post(f"/plans/{plan.public_id}/decisions/{decision.public_id}/withdraw/")

    decision.refresh_from_db()
    assert decision.withdrawn_at is not None
    newest = Plan.objects.filter(person=pat.person).current()
    assert (
        next(i for i in newest.document["interventions"] if i["code"] == "med.buprenorphine")[
            "status"
        ]
        == "declined"
    )


def test_a_clinician_change_needs_a_reason_is_counted_and_makes_a_readable_diff(client, plan, dana):
    sign_in(client, dana)

    refused = client.post(
        f"/plans/{plan.public_id}/changes/",
        {"code": "psy.cm", "action": "change", "status": "recommended", "reason": ""},
    )
    assert refused.status_code == 400
    client.post(
        f"/plans/{plan.public_id}/changes/",
        {
            "code": "psy.cm",
            "action": "change",
            "status": "recommended",
            "reason": "Program runs a voucher scheme",
        },
    )

    newest = Plan.objects.filter(person=plan.person).current()
    assert PlanDeviation.objects.filter(by=dana.user, code="psy.cm").count() == 1
    compare = client.get(f"/plans/{plan.public_id}/compare/{newest.public_id}/")
    assert "psy.cm: consider → recommended" in compare.text
    assert (
        "1 change from the knowledge base so far." in client.get(f"/plans/{newest.public_id}/").text
    )


def test_two_clinicians_editing_the_same_version_cannot_overwrite_each_other(
    client, plan, dana, pat
):
    second = make_user("dora", Role.CLINICIAN)
    plan.person.care_team.create(member=second)
    sign_in(client, dana)
    client.post(
        f"/plans/{plan.public_id}/changes/",
        {"code": "hol.exercise", "action": "remove", "reason": "not wanted now"},
    )
    client.logout()
    sign_in(client, second)

    stale = client.post(
        f"/plans/{plan.public_id}/changes/",
        {"code": "hol.nutrition", "action": "add", "status": "consider", "reason": "weight loss"},
    )

    assert stale.status_code == 400
    assert "someone changed the plan since you opened it" in stale.text
    assert Plan.objects.filter(person=plan.person).count() == 2


def test_a_supervisor_co_signs_but_not_their_own_version(client, plan, dana, sam):
    plan.person.care_team.create(member=sam.user)
    sign_in(client, sam)

    client.post(f"/plans/{plan.public_id}/cosign/")

    plan.refresh_from_db()
    assert plan.cosigned_by == sam.user


def test_the_printable_plan_is_a_pdf_in_the_persons_language(client, plan, pat):
    sign_in(client, pat)

    response = client.get(f"/plans/{plan.public_id}/pdf/?lang=es")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_outsiders_and_family_cannot_see_or_change_the_plan(client, plan, eli, fran, quinn):
    for persona in (eli, fran, quinn):
        client.logout()
        sign_in(client, persona)
        assert client.get(f"/plans/{plan.public_id}/").status_code == 404
        assert (
            client.post(
                f"/plans/{plan.public_id}/decisions/",
                {"code": "med.buprenorphine", "decision": "consent", "teach_back": "x"},
            ).status_code
            == 404
        )
    assert not PlanDecision.objects.exists()


def test_a_mismatch_between_preference_and_recommendation_is_shown_on_the_plan(client, pat, dana):
    from trellis.assessments import actions as assessments

    intake = assessments.start_intake(pat.person, by=dana.user)
    document = {
        **intake.document,
        "substances": [{"substance": "alcohol", "dsm5_criteria_count": 8}],
        "environment": {"housing": "homeless"},
        "preferences": {"prefers": ["telehealth"]},
    }
    assessments.save_document(intake, document, by=dana.user, what="test")
    assessments.complete_intake(intake, by=dana.user)
    sign_in(client, dana)

    response = client.get(f"/people/{pat.public_id}/plan/", follow=True)

    assert (
        "prefers telehealth, but the recommended level 3.1 is residential or inpatient"
        in response.text
    )
