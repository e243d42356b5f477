from __future__ import annotations

import re

from tests.conftest import sign_in
from trellis.accounts.models import ApiToken
from trellis.audit.models import AuditEvent


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_person_creates_a_token_sees_it_once_and_it_opens_the_api(client, pat):
    sign_in(client, pat)

    page = client.post("/accounts/tokens/", {"name": "my phone"})

    raw = re.search(r'data-testid="new-token">([^<]+)<', page.text)[1]
    stored = ApiToken.objects.get(user=pat.user)
    assert stored.key_hash != raw
    assert raw not in stored.hint
    client.logout()
    response = client.get("/api/v1/people", **bearer(raw))
    assert response.status_code == 200
    assert [p["id"] for p in response.json()] == [str(pat.public_id)]
    assert raw not in client.get("/accounts/", **bearer(raw)).text


def test_a_revoked_token_no_longer_opens_the_api(client, pat):
    sign_in(client, pat)
    raw = re.search(
        r'data-testid="new-token">([^<]+)<', client.post("/accounts/tokens/", {"name": "x"}).text
    )[1]
    token = ApiToken.objects.get()

    client.post(f"/accounts/tokens/{token.pk}/revoke/")

    client.logout()
    assert client.get("/api/v1/people", **bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(action="revoke", object_type="ApiToken").exists()


def test_a_token_without_a_name_is_refused(client, pat):
    sign_in(client, pat)

    response = client.post("/accounts/tokens/", {"name": ""})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, pat, quinn):
    sign_in(client, quinn)
    client.post("/accounts/tokens/", {"name": "quinn's"})
    token = ApiToken.objects.get()
    client.logout()
    sign_in(client, pat)

    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
