"""Every URL of the app × every role, with the expected answer to a GET.

A URL added without a row here fails `test_every_url_has_a_rule`, so no page ships without
a decision about who may see it. Django admin pages are covered by one rule: the admin site
lets in only the administrator (is_staff), and its index stands for the rest.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import make_user, sign_in
from tests.web.family.matrix_rows import FAMILY_TOOLS_MATRIX, family_tools_world
from tests.web.waitlist.matrix_rows import WAITLIST_MATRIX, waitlist_world

ROLES = (
    "anonymous",
    "person",
    "other_person",
    "clinician",
    "supervisor",
    "family",
    "navigator",
    "admin",
    "researcher",
)


def expect(default: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, default) for role in ROLES}


SIGNED_IN_ONLY = {"anonymous": 302}
# dana (clinician) is on pat's care team; sam (supervisor) is not.
MATRIX: dict[str, dict[str, int]] = {
    "home": expect(302, admin=200, researcher=200),
    "accounts:login": expect(302, anonymous=200),
    "accounts:logout": expect(405),
    "accounts:two_factor": expect(200, anonymous=302, person=302, other_person=302, family=302),
    "accounts:two_factor_setup": expect(302, person=200, other_person=200, family=200),
    "accounts:recovery_codes": expect(405, anonymous=302),
    "accounts:account": expect(200, **SIGNED_IN_ONLY),
    "accounts:token_create": expect(405, anonymous=302),
    "accounts:token_revoke": expect(405, anonymous=302),
    "set_language": expect(302),
    "api-v1:openapi-json": expect(200),
    "api-v1:openapi-view": expect(200),
    "api-v1:api-root": expect(404),
    "api-v1:health": expect(200),
    "api-v1:list_people": expect(200, anonymous=401),
    "api-v1:get_person": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:list_episodes": expect(404, anonymous=401, person=200, clinician=200),
    "people:caseload": expect(404, anonymous=302, clinician=200, supervisor=200),
    "people:new": expect(404, anonymous=302, clinician=200, supervisor=200),
    "people:detail": expect(404, anonymous=302, person=200, clinician=200),
    "people:episode_admit": expect(404, anonymous=302, clinician=405, supervisor=405),
    "people:episode_discharge": expect(404, anonymous=302, clinician=405, supervisor=405),
    "people:care_team_add": expect(404, anonymous=302, clinician=405, supervisor=405),
    "people:care_team_end": expect(404, anonymous=302, clinician=405, supervisor=405),
    "people:break_glass": expect(404, anonymous=302, clinician=200, supervisor=200),
    "people:break_glass_review": expect(404, anonymous=302, supervisor=200),
    "people:break_glass_review_one": expect(404, anonymous=302),
    "api-v1:list_instruments": expect(200),
    "api-v1:get_instrument": expect(200),
    # GET on the scores address lists them; POST creates (create_score shares the route).
    "api-v1:create_score": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:list_scores": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:get_score": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:create_intake": expect(405),
    "api-v1:get_intake": expect(404, anonymous=401, clinician=200),
    "api-v1:override_intake": expect(405),
    "api-v1:list_alerts": expect(404, anonymous=401, clinician=200),
    "api-v1:acknowledge_alert": expect(405),
    "assessments:list": expect(404, anonymous=302, clinician=200),
    "assessments:section": expect(404, anonymous=302, clinician=200),
    "assessments:instruments": expect(404, anonymous=302, clinician=200),
    "assessments:request_full": expect(404, anonymous=302, clinician=405, supervisor=405),
    "assessments:review": expect(404, anonymous=302, clinician=302),  # completed: on to the result
    "assessments:result": expect(404, anonymous=302, clinician=200),
    "assessments:override": expect(404, anonymous=302, clinician=405, supervisor=405),
    "assessments:self_report_list": expect(404, anonymous=302, person=200, other_person=200),
    "assessments:self_report": expect(404, anonymous=302, person=200, other_person=200),
    "alerts:acknowledge": expect(404, anonymous=302, clinician=405, supervisor=405),
    "alerts:resolve": expect(404, anonymous=302, clinician=405, supervisor=405),
    "monitoring:progress": expect(404, anonymous=302, clinician=200),
    # GET on the measures address lists them; POST stores one (create_measure shares the route).
    "api-v1:create_measure": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:list_measures": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:get_schedule": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:list_caseload_alerts": expect(404, anonymous=401, clinician=200, supervisor=200),
    "api-v1:get_alert": expect(404, anonymous=401, clinician=200),
    "api-v1:resolve_alert": expect(405),
    "api-v1:list_proposals": expect(404, anonymous=401, clinician=200),
    "api-v1:accept_proposal": expect(405),
    "api-v1:reject_proposal": expect(405),
    "monitoring:accept": expect(404, anonymous=302, clinician=405),
    "monitoring:reject": expect(404, anonymous=302, clinician=405),
    "fhir:metadata": expect(200),
    "fhir:search_questionnaires": expect(200),
    "fhir:read_questionnaire": expect(200),
    "fhir:create_questionnaire_response": expect(405),
    "fhir:api-root": expect(404),
    "api-v1:list_plans": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:get_plan": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:decide": expect(405),
    "api-v1:plan_as_fhir": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:change": expect(405),
    "plans:current": expect(404, anonymous=302, person=302, clinician=302),
    "plans:detail": expect(404, anonymous=302, person=200, clinician=200),
    "plans:decide": expect(404, anonymous=302, person=200, clinician=200),
    "plans:withdraw": expect(405, anonymous=302),
    "plans:deviate": expect(404, anonymous=302, clinician=405, supervisor=405),
    "plans:cosign": expect(404, anonymous=302, supervisor=405),
    "plans:compare": expect(404, anonymous=302, person=200, clinician=200),
    "plans:pdf": expect(404, anonymous=302, person=200, clinician=200),
    # The person's own app: each person reaches only their own tools (pat's ids below).
    "recovery:home": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:checkin": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:checkins": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:journal": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:insights": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:goals": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:coping": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:exercise": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:relapse_prevention": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:wallet_card": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:lifestyle": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:self_care": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:assertive": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:problems": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:compassion": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:mindfulness": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:timeline": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:crisis": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:reminders": expect(404, anonymous=302, person=200, other_person=200),
    "recovery:checkin_edit": expect(404, anonymous=302, person=200),
    "recovery:support": expect(404, anonymous=302, person=200),
    "recovery:goal": expect(404, anonymous=302, person=200),
    "recovery:problem": expect(404, anonymous=302, person=200),
    "recovery:self_care_mark": expect(404, anonymous=302, person=405, other_person=405),
    "recovery:manifest": expect(200),
    "recovery:service_worker": expect(200),
    "recovery:care_team": expect(404, anonymous=302, clinician=200),
    # GET on the check-ins and journal addresses lists them; POST creates (shares the route).
    "api-v1:create_checkin": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:list_checkins": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:get_checkin": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:create_journal_entry": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:list_journal": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:get_journal_entry": expect(404, anonymous=401, person=200, clinician=200),
    # Consent-scoped sharing: the person's own pages, the care team's view, a family member's
    # view of a person (fran is not linked to pat here: she sees nothing; see
    # tests/web/sharing/test_family_matrix.py for the consent states).
    "sharing:consents": expect(404, anonymous=302, person=200, other_person=200),
    "sharing:consent_new": expect(404, anonymous=302, person=200, other_person=200),
    "sharing:disclosures": expect(404, anonymous=302, person=200, other_person=200),
    "sharing:disclosures_csv": expect(404, anonymous=302, person=200, other_person=200),
    "sharing:invite": expect(404, anonymous=302, person=200, other_person=200),
    "sharing:consent": expect(404, anonymous=302, person=200),
    "sharing:consent_revoke": expect(404, anonymous=302, person=405, other_person=405),
    "sharing:invitation_cancel": expect(404, anonymous=302, person=405, other_person=405),
    "sharing:link_end": expect(404, anonymous=302, person=405, other_person=405),
    "sharing:join": expect(400),  # not a valid token: nothing shown to anyone
    "sharing:shared": expect(404, anonymous=302),
    "sharing:shared_category": expect(404, anonymous=302),
    "sharing:family_sessions": expect(404, anonymous=302, family=200),
    "sharing:session_reply": expect(404, anonymous=302, family=405),
    "sharing:care_team": expect(404, anonymous=302, clinician=200),
    "sharing:session_new": expect(405, anonymous=302),
    "sharing:session": expect(404, anonymous=302, clinician=200),
    "sharing:staff_invite": expect(405, anonymous=302),
    "sharing:disclosure": expect(404, anonymous=302, clinician=200),
    "sharing:consent_ended": expect(405, anonymous=302),
    "sharing:staff_revoke": expect(405, anonymous=302),
    # GET on the consents address lists them; POST creates (create_consent shares the route).
    "api-v1:create_consent": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:list_consents": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:get_consent": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:revoke_consent": expect(405),
    "api-v1:list_disclosures": expect(404, anonymous=401, person=200, clinician=200),
    "api-v1:get_shared": expect(404, anonymous=401),
    **FAMILY_TOOLS_MATRIX,
    # The community directory is public; curation is the administrator's; events are added by
    # staff who organise them.
    "directory:search": expect(200),
    "directory:service": expect(200),
    "directory:events": expect(200),
    "directory:events_ics": expect(200),
    "directory:event_new": expect(404, anonymous=302, clinician=200, navigator=200, admin=200),
    "directory:curate": expect(404, anonymous=302, admin=200),
    "directory:service_edit": expect(404, anonymous=302, admin=200),
    "directory:service_verify": expect(404, anonymous=302, admin=405),
    "directory:service_close": expect(404, anonymous=302, admin=405),
    # Referrals: the person's care team, navigators included (nia is on pat's team).
    "referrals:worklist": expect(404, anonymous=302, clinician=200, supervisor=200, navigator=200),
    "referrals:detail": expect(404, anonymous=302, clinician=200, navigator=200),
    "referrals:move": expect(404, anonymous=302, clinician=405, supervisor=405, navigator=405),
    "referrals:person": expect(404, anonymous=302, clinician=200, navigator=200),
    "referrals:send": expect(404, anonymous=302, clinician=405, supervisor=405, navigator=405),
    "referrals:mine": expect(404, anonymous=302, person=200, other_person=200),
    "api-v1:search_services": expect(422),  # public; without `near` the query is refused
    "api-v1:get_service": expect(200),
    "api-v1:list_referrals": expect(200, anonymous=401),
    # GET on a person's referrals lists them; POST sends one (create_referral shares the route).
    "api-v1:list_person_referrals": expect(
        404, anonymous=401, person=200, clinician=200, navigator=200
    ),
    "api-v1:create_referral": expect(404, anonymous=401, person=200, clinician=200, navigator=200),
    "api-v1:get_referral": expect(404, anonymous=401, person=200, clinician=200, navigator=200),
    "api-v1:move_referral": expect(405),
    "fhir:read_healthcare_service": expect(200),
    "fhir:read_service_request": expect(
        404, anonymous=401, person=200, clinician=200, navigator=200
    ),
    # Waitlist and allocation rows.
    **WAITLIST_MATRIX,
    # Oversight dashboard rows.
    "oversight:index": expect(404, anonymous=302, supervisor=200),
    "oversight:fidelity": expect(404, anonymous=302, supervisor=200),
    "oversight:variation": expect(404, anonymous=302, supervisor=200),
    "oversight:outcomes": expect(404, anonymous=302, supervisor=200),
    "oversight:access": expect(404, anonymous=302, supervisor=200),
    "oversight:equity": expect(404, anonymous=302, supervisor=200),
    "oversight:visits": expect(404, anonymous=302, clinician=200),  # care team only
    # Reporting export rows.
    "reporting:episodes": expect(404, anonymous=302, supervisor=200),
    "reporting:admissions_csv": expect(404, anonymous=302, supervisor=200),
    "reporting:discharges_csv": expect(404, anonymous=302, supervisor=200),
    "reporting:research": expect(404, anonymous=302, researcher=200),
    # Training mode rows. Clinicians and supervisors practise; dana's answer is hers alone.
    "training:home": expect(404, anonymous=302, clinician=200, supervisor=200),
    "training:vignette": expect(404, anonymous=302, clinician=200, supervisor=200),
    "training:submit": expect(404, anonymous=302, clinician=405, supervisor=405),
    "training:answer": expect(404, anonymous=302, clinician=200),
    "training:agreement": expect(404, anonymous=302, supervisor=200),
    "training:agreement_csv": expect(404, anonymous=302, supervisor=200),
    "admin:index": expect(302, admin=200),
}


def walk(patterns: list[Any], prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and (
                f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            )
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield (
                (f"{namespace}:{pattern.name}" if namespace else pattern.name),
                prefix + str(pattern.pattern),
            )


def app_urls() -> dict[str, str]:
    return {
        name: route
        for name, route in walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    }


def test_every_url_has_a_rule():
    assert set(app_urls()) | {"admin:index"} == set(MATRIX)


@pytest.fixture
def world(pat, quinn, dana, eli, sam, fran, nia, ada, rae):
    from django.utils import timezone

    from trellis.accounts.models import ApiToken
    from trellis.alerts.models import Alert
    from trellis.assessments import actions as assessment_actions
    from trellis.people.models import BreakGlassAccess

    intake = assessment_actions.start_intake(pat.person, by=dana.user)
    assessment_actions.complete_intake(intake, by=dana.user)
    score = assessment_actions.record_score(
        pat.person, "asq", [True, False, False, False, False], by=pat.user, source="self_report"
    )
    alert = Alert.objects.get(event_key__startswith="score:")
    from trellis.plans.models import Plan

    plan = Plan.objects.get(person=pat.person)
    decision = plan.decisions.create(
        code="psy.mi",
        decision="consent",
        language="en",
        kb_version="x",
        text_shown={},
        teach_back="t",
        decided_by=pat.user,
    )
    grant = BreakGlassAccess.objects.create(
        person=quinn.person, user=eli.user, reason="emergency visit", expires_at=timezone.now()
    )
    from trellis.recovery.models import CheckIn, Goal, JournalEntry, SelfCareActivity, Worksheet

    checkin = CheckIn.objects.create(
        person=pat.person, day=timezone.localdate(), craving=8, mood=4, sleep_hours=6, used=False
    )
    entry = JournalEntry.objects.create(
        person=pat.person,
        at=timezone.now(),
        craving=6,
        text="hard evening",
        shared_with_care_team=True,
    )
    goal = Goal.objects.create(
        person=pat.person,
        statement="Walk daily",
        measure="walks",
        target="5 a week",
        confidence=7,
        reason="health",
        due=timezone.localdate(),
    )
    sheet = Worksheet.objects.create(
        person=pat.person, kind="problem", document={"problem": "rent"}
    )
    activity = SelfCareActivity.objects.create(
        person=pat.person, title="Park", kind="enjoyable", planned_for=timezone.localdate()
    )
    token = ApiToken.objects.create(user=pat.user, name="t", key_hash="x" * 64, hint="trl_x")
    sharing = _sharing_world(pat, dana)
    personas = {
        "person": pat,
        "other_person": quinn,
        "clinician": dana,
        "supervisor": sam,
        "family": fran,
        "navigator": nia,
        "admin": ada,
        "researcher": rae,
    }
    values = {
        "person_id": str(pat.public_id),
        "grant_id": str(grant.public_id),
        "token_id": str(token.pk),
        "membership_id": str(pat.person.care_team.get(member=dana.user).pk),
        "intake_id": str(intake.public_id),
        "score_id": str(score.public_id),
        "alert_id": str(alert.public_id),
        "section": "person",
        "instrument_id": "phq9",
        "questionnaire_id": "phq9",
        "plan_id": str(plan.public_id),
        "other_id": str(plan.public_id),
        "decision_id": str(decision.public_id),
        "checkin_id": str(checkin.public_id),
        "entry_id": str(entry.public_id),
        "goal_id": str(goal.public_id),
        "worksheet_id": str(sheet.public_id),
        "activity_id": str(activity.public_id),
        "exercise_id": "paced-breathing",
        **sharing,
        **family_tools_world(fran),
        **_directory_world(pat, dana),
        **waitlist_world(quinn.person, sam.user),
        **_training_world(dana),
    }
    return personas, values


def _training_world(dana: Any) -> dict[str, str]:
    """dana's answer to one training vignette."""
    from trellis.training import actions

    answer = actions.record_answer(
        dana.user, vignette_id="mild-alcohol-anxiety", level="1.0", codes=["psy.mi"]
    )
    return {"vignette_id": answer.vignette_id, "answer_id": str(answer.public_id)}


