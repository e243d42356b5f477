"""Directory entries as FHIR HealthcareService and referrals as ServiceRequest, validated."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.servicerequest import ServiceRequest

from tests.conftest import sign_in
from tests.web.directory.conftest import consent_to_refer, housing_service

SCHEMA = Path(__file__).resolve().parents[2] / "data" / "fhir.schema.json"


@cache
def validator() -> jsonschema.Draft6Validator:
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft6Validator(schema)


def assert_valid(resource: dict) -> None:
    errors = sorted(validator().iter_errors(resource), key=str)
    assert errors == [], [e.message for e in errors[:3]]


@pytest.mark.django_db
def test_a_directory_service_reads_as_a_valid_healthcare_service(client):
    service = housing_service(
        schedules=[{"freq": "WEEKLY", "byday": "MO,TU", "opens_at": "09:00", "closes_at": "17:00"}]
    )
    body = client.get(f"/fhir/HealthcareService/{service.hsds_id}").json()
    HealthcareService.model_validate(body)
    assert_valid(body)
    assert body["identifier"][0]["value"] == service.hsds_id
    assert body["category"][0]["coding"][0]["code"] == "com.housing"
    assert [c["coding"][0]["code"] for c in body["communication"]] == ["en", "es"]
    assert body["serviceProvisionCode"][0]["coding"][0]["code"] == "free"
    assert body["availableTime"] == [
        {
            "daysOfWeek": ["mon", "tue"],
            "availableStartTime": "09:00:00",
            "availableEndTime": "17:00:00",
        }
    ]


def test_a_referral_reads_as_a_valid_service_request_for_its_care_team(client, pat, nia, dana):
    from trellis.referrals import actions

    service = housing_service()
    consent = consent_to_refer(pat, service)
    referral = actions.send(pat.person, service, need="com.housing", reason="housing", by=dana.user)
    sign_in(client, nia)
    body = client.get(f"/fhir/ServiceRequest/{referral.public_id}").json()
    ServiceRequest.model_validate(body)
    assert_valid(body)
    assert (body["status"], body["intent"]) == ("active", "order")
    assert body["subject"]["reference"] == f"Patient/{pat.public_id}"
    assert body["supportingInfo"][0]["reference"] == f"Consent/{consent.public_id}"
    assert body["performer"][0]["reference"] == f"HealthcareService/{service.hsds_id}"
