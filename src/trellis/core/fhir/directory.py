"""Directory entries as FHIR R4 HealthcareService, and referrals as ServiceRequest.

The inputs are plain mappings (a directory row's fields; a referral's), so the core stays free
of the database. Each resource is validated by fhir.resources on the way out; the codes below
are the ones FHIR R4 binds these elements to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.servicerequest import ServiceRequest

from trellis.core.fhir.careplan import INTERVENTIONS

HSDS = "urn:openreferral:hsds:id"
LANGUAGES = "urn:ietf:bcp:47"
# service-provision-conditions (HL7 terminology): free, discounts available, fees apply.
PROVISION = "http://terminology.hl7.org/CodeSystem/service-provision-conditions"
DAYS = {"MO": "mon", "TU": "tue", "WE": "wed", "TH": "thu", "FR": "fri", "SA": "sat", "SU": "sun"}
# SNOMED CT 3457005 "Patient referral (procedure)": the category FHIR's examples use.
REFERRAL = {"system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral"}
# Referral status → ServiceRequest.status (request-status: active, revoked, completed …).
REQUEST_STATUS = {
    "sent": "active",
    "accepted": "active",
    "scheduled": "active",
    "no_show": "active",
    "attended": "completed",
    "declined": "revoked",
}


def healthcare_service(row: Mapping[str, Any]) -> dict[str, Any]:
    """One directory service: `row` has hsds_id, name, organization, active, categories
    (com.* code → name), languages, phone, url, email, description, eligibility, free,
    sliding_scale, schedules (HSDS) and locations (names)."""
    resource: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": _fhir_id(row["hsds_id"]),
        "identifier": [{"system": HSDS, "value": row["hsds_id"]}],
        "active": row["active"],
        "providedBy": {"display": row["organization"]},
        "category": [
            {"coding": [{"system": INTERVENTIONS, "code": code, "display": name}], "text": name}
            for code, name in row["categories"].items()
        ],
        "name": row["name"],
        "telecom": _telecom(row),
        "location": [{"display": name} for name in row.get("locations", ()) if name],
        "communication": [
            {"coding": [{"system": LANGUAGES, "code": code}]} for code in row["languages"]
        ],
        "serviceProvisionCode": _provision(row),
        "availableTime": _available(row.get("schedules") or ()),
    }
    if row.get("description"):
        resource["comment"] = row["description"]
    if row.get("eligibility"):
        resource["eligibility"] = [{"comment": row["eligibility"]}]
    resource = {k: v for k, v in resource.items() if v not in ([], None, "")}
    return HealthcareService.model_validate(resource).model_dump(mode="json", exclude_none=True)


def service_request(row: Mapping[str, Any]) -> dict[str, Any]:
    """One referral: `row` has id, status, outcome, need (com.* code), need_name, reason,
    person_id, service_id, service_name, consent_id, created (ISO), appointment_at (ISO or None)."""
    status = REQUEST_STATUS.get(row["status"]) or (
        "completed" if row.get("outcome") in ("need_met", "partly_met") else "revoked"
    )
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": row["id"],
        "status": status,
        "intent": "order",
        "category": [{"coding": [REFERRAL]}],
        "code": {
            "coding": [{"system": INTERVENTIONS, "code": row["need"], "display": row["need_name"]}],
            "text": row["need_name"],
        },
        "subject": {"reference": f"Patient/{row['person_id']}"},
        "authoredOn": row["created"],
        "performer": [
            {
                "reference": f"HealthcareService/{_fhir_id(row['service_id'])}",
                "display": row["service_name"],
            }
        ],
        "reasonCode": [{"text": row["reason"]}],
        "supportingInfo": [{"reference": f"Consent/{row['consent_id']}"}],
    }
    if row.get("appointment_at"):
        resource["occurrenceDateTime"] = row["appointment_at"]
    return ServiceRequest.model_validate(resource).model_dump(mode="json", exclude_none=True)


def _fhir_id(hsds_id: str) -> str:
    """FHIR ids are [A-Za-z0-9-.]{1,64}: other characters become '-', long ids are cut."""
    cleaned = "".join(c if c.isalnum() or c in "-." else "-" for c in hsds_id)
    return cleaned[:64] or "unknown"


def _telecom(row: Mapping[str, Any]) -> list[dict[str, str]]:
    pairs = (("phone", row.get("phone")), ("url", row.get("url")), ("email", row.get("email")))
    return [{"system": system, "value": value} for system, value in pairs if value]


def _provision(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    codes = [("free", "Free")] if row.get("free") else []
    codes += [("disc", "Discounts Available")] if row.get("sliding_scale") else []
    return [{"coding": [{"system": PROVISION, "code": c, "display": d}]} for c, d in codes]


def _available(schedules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    times = []
    for s in schedules:
        days = [DAYS[d.strip()] for d in (s.get("byday") or "").split(",") if d.strip() in DAYS]
        if not days or not s.get("opens_at") or not s.get("closes_at"):
            continue
        times.append(
            {
                "daysOfWeek": days,
                "availableStartTime": _hms(s["opens_at"]),
                "availableEndTime": _hms(s["closes_at"]),
            }
        )
    return times


def _hms(value: str) -> str:
    return value if value.count(":") == 2 else f"{value}:00"
