"""A database that cannot answer (here SQLite's "database is locked", as any OperationalError)
gives a 503 with Retry-After: a plain page, or the API's JSON error, never a stack trace.
test_database_outage.py proves the same against a PostgreSQL that really goes away."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError

from tests.conftest import sign_in

MESSAGE = (
    "Trellis cannot reach its records just now. Please try again in a minute; "
    "nothing is ever saved in part."
)


def unreachable(error: type[Exception]):
    def fail(*args: object, **kwargs: object) -> None:
        raise error("database is locked")

    return fail


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_a_plain_503_page(client, pat, monkeypatch, error):
    monkeypatch.setattr("trellis.recovery.views.own_person", unreachable(error))
    client.raise_request_exception = False
    sign_in(client, pat)

    response = client.get("/me/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Trellis is briefly unavailable" in text
    assert MESSAGE in text
    assert "database is locked" not in text
    assert "Pat" not in text


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_api_call_answers_the_contract_json_error_with_503(client, pat, monkeypatch, error):
    monkeypatch.setattr("trellis.api.recovery.access_person", unreachable(error))
    sign_in(client, pat)

    response = client.get(f"/api/v1/people/{pat.public_id}/checkins")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"error": {"code": "unavailable", "message": MESSAGE, "field": None}}


def test_any_other_error_is_still_a_500(client, pat, monkeypatch):
    monkeypatch.setattr("trellis.recovery.views.own_person", unreachable(RuntimeError))
    client.raise_request_exception = False
    sign_in(client, pat)

    response = client.get("/me/")

    assert response.status_code == 500
    assert "Retry-After" not in response
