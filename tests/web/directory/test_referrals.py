"""Closed-loop referrals through the pages: consent first, every step recorded, the worklist."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.conftest import sign_in
from tests.web.directory.conftest import consent_to_refer, housing_service
from trellis.audit.models import AuditEvent, Outcome
from trellis.referrals.models import Referral


def send(client, person, service, need="com.housing", reason="needs stable housing"):
    url = reverse("referrals:send", args=[person.public_id])
    return client.post(url, {"service": service.hsds_id, "need": need, "reason": reason})


def test_a_navigator_sends_a_referral_under_the_persons_consent_and_it_is_a_disclosure(
    client, pat, nia
):
    service = housing_service()
    consent = consent_to_refer(pat, service)
    sign_in(client, nia)
    response = send(client, pat, service)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.status, referral.need, referral.consent) == ("sent", "com.housing", consent)
    assert referral.follow_up_on == timezone.localdate() + timedelta(days=7)
    disclosed = AuditEvent.objects.get(action="disclose", outcome=Outcome.ALLOWED)
    assert disclosed.detail["categories"] == ["referral"]
    assert disclosed.detail["consent"] == str(consent.public_id)


def test_without_a_consent_for_that_organisation_nothing_is_sent_and_the_refusal_is_audited(
    client, pat, nia
):
    service = housing_service()
    other = housing_service("svc-other", organization="Other Org")
    consent_to_refer(pat, other)  # a consent for another organisation does not count
    sign_in(client, nia)
    response = send(client, pat, service)
    assert response.status_code == 400
    assert "consent in force to share referral information with Harbor Housing" in (
        response.content.decode()
    )
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="disclose", outcome=Outcome.DENIED).count() == 1


def test_a_revoked_consent_or_one_without_the_referral_category_does_not_allow_a_referral(
    client, pat, nia
):
    service = housing_service()
    consent_to_refer(pat, service, revoked_at=timezone.now())
    consent_to_refer(pat, service, categories=["attendance"])
    sign_in(client, nia)
    assert send(client, pat, service).status_code == 400
    assert not Referral.objects.exists()


def test_a_need_outside_the_community_categories_is_refused_naming_the_field(client, pat, nia):
    service = housing_service()
    consent_to_refer(pat, service)
    sign_in(client, nia)
    response = send(client, pat, service, need="psy.cbt")
    assert response.status_code == 400
    assert not Referral.objects.exists()


def move(client, referral, **data):
    return client.post(reverse("referrals:move", args=[referral.public_id]), data)


def test_the_loop_runs_from_sent_to_closed_with_an_outcome_and_every_step_is_kept(client, pat, nia):
    service = housing_service()
    consent_to_refer(pat, service)
    sign_in(client, nia)
    send(client, pat, service)
    referral = Referral.objects.get()
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert move(client, referral, status="accepted").status_code == 302
    assert move(client, referral, status="scheduled", appointment_at=when).status_code == 302
    referral.refresh_from_db()
    assert referral.follow_up_on == timezone.localdate() + timedelta(days=4)
    assert move(client, referral, status="attended", note="went with sister").status_code == 302
    assert move(client, referral, status="closed", outcome="need_met").status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.follow_up_on) == (
        "closed",
        "need_met",
        None,
    )
    assert [s.status for s in referral.steps.all()] == [
        "sent",
        "accepted",
        "scheduled",
        "attended",
        "closed",
    ]


def test_a_step_out_of_order_is_refused_and_changes_nothing(client, pat, nia):
    service = housing_service()
    consent_to_refer(pat, service)
    sign_in(client, nia)
    send(client, pat, service)
    referral = Referral.objects.get()
    response = move(client, referral, status="attended")
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert referral.steps.count() == 1
    no_time = move(client, referral, status="accepted")
    assert no_time.status_code == 302
    missing = move(client, referral, status="scheduled")
    assert missing.status_code == 400
    assert "appointment" in missing.content.decode().lower()


def test_overdue_follow_ups_come_first_on_the_worklist(client, pat, nia):
    service = housing_service()
    consent_to_refer(pat, service)
    sign_in(client, nia)
    send(client, pat, service, reason="first")
    send(client, pat, service, reason="second")
    late, fresh = Referral.objects.order_by("created")
    Referral.objects.filter(pk=fresh.pk).update(
        follow_up_on=timezone.localdate() - timedelta(days=1)
    )
    page = client.get(reverse("referrals:worklist")).content.decode()
    assert page.index(str(fresh.public_id)) < page.index(str(late.public_id))
    assert "overdue" in page


def test_the_person_sees_their_referrals_and_where_each_stands(client, pat, dana):
    from trellis.referrals import actions

    service = housing_service()
    consent_to_refer(pat, service)
    actions.send(pat.person, service, need="com.housing", reason="housing", by=dana.user)
    sign_in(client, pat)
    page = client.get(reverse("referrals:mine")).content.decode()
    assert service.name in page
    assert "Sent" in page


def test_the_person_page_matches_the_plans_housing_need_to_a_near_service_with_reasons(
    client, pat, nia, housing_plan
):
    near = housing_service("near", lat=41.90, lon=-87.65, name="Near Housing")
    housing_service("far", lat=42.40, lon=-87.65, name="Far Housing")  # ~57 km: beyond 10 km
    housing_service("english", lat=41.89, lon=-87.63, name="English Only", languages=["en"])
    sign_in(client, nia)
    page = client.get(reverse("referrals:person", args=[pat.public_id])).content.decode()
    assert near.name in page
    assert "Far Housing" not in page
    assert "English Only" not in page
    assert "offered in es" in page
    assert "within 10 km" in page


def test_a_navigator_reaches_referrals_but_not_the_clinical_record(client, pat, nia):
    sign_in(client, nia)
    assert client.get(reverse("referrals:person", args=[pat.public_id])).status_code == 200
    assert client.get(reverse("people:detail", args=[pat.public_id])).status_code == 404


def test_the_person_allows_sharing_with_a_suggested_organisation_and_can_then_be_referred(
    client, pat, nia, housing_plan
):
    from datetime import timedelta
    from urllib.parse import quote

    service = housing_service("near", lat=41.90, lon=-87.65, name="Near Housing")
    sign_in(client, pat)
    mine = client.get(reverse("referrals:mine")).content.decode()
    link = f"/me/sharing/new/?organization={quote(service.organization.hsds_id)}"
    assert "Near Housing" in mine
    assert link in mine
    page = client.get(link).content.decode()
    assert f'value="{service.organization.hsds_id}"' in page
    assert re.search(r'value="referral" id="[^"]+" checked', page), "referral is ticked"
    signed = client.post(
        link,
        {
            "recipient_kind": "organization",
            "recipient_organization": service.organization.hsds_id,
            "recipient_name": "",
            "purpose": "a referral for housing",
            "categories": ["referral"],
            "ends_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
            "signature_method": "typed",
            "signed_name": pat.person.full_name,
            "sign": "1",
        },
    )
    assert signed.status_code == 302
    from trellis.sharing.models import Consent

    consent = Consent.objects.get(person=pat.person)
    assert consent.recipient_organization == service.organization
    assert consent.recipient_name == service.organization.name
    client.logout()
    sign_in(client, nia)
    assert (
        "consent on file"
        in client.get(reverse("referrals:person", args=[pat.public_id])).content.decode()
    )
    assert send(client, pat, service).status_code == 302


def test_a_referral_category_for_a_family_member_is_refused(client, pat):
    from trellis.core.consent import check_consent

    terms, problems = check_consent(
        {
            "recipient_kind": "person",
            "recipient_name": "My sister",
            "purpose": "support",
            "categories": ["referral"],
            "ends_on": timezone.localdate().isoformat(),
            "signature_method": "confirmed",
            "confirm": True,
        },
        today=timezone.localdate(),
        person_name="Pat Example",
    )
    assert terms is None
    assert problems.by_field["categories"] == "referral information only for an organisation"