def _directory_world(pat: Any, dana: Any) -> dict[str, str]:
    """A housing service in the directory, pat's consent to refer to it, and one referral."""
    from tests.web.directory.conftest import consent_to_refer, housing_service
    from trellis.referrals import actions

    service = housing_service()
    consent_to_refer(pat, service)
    referral = actions.send(
        pat.person, service, need="com.housing", reason="needs stable housing", by=dana.user
    )
    return {
        "hsds_id": service.hsds_id,
        "service_id": service.hsds_id,
        "referral_id": str(referral.public_id),
    }


def _sharing_world(pat: Any, dana: Any) -> dict[str, str]:
    """Pat's consent (to an organisation), a pending invitation, a family member linked to pat
    who is not fran (gil), a family session with gil invited."""
    from django.utils import timezone

    from trellis.core.access import Role
    from trellis.monitoring.models import Proposal
    from trellis.plans.models import Plan
    from trellis.sharing import actions
    from trellis.sharing.models import Consent, FamilyLink, FamilySession, SessionInvitation

    consent = Consent.objects.create(
        person=pat.person,
        disclosing_party="Riverbend",
        recipient_kind="organization",
        recipient_name="Harbor Housing",
        purpose="housing application",
        categories=["attendance"],
        ends_on=timezone.localdate(),
        signature_method="confirmed",
        signed_name="Pat Example",
        signed_by=pat.user,
        text_shown="…",
    )
    invitation, _raw = actions.invite(pat.person, by=pat.user, name="Gil")
    link = FamilyLink.objects.create(person=pat.person, user=make_user("gil", Role.FAMILY))
    session = FamilySession.objects.create(
        person=pat.person,
        kind="family_therapy",
        starts_at=timezone.now(),
        place="Room 2",
        scheduled_by=dana.user,
    )
    invite = SessionInvitation.objects.create(session=session, link=link)
    proposal = Proposal.objects.create(
        person=pat.person,
        plan=Plan.objects.get(person=pat.person),
        rule_id="continued_use",
        key="continued_use:matrix",
        changes=[{"action": "step_up", "code": None, "level": "2.1"}],
        reasons=["Use on 5 of the last 30 days."],
        source="test",
    )
    return {
        "proposal_id": str(proposal.public_id),
        "consent_id": str(consent.public_id),
        "invitation_id": str(invitation.public_id),
        "link_id": str(link.public_id),
        "token": "not-a-token",
        "category": "milestones",
        "session_id": str(session.public_id),
        "invite_id": str(invite.public_id),
    }


def concrete(route: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        for converter in ("uuid:", "int:", "slug:", "str:", ""):
            route = route.replace(f"<{converter}{key}>", value)
    return "/" + route


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_url(client, world, role):
    personas, values = world
    if role != "anonymous":
        sign_in(client, personas[role])
    routes = {**app_urls(), "admin:index": "admin/"}

    answers = {
        name: client.get(concrete(route, values)).status_code for name, route in routes.items()
    }

    expected = {name: MATRIX[name][role] for name in routes}
    assert answers == expected
