"""The family role against every page and endpoint, in each consent state: linked without a
consent, with a consent for some categories, after revocation, after expiry, after the end event.

Everything a family member may reach about a person is the shared view of the categories a
consent in force covers; every other URL answers as it does to a family member with no link.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import sign_in
from tests.web.sharing.conftest import consent_for
from tests.web.test_authorization_matrix import MATRIX, app_urls, concrete
from trellis.core.consent import Category

SHARED_VIEWS = ("sharing:shared", "sharing:shared_category", "api-v1:get_shared")
CONSENTED = ["attendance", "milestones"]


def answers(client, values):
    routes = {**app_urls(), "admin:index": "admin/"}
    return {name: client.get(concrete(route, values)).status_code for name, route in routes.items()}


def by_category(client, pat):
    return {
        c.value: (
            client.get(f"/family/people/{pat.public_id}/{c.value}/").status_code,
            client.get(f"/api/v1/people/{pat.public_id}/shared/{c.value}").status_code,
        )
        for c in Category
    }


def expected(shared: bool):
    return {
        name: (200 if shared else 404) if name in SHARED_VIEWS else row["family"]
        for name, row in MATRIX.items()
    }


@pytest.mark.usefixtures("world")
def test_family_member_sees_only_consented_categories_and_only_while_in_force(
    client, world, pat, fran, fran_link
):
    _personas, values = world
    values = values | {"category": "milestones"}
    sign_in(client, fran)
    nothing = {c.value: (404, 404) for c in Category}

    # Linked by invitation, no consent: nothing about pat.
    assert answers(client, values) == expected(shared=False)
    assert by_category(client, pat) == nothing

    # A consent for attendance and milestones: exactly those two.
    consent = consent_for(pat, fran_link, CONSENTED)
    assert answers(client, values) == expected(shared=True)
    assert by_category(client, pat) == {
        c.value: (200, 200) if c.value in CONSENTED else (404, 404) for c in Category
    }

    # Revoked: nothing again, at once.
    from trellis.sharing import actions

    actions.revoke(consent, by=pat.user)
    assert answers(client, values) == expected(shared=False)
    assert by_category(client, pat) == nothing

    # A new consent that has since expired (its end date passed): nothing.
    second = consent_for(pat, fran_link, ["milestones"])
    assert by_category(client, pat)["milestones"] == (200, 200)
    type(second).objects.filter(pk=second.pk).update(
        ends_on=timezone.localdate() - timezone.timedelta(days=1)
    )
    assert answers(client, values) == expected(shared=False)
    assert by_category(client, pat) == nothing

    # A consent ended by its event (for example, treatment ended): nothing.
    third = consent_for(pat, fran_link, ["milestones"], ends_on=None, end_event="when I finish")
    assert by_category(client, pat)["milestones"] == (200, 200)
    actions.record_end_event(third, by=pat.user)
    assert by_category(client, pat) == nothing


def test_a_consent_for_someone_else_or_another_person_gives_fran_nothing(
    client, pat, quinn, fran, fran_link
):
    from trellis.accounts.models import User
    from trellis.core.access import Role
    from trellis.sharing.models import FamilyLink

    other = FamilyLink.objects.create(
        person=pat.person, user=User.objects.create(username="gil", role=Role.FAMILY)
    )
    consent_for(pat, other, ["milestones"])
    sign_in(client, fran)

    assert by_category(client, pat)["milestones"] == (404, 404)
    assert client.get(f"/family/people/{quinn.public_id}/milestones/").status_code == 404


def test_a_refused_category_is_audited_and_discloses_nothing(client, pat, fran, fran_link):
    from trellis.audit.models import AuditEvent

    consent_for(pat, fran_link, ["milestones"])
    sign_in(client, fran)

    response = client.get(f"/api/v1/people/{pat.public_id}/shared/diagnoses")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    denied = AuditEvent.objects.filter(object_type="Shared", outcome="denied").last()
    assert denied.detail == {"category": "diagnoses"}
    assert denied.actor_username == "fran"
    assert not AuditEvent.objects.filter(action="disclose").exists()
