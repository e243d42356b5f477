from __future__ import annotations

from tests.conftest import sign_in
from trellis.audit.models import AuditEvent


def test_a_clinician_sees_only_their_own_caseload(client, pat, quinn, dana):
    sign_in(client, dana)

    response = client.get("/caseload/")

    assert response.status_code == 200
    assert str(pat.public_id) in response.text
    assert str(quinn.public_id) not in response.text
    assert AuditEvent.objects.filter(
        actor=dana.user, action="list", object_type="Caseload"
    ).exists()


def test_a_person_cannot_open_the_caseload(client, pat):
    sign_in(client, pat)

    assert client.get("/caseload/").status_code == 404


def test_a_staff_member_without_the_second_factor_is_sent_to_verify_it(client, dana):
    from tests.conftest import confirmed_device

    confirmed_device(dana.user)
    client.force_login(dana.user)

    response = client.get("/caseload/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"


def test_a_staff_member_without_a_device_is_sent_to_enrol(client, dana):
    client.force_login(dana.user)

    response = client.get("/caseload/")

    assert response["Location"] == "/accounts/two-factor/setup/"
