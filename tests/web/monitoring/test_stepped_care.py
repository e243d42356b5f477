"""A stalled plan brings a stepped-care proposal; the clinician accepts or rejects it."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.web.monitoring.conftest import score_row
from trellis.audit.models import AuditEvent
from trellis.monitoring.actions import evaluate
from trellis.monitoring.models import Proposal
from trellis.plans.models import Plan


def stalled(pat, dana):
    """PHQ-9 16 when the plan began, 17 eight and a half weeks later: no reliable change."""
    score_row(pat.person, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], 61, dana.user)
    score_row(pat.person, "phq9", [3, 2, 2, 2, 2, 2, 2, 2, 0], 0, dana.user)


def test_a_stalled_plan_produces_one_proposal_with_its_reasons(pat, dana, mood_plan):
    stalled(pat, dana)
    evaluate(pat.person, by=None)

    proposal = Proposal.objects.get(person=pat.person)
    assert proposal.rule_id == "depression_not_responding"
    assert proposal.status == "proposed"
    assert any("PHQ-9" in reason for reason in proposal.reasons)
    assert {c["code"] for c in proposal.changes} & {"mh.depression_treatment"}
    assert proposal.source


def test_an_improving_plan_produces_no_proposal(pat, dana, mood_plan):
    score_row(pat.person, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], 61, dana.user)  # 16
    score_row(pat.person, "phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 0, dana.user)  # 5

    evaluate(pat.person, by=None)

    assert not Proposal.objects.filter(rule_id="depression_not_responding").exists()


def test_accepting_a_proposal_makes_a_new_plan_version(client, pat, dana, mood_plan):
    stalled(pat, dana)
    proposal = Proposal.objects.get(person=pat.person)
    sign_in(client, dana)

    page = client.get(f"/people/{pat.public_id}/progress/")
    client.post(f"/proposals/{proposal.public_id}/accept/")

    assert "Depression is not responding to the plan" in page.text
    proposal.refresh_from_db()
    current = Plan.objects.filter(person=pat.person).current()
    assert (current.version, proposal.status, proposal.new_plan) == (2, "accepted", current)
    assert "stepped care" in current.change
    codes = {i["code"]: i for i in current.document["interventions"]}
    assert any(
        "depression_not_responding" in b for b in codes["mh.depression_treatment"]["because"]
    )
    assert {i["code"] for i in mood_plan.document["interventions"]} <= set(codes)  # nothing lost
    assert AuditEvent.objects.filter(object_type="Proposal", action="update").exists()
    assert client.post(f"/proposals/{proposal.public_id}/accept/").status_code == 302
    assert Plan.objects.filter(person=pat.person).count() == 2  # not twice


def test_rejecting_needs_a_reason_and_changes_no_plan(client, pat, dana, mood_plan):
    stalled(pat, dana)
    proposal = Proposal.objects.get(person=pat.person)
    sign_in(client, dana)

    client.post(
        f"/api/v1/proposals/{proposal.public_id}/reject",
        {"reason": " "},
        content_type="application/json",
    )
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    response = client.post(
        f"/api/v1/proposals/{proposal.public_id}/reject",
        {"reason": "Medication started last week; give it time."},
        content_type="application/json",
    )

    assert response.json()["status"] == "rejected"
    assert Plan.objects.filter(person=pat.person).count() == 1


def test_the_same_situation_is_proposed_once(pat, dana, mood_plan):
    stalled(pat, dana)
    evaluate(pat.person, by=None)
    evaluate(pat.person, by=None)

    assert Proposal.objects.filter(person=pat.person).count() == 1
