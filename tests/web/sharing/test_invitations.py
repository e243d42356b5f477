"""Invitations: a one-time link that expires; joining creates a family account linked to that
person only. Expired, reused and cancelled links say so, link nothing, and are audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import sign_in

NEW_ACCOUNT = {
    "first_name": "Fran",
    "last_name": "Example",
    "username": "fran.e",
    "email": "fran@example.org",
    "password": "a-long-pass-phrase-9",
    "password_again": "a-long-pass-phrase-9",
}


def invite(client, pat, **extra):
    sign_in(client, pat)
    response = client.post(
        "/me/sharing/invite/", {"name": "Fran", "relationship": "sister"} | extra
    )
    assert response.status_code == 200
    url = re.search(r'<code id="invitation-link"[^>]*>([^<]+)</code>', response.content.decode())
    client.logout()
    return url.group(1).replace("http://testserver", "")


def test_joining_links_a_new_family_account_to_that_person_only(client, pat, quinn, mailoutbox):
    from trellis.accounts.models import User
    from trellis.sharing.models import FamilyLink, Invitation

    link = invite(client, pat, email="fran@example.org")
    assert mailoutbox[0].to == ["fran@example.org"]
    assert link in mailoutbox[0].body
    assert "Pat" not in mailoutbox[0].body  # the email names nobody
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in link  # only the hash is stored

    landing = client.get(link)
    assert landing.status_code == 200
    assert "Pat invited you" in landing.content.decode()
    joined = client.post(link, NEW_ACCOUNT)

    assert joined.status_code == 302
    assert joined.url == "/family/"
    user = User.objects.get(username="fran.e")
    assert user.role == "family"
    assert [(fl.person, fl.relationship) for fl in FamilyLink.objects.filter(user=user)] == [
        (pat.person, "sister")
    ]
    invitation.refresh_from_db()
    assert invitation.used_by == user
    home = client.get("/family/").content.decode()
    assert "not sharing anything with you" in home
    assert client.get(f"/family/people/{quinn.public_id}/").status_code == 404


def test_a_reused_link_is_refused_and_audited(client, pat):
    from trellis.accounts.models import User
    from trellis.audit.models import AuditEvent

    link = invite(client, pat)
    client.post(link, NEW_ACCOUNT)
    client.logout()

    again = client.get(link)
    second = client.post(link, NEW_ACCOUNT | {"username": "someone"})

    assert again.status_code == 400
    assert second.status_code == 400
    assert "does not work" in again.content.decode()
    assert "Pat" not in again.content.decode()
    assert not User.objects.filter(username="someone").exists()
    denied = AuditEvent.objects.filter(object_type="Invitation", outcome="denied")
    assert denied.count() == 2
    assert denied.first().detail == {"state": "used"}


@pytest.mark.parametrize("how", ["expired", "cancelled", "made up"])
def test_expired_cancelled_or_unknown_links_show_nothing(client, pat, how):
    from trellis.accounts.models import User
    from trellis.sharing.models import FamilyLink, Invitation

    link = invite(client, pat)
    invitation = Invitation.objects.get()
    if how == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "cancelled":
        sign_in(client, pat)
        client.post(f"/me/sharing/invitations/{invitation.public_id}/cancel/")
        client.logout()
    else:
        link = "/join/not-a-real-token/"

    assert client.get(link).status_code == 400
    assert client.post(link, NEW_ACCOUNT).status_code == 400
    assert not User.objects.filter(username="fran.e").exists()
    assert not FamilyLink.objects.exists()


def test_bad_account_details_name_the_field_and_create_nothing(client, pat, fran):
    from trellis.accounts.models import User

    link = invite(client, pat)

    mismatch = client.post(link, NEW_ACCOUNT | {"password_again": "something-else-9"})
    taken = client.post(link, NEW_ACCOUNT | {"username": "fran"})

    assert mismatch.status_code == 400
    assert 'id="id_password_again_error"' in mismatch.content.decode()
    assert taken.status_code == 400
    assert 'id="id_username_error"' in taken.content.decode()
    assert not User.objects.filter(username="fran.e").exists()
    assert client.get(link).status_code == 200  # still usable once


def test_an_existing_family_account_accepts_while_signed_in(client, pat, fran):
    from trellis.sharing.models import FamilyLink

    link = invite(client, pat)
    sign_in(client, fran)
    assert client.post(link).status_code == 302
    assert FamilyLink.objects.get().user == fran.user


def test_other_roles_cannot_accept(client, pat, quinn, dana):
    link = invite(client, pat)
    for persona in (quinn, dana):
        sign_in(client, persona)
        assert client.post(link).status_code == 400
    from trellis.sharing.models import FamilyLink

    assert not FamilyLink.objects.exists()


def test_the_clinician_invites_only_someone_a_consent_in_force_names(client, pat, dana):
    from trellis.sharing import actions
    from trellis.sharing.models import Consent, Invitation

    sign_in(client, dana)
    refused = client.post(f"/people/{pat.public_id}/family/invite/", {"consent": "nothing"})
    assert refused.status_code == 302
    assert not Invitation.objects.exists()

    terms = actions.check(
        pat.person,
        {
            "recipient_kind": "person",
            "recipient_name": "Rosa Example",
            "purpose": "family therapy",
            "categories": ["attendance"],
            "ends_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "signature_method": "confirmed",
            "confirm": True,
        },
        by=pat.user,
    )
    consent = actions.create_consent(pat.person, terms, by=pat.user, language="en", text_shown="…")
    page = client.get(f"/people/{pat.public_id}/family/").content.decode()
    assert "Rosa Example" in page

    made = client.post(
        f"/people/{pat.public_id}/family/invite/", {"consent": str(consent.public_id)}
    )
    assert made.status_code == 200
    link = re.search(
        r'<code id="invitation-link"[^>]*>([^<]+)</code>', made.content.decode()
    ).group(1)
    client.logout()
    client.post(link.replace("http://testserver", ""), NEW_ACCOUNT | {"username": "rosa"})

    consent = Consent.objects.get()
    assert consent.recipient_kind == "family_member"
    assert consent.recipient_link.user.username == "rosa"
    assert client.get(f"/family/people/{pat.public_id}/attendance/").status_code == 200
    assert client.get(f"/family/people/{pat.public_id}/milestones/").status_code == 404


def test_the_person_can_unlink_a_family_member(client, pat, fran, fran_link):
    from tests.web.sharing.conftest import consent_for

    consent_for(pat, fran_link, ["milestones"])
    sign_in(client, pat)
    client.post(f"/me/sharing/family/{fran_link.public_id}/end/")

    sign_in(client, fran)
    assert client.get(f"/family/people/{pat.public_id}/milestones/").status_code == 404
    assert client.get("/family/").status_code == 200  # her own account and tools remain


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_an_invitation_without_a_proper_name_is_refused_and_nothing_is_made(client, pat, name):
    from trellis.audit.models import AuditEvent
    from trellis.sharing.models import Invitation

    sign_in(client, pat)
    response = client.post("/me/sharing/invite/", {"name": name, "relationship": "sister"})

    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert "invitation-link" not in response.content.decode()
    assert not Invitation.objects.exists()
    if name.strip():  # a blank name stops at the form; a too-long one at the action, audited
        assert AuditEvent.objects.get(object_type="Invitation", outcome="denied").detail == {
            "field": "name"
        }
