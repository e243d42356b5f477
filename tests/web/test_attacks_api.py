"""Attacks (issue 11): the API's document names the refusals its defences give.

Wrong API tokens from one address are throttled (429, with Retry-After) and a body over the
upload limit is refused (413) before any operation runs, so no operation declares them itself;
`trellis.api.errors.DocumentedAPI` adds them. Each is checked against what the API answers.
"""

from __future__ import annotations

import re
from typing import Any


def _operations(client: Any) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def _call(client: Any, method: str, path: str, **extra: Any) -> Any:
    """The operation at `path` with a made-up id in each path parameter."""
    url = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)
    return client.generic(method, url, **extra)


def test_the_api_document_lists_429_and_413_and_each_is_answered_where_listed(
    client, pat, settings
):
    from trellis.accounts import actions

    operations = _operations(client)
    secured = [(m, p) for m, p, op in operations if op.get("security")]
    with_body = [(m, p) for m, p, op in operations if op.get("requestBody")]
    for method, path, operation in operations:
        listed = operation["responses"]
        assert ("429" in listed) == bool(operation.get("security")), (method, path)
        assert ("413" in listed) == bool(operation.get("requestBody")), (method, path)
        if "429" in listed:
            assert "Retry-After" in listed["429"]["headers"], (method, path)
    assert len(secured) > 30
    assert len(with_body) > 10

    token = {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(pat.user, 'app')}"}
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    too_large = {
        (m, p): _call(client, m, p, data=huge, content_type="application/json", **token)
        for m, p in with_body
    }
    assert {k: r.status_code for k, r in too_large.items() if r.status_code != 413} == {}

    settings.API_TOKEN_FAILURE_LIMIT = 1
    client.get("/api/v1/people", HTTP_AUTHORIZATION="Bearer trl_guess")
    throttled = {(m, p): _call(client, m, p, **token).status_code for m, p in secured}
    assert {k: s for k, s in throttled.items() if s != 429} == {}
