"""Property-based fuzzing of the whole /api/v1/ OpenAPI document with schemathesis, as each role.

Each role signs with a token made by the code `trellis token create` uses, over the
authorization matrix's world (plus a consent pat gave fran), and path ids are drawn both from
that world and at random, so requests reach real records as well as missing ones. For every
answer: no server error, a documented status code, a documented content type, and a body that
matches the documented schema. The FHIR QuestionnaireResponse create, which reads its body
itself and so is outside the document, is fuzzed with Hypothesis below.

Bounded and reproducible: a fixed seed, no example database, no deadline, and
TRELLIS_FUZZ_EXAMPLES examples per operation and role (a few here; `make fuzz` runs many).
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.core.test_fhir_questionnaire import response
from tests.web.sharing.conftest import consent_for
from tests.web.test_authorization_matrix import world  # noqa: F401 - a fixture, used by name
from trellis.accounts import actions as accounts

ROLES = ["person", "clinician", "supervisor", "family", "navigator", "admin", "researcher"]
EXAMPLES = int(os.environ.get("TRELLIS_FUZZ_EXAMPLES", "5"))
SEED = 20261205
NEGATIVE = schemathesis.GenerationMode.NEGATIVE
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's own WSGI handler, in this thread, inside each test's transaction.

    A real request closes "old" database connections when it starts and ends, which would
    close the test's connection mid-transaction; Django's test client avoids that the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def operations(wsgi_app: WSGIHandler) -> list[Any]:
    """Every operation of the document the app serves (loading it reads no database)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def fuzz_world(request: pytest.FixtureRequest, fran: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The matrix's personas and ids by path-parameter name; fran is linked to pat and sees
    pat's milestones."""
    from trellis.sharing.models import FamilyLink

    personas, ids = request.getfixturevalue("world")
    link = FamilyLink.objects.create(person=personas["person"].person, user=fran.user)
    consent_for(personas["person"], link, ["milestones"])
    return personas, ids


def with_real_ids(operation: Any, ids: dict[str, str]) -> st.SearchStrategy[Any]:
    """Cases whose path ids are sometimes the world's records, sometimes generated."""
    names = [p.name for p in operation.path_parameters if p.name in ids]
    picks = st.fixed_dictionaries({n: st.sampled_from([None, ids[n]]) for n in names})

    def apply(pair: tuple[Any, dict[str, str | None]]) -> Any:
        case, chosen = pair
        case.path_parameters = {
            **(case.path_parameters or {}),
            **{k: v for k, v in chosen.items() if v is not None},
        }
        return case

    return st.tuples(cases(operation), picks).map(apply)


@functools.cache
def cases(operation: Any) -> st.SearchStrategy[Any]:
    """Valid and invalid requests for one operation, built once for all the roles."""
    return st.one_of(operation.as_strategy(), operation.as_strategy(NEGATIVE))


def fuzz(operation: Any, token: str, ids: dict[str, str], seen: Counter[int]) -> list[str]:
    """Run one operation EXAMPLES times; count the statuses, return the failures."""
    failures: list[str] = []

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=with_real_ids(operation, ids))
    def run(case: Any) -> None:
        try:
            answer = case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
            )
        except FailureGroup as group:
            failures.extend(f"{operation.label}: {f.title}: {f.message}" for f in group.exceptions)
        else:
            seen[answer.status_code] += 1

    run()
    return failures


def test_every_operation_answers_as_documented_for_every_role(operations, fuzz_world):
    """One world for all the roles, fuzzed one role after the other (a world takes seconds)."""
    personas, ids = fuzz_world
    failures, statuses = [], {}
    for role in ROLES:
        token = accounts.create_token(personas[role].user, "fuzz")  # as `trellis token create`
        statuses[role] = Counter()
        for operation in operations:
            # Only answers that needed the token count: public ones would hide a refused token.
            seen = statuses[role] if operation.definition.raw.get("security") else Counter()
            failures += [f"{role} {line}" for line in fuzz(operation, token, ids, seen)]

    assert len(operations) > 40
    assert sorted(set(failures)) == []
    # Every role's token was accepted and reached records, not only 401s and 404s.
    assert all(seen[200] >= EXAMPLES for seen in statuses.values()), statuses


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 30) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def questionnaire_responses(person_id: str) -> st.SearchStrategy[Any]:
    """Valid PHQ-9 QuestionnaireResponses, the same with one part or one answer replaced by any
    JSON, and any JSON at all."""
    subject = {"reference": f"Patient/{person_id}"}
    valid = st.lists(st.integers(0, 3), min_size=9, max_size=9).map(
        lambda answers: {**response("phq9", answers), "subject": subject}
    )
    part = st.sampled_from(["resourceType", "status", "subject", "questionnaire", "item"])
    one_part = st.tuples(valid, part, JSON).map(lambda t: {**t[0], t[1]: t[2]})
    answer = st.fixed_dictionaries(
        {},
        optional={
            "valueInteger": st.integers(-2, 40) | JSON,
            "valueBoolean": JSON,
            "valueCoding": st.fixed_dictionaries({"code": st.sampled_from(["0", "4", "x"])}),
        },
    )
    item = st.fixed_dictionaries(
        {"linkId": st.sampled_from(["1", "9", "10", "0"]) | JSON},
        optional={"answer": st.lists(answer, max_size=2) | JSON},
    )
    one_item = st.tuples(valid, st.integers(0, 8), item | JSON).map(
        lambda t: {**t[0], "item": [*t[0]["item"][: t[1]], t[2], *t[0]["item"][t[1] + 1 :]]}
    )
    return valid | one_part | one_item | JSON


def test_a_fhir_questionnaire_response_never_makes_a_server_error(client, pat, dana):
    """The FHIR endpoint reads its body itself, so it is outside the OpenAPI run: fuzz it here."""
    token = accounts.create_token(dana.user, "fuzz")
    statuses: Counter[int] = Counter()

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES * 20,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(resource=questionnaire_responses(str(pat.public_id)))
    def post(resource: Any) -> None:
        response = client.post(
            "/fhir/QuestionnaireResponse",
            json.dumps(resource),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code in (201, 404, 422), response.content
        assert set(response.json()) == (
            {"error"} if response.status_code >= 400 else set(response.json())
        )
        statuses[response.status_code] += 1

    post()

    assert statuses[422] > 0, statuses
    assert statuses[201] > 0, statuses
