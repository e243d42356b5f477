from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from tests.conftest import sign_in
from trellis.audit.models import AuditEvent
from trellis.people.models import CareTeamMembership, Episode, Person


def test_a_clinician_registers_a_person_and_joins_their_care_team(client, dana, program):
    sign_in(client, dana)

    response = client.post(
        "/people/new/",
        {
            "program": program.pk,
            "given_name": "Río",
            "family_name": "Luna",
            "birth_date": "1988-02-29",
            "preferred_language": "es",
        },
    )

    person = Person.objects.get(given_name="Río")
    assert response["Location"] == f"/people/{person.public_id}/"
    assert CareTeamMembership.objects.active().filter(person=person, member=dana.user).exists()
    assert AuditEvent.objects.filter(
        action="create", object_type="Person", object_id=str(person.public_id)
    ).exists()


def test_registering_without_a_name_or_with_an_impossible_birth_date_stores_nothing(
    client, dana, program
):
    sign_in(client, dana)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()

    response = client.post(
        "/people/new/",
        {
            "program": program.pk,
            "given_name": "",
            "family_name": "Luna",
            "birth_date": future,
            "preferred_language": "es",
        },
    )

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Enter a date of birth for someone aged 10 to 110." in response.text
    assert not Person.objects.exists()


def test_a_clinician_admits_and_discharges_with_a_reason(client, pat, dana):
    sign_in(client, dana)
    url = f"/people/{pat.public_id}/episodes/"

    client.post(url, {"level_of_care": "2.1", "admitted_on": "2026-10-01"})
    client.post(
        url + "discharge/", {"discharged_on": "2026-11-01", "discharge_reason": "completed"}
    )

    episode = Episode.objects.get(person=pat.person)
    assert (episode.level_of_care, episode.discharged_on, episode.discharge_reason) == (
        "2.1",
        date(2026, 11, 1),
        "completed",
    )
    assert AuditEvent.objects.filter(
        object_type="Episode", action="update", detail={"discharge_reason": "completed"}
    ).exists()


def test_bad_episode_input_names_the_field_and_changes_nothing(client, pat, dana):
    sign_in(client, dana)
    url = f"/people/{pat.public_id}/episodes/"

    unknown_level = client.post(url, {"level_of_care": "9.9", "admitted_on": "2026-10-01"})
    assert unknown_level.status_code == 400
    assert "Select a valid choice. 9.9 is not one of the available choices." in unknown_level.text
    client.post(url, {"level_of_care": "1.0", "admitted_on": "2026-10-01"})
    second = client.post(url, {"level_of_care": "2.1", "admitted_on": "2026-10-02"})
    assert "one open episode at a time" in second.text
    early = client.post(
        url + "discharge/", {"discharged_on": "2026-09-01", "discharge_reason": "completed"}
    )
    assert "discharged_on must be a date on or after the admission date" in early.text
    no_reason = client.post(
        url + "discharge/", {"discharged_on": "2026-10-09", "discharge_reason": "bored"}
    )
    assert no_reason.status_code == 400

    assert list(Episode.objects.values_list("level_of_care", "discharged_on")) == [("1.0", None)]


def test_a_clinician_outside_the_team_cannot_admit(client, pat, eli):
    sign_in(client, eli)

    response = client.post(
        f"/people/{pat.public_id}/episodes/", {"level_of_care": "1.0", "admitted_on": "2026-10-01"}
    )

    assert response.status_code == 404
    assert not Episode.objects.exists()
    assert AuditEvent.objects.filter(actor=eli.user, action="write", outcome="denied").exists()


def test_the_care_team_adds_and_removes_a_member(client, pat, dana, eli):
    sign_in(client, dana)

    client.post(f"/people/{pat.public_id}/care-team/", {"member": "eli"})
    membership = CareTeamMembership.objects.active().get(person=pat.person, member=eli.user)
    twice = client.post(f"/people/{pat.public_id}/care-team/", {"member": "eli"})
    client.post(f"/people/{pat.public_id}/care-team/{membership.pk}/end/")

    assert "someone not already on the care team" in twice.text
    membership.refresh_from_db()
    assert membership.ended_on == timezone.localdate()


def test_a_family_member_cannot_be_put_on_a_care_team(client, pat, dana, fran):
    sign_in(client, dana)

    response = client.post(f"/people/{pat.public_id}/care-team/", {"member": "fran"})

    assert response.status_code == 400
    assert not CareTeamMembership.objects.filter(member=fran.user).exists()
