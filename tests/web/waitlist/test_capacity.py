"""The supervisor keeps each program's location, languages, insurance and capacity rows."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from trellis.audit.models import AuditEvent
from trellis.waitlist.models import Capacity

GOOD = {
    "level": "2.1",
    "service": "intensive outpatient",
    "slots": "3",
    "staff_hours_per_week": "45",
}


def test_the_supervisor_sets_a_programs_location_languages_and_insurance(client, sam, program):
    sign_in(client, sam)

    response = client.post(
        f"/allocation/programs/{program.public_id}/",
        {
            "latitude": "39.8",
            "longitude": "-89.6",
            "languages": "en, ES",
            "insurance": ["medicaid", "va"],
        },
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.latitude, program.longitude) == (39.8, -89.6)
    assert program.languages == ["en", "es"]
    assert program.insurance == ["medicaid", "va"]
    assert AuditEvent.objects.filter(action="update", object_type="Program").count() == 1


def test_a_capacity_row_is_added_then_changed_in_place(client, sam, program):
    sign_in(client, sam)
    url = f"/allocation/programs/{program.public_id}/capacity/"

    client.post(url, GOOD)
    client.post(url, {**GOOD, "slots": "5"})

    row = Capacity.objects.get()
    assert (row.level, row.service, row.slots) == ("2.1", "intensive outpatient", 5)
    assert [e.action for e in AuditEvent.objects.filter(object_type="Capacity")] == [
        "create",
        "update",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slots", "-1", "Open places must be a whole number, 0 or more."),
        ("slots", "three", "Open places must be a whole number, 0 or more."),
        ("slots", "2.5", "Open places must be a whole number, 0 or more."),
        ("level", "9.9", "Level of care must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, 3.7, 4.0."),
        (
            "staff_hours_per_week",
            "-4",
            "Staff hours per week must be a number, 0 or more, with at most one decimal.",
        ),
        ("service", "  ", "Service must be a short label of 1 to 60 characters."),
    ],
)
def test_a_bad_capacity_names_the_field_and_stores_nothing(
    client, sam, program, field, value, message
):
    sign_in(client, sam)

    response = client.post(
        f"/allocation/programs/{program.public_id}/capacity/", {**GOOD, field: value}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Capacity.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "91", "Latitude must be a number from -90 to 90."),
        ("longitude", "east", "Longitude must be a number from -180 to 180."),
        (
            "languages",
            "english!",
            "Languages must be language codes separated by commas, e.g. en, es.",
        ),
        ("insurance", "gold", "Insurance accepted must be one or more of the listed kinds."),
    ],
)
def test_a_bad_program_setting_names_the_field_and_changes_nothing(
    client, sam, program, field, value, message
):
    sign_in(client, sam)
    good = {"latitude": "39.8", "longitude": "-89.6", "languages": "en", "insurance": ["medicaid"]}

    response = client.post(f"/allocation/programs/{program.public_id}/", {**good, field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    program.refresh_from_db()
    assert (program.latitude, program.languages, program.insurance) == (None, [], [])


def test_a_clinician_cannot_change_capacity(client, dana, program):
    sign_in(client, dana)

    response = client.post(f"/allocation/programs/{program.public_id}/capacity/", GOOD)

    assert response.status_code == 404
    assert not Capacity.objects.exists()


def test_a_missing_program_is_404_and_the_attempt_is_audited(client, sam, program):
    sign_in(client, sam)

    response = client.get("/allocation/programs/7a0c63a4-8f3c-4f43-9d55-4a8f0c1d2e3f/")

    assert response.status_code == 404
    assert AuditEvent.objects.filter(object_type="Program", outcome="denied").count() == 1
