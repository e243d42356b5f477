"""Adding people to the waitlist (prefilled from their latest completed intake), their needs on
the pages that show them, removing them with a reason, and the page of removals."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.conftest import sign_in
from tests.web.waitlist.conftest import completed_intake, someone, waiting
from trellis.audit.models import AuditEvent
from trellis.waitlist import actions
from trellis.waitlist.models import WaitlistEntry

FORM = {
    "level": "3.5",
    "need_weight": "2",
    "needs": "evening groups",
    "languages": "es, en",
    "insurance": "medicaid",
    "latitude": "39.79",
    "longitude": "-89.64",
    "max_travel_km": "40",
    "waiting_since": "2026-01-15",
}


def test_the_form_is_prefilled_from_the_latest_completed_intake(client, sam, pat, dana):
    completed_intake(pat.person, dana.user, urgent=True)
    sign_in(client, sam)

    response = client.get(f"/allocation/waitlist/new/?person={pat.public_id}")

    form = response.context["form"]
    assert response.status_code == 200
    assert {k: form.initial[k] for k in ("level", "languages", "insurance", "max_travel_km")} == {
        "level": "3.5",
        "languages": "es",
        "insurance": "medicare",
        "max_travel_km": 35,
    }
    assert (form.initial["latitude"], form.initial["longitude"]) == (39.81, -89.62)
    assert form.initial["needs"] == "group, evening hours"
    assert response.context["prefill"].groups["rurality"] == "rural"
    assert "Urgent intake." in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=sam.user, object_type="Intake", object_id=str(pat.public_id)
    ).exists()


def test_the_supervisor_adds_someone_with_their_groups_from_the_intake(client, sam, pat, dana):
    completed_intake(pat.person, dana.user)
    sign_in(client, sam)

    response = client.post("/allocation/waitlist/new/", {**FORM, "person": str(pat.public_id)})

    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.person, entry.level, entry.need_weight, entry.status) == (
        pat.person,
        "3.5",
        2.0,
        "waiting",
    )
    assert entry.languages == ["es", "en"]
    assert entry.location == {"lat": 39.79, "lon": -89.64}
    assert entry.groups["race_ethnicity"] == "hispanic"
    assert entry.needs == "evening groups"
    assert AuditEvent.objects.filter(action="create", object_type="WaitlistEntry").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("need_weight", "0", "Need weight must be a number greater than 0."),
        ("level", "5.0", "Level of care must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, 3.7, 4.0."),
        ("latitude", "-95", "Latitude must be a number from -90 to 90."),
        ("max_travel_km", "-3", "Maximum travel must be a number of kilometres greater than 0."),
        ("insurance", "gold", "Insurance must be one of the listed kinds."),
        ("languages", "", "Languages must be language codes separated by commas, e.g. en, es."),
        ("waiting_since", "someday", "Waiting since must be a date, today or earlier."),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client, sam, pat, field, value, message):
    sign_in(client, sam)

    response = client.post(
        "/allocation/waitlist/new/", {**FORM, "person": str(pat.public_id), field: value}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_a_date_in_the_future_is_refused(client, sam, pat):
    sign_in(client, sam)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(
        "/allocation/waitlist/new/",
        {**FORM, "person": str(pat.public_id), "waiting_since": tomorrow},
    )

    assert "Waiting since must be a date, today or earlier." in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_someone_already_waiting_is_not_added_twice(client, sam, pat):
    waiting(pat.person, sam.user)
    sign_in(client, sam)

    response = client.post("/allocation/waitlist/new/", {**FORM, "person": str(pat.public_id)})

    assert response.status_code == 400
    assert "This person is already on the waitlist." in response.content.decode()
    assert WaitlistEntry.objects.count() == 1


def test_the_picker_leaves_out_people_already_waiting(client, sam, pat, program):
    waiting(pat.person, sam.user)
    other = someone(program, "Robin")
    sign_in(client, sam)

    response = client.get("/allocation/waitlist/new/")

    assert list(response.context["people"]) == [other]


def test_an_unknown_person_is_404(client, sam, program):
    sign_in(client, sam)

    response = client.get("/allocation/waitlist/new/?person=not-a-uuid")

    assert response.status_code == 404


def test_removing_someone_needs_a_reason_and_is_audited(client, sam, pat):
    entry = waiting(pat.person, sam.user)
    sign_in(client, sam)
    url = f"/allocation/waitlist/{entry.public_id}/remove/"

    refused = client.post(url, {"reason": "   "})
    entry.refresh_from_db()
    assert refused.status_code == 400
    assert "Reason must be 1 to 500 characters." in refused.content.decode()
    assert entry.status == "waiting"

    client.post(url, {"reason": "Found a place elsewhere."})

    entry.refresh_from_db()
    assert (entry.status, entry.removed_reason) == ("removed", "Found a place elsewhere.")
    assert AuditEvent.objects.filter(
        action="update", object_type="WaitlistEntry", object_id=str(entry.public_id)
    ).exists()


def test_the_needs_show_in_the_waitlist_and_on_the_remove_page(client, sam, pat, quinn):
    entry = waiting(pat.person, sam.user)
    entry.needs = "Evening groups; childcare on Tuesdays"
    entry.save(update_fields=["needs"])
    waiting(quinn.person, sam.user)  # no needs given: no empty line for them
    sign_in(client, sam)

    overview = client.get("/allocation/").content.decode()
    remove = client.get(f"/allocation/waitlist/{entry.public_id}/remove/").content.decode()

    assert overview.count('data-testid="needs"') == 1
    assert "Evening groups; childcare on Tuesdays" in overview
    assert "Evening groups; childcare on Tuesdays" in remove
    assert 'href="/allocation/waitlist/removed/"' in overview


def removed(person, by, *, reason, at):
    entry = waiting(person, by)
    actions.remove_entry(entry, reason=reason, by=by)
    WaitlistEntry.objects.filter(pk=entry.pk).update(removed_at=at)
    return entry


def test_the_removed_page_lists_removals_latest_first_with_their_reasons(
    client, sam, pat, quinn, program
):
    earlier = timezone.make_aware(datetime(2026, 3, 1, 9, 0))
    removed(pat.person, sam.user, reason="Moved out of state.", at=earlier)
    removed(quinn.person, sam.user, reason="Found a place elsewhere.", at=earlier + timedelta(1))
    before_the_date = removed(someone(program, "Robin"), sam.user, reason="Old.", at=None)
    waiting(pat.person, sam.user)  # waiting again: not a removal
    sign_in(client, sam)

    response = client.get("/allocation/waitlist/removed/")

    assert [e.person for e in response.context["entries"]] == [
        quinn.person,
        pat.person,
        before_the_date.person,
    ]
    text = response.content.decode()
    assert text.index("Found a place elsewhere.") < text.index("Moved out of state.")
    assert "not recorded" in text
    listed = AuditEvent.objects.get(actor=sam.user, action="list", object_type="Waitlist")
    assert listed.detail == {"status": "removed", "count": 3}
    assert listed.purpose == "operations"


def test_the_removed_page_speaks_spanish(client, sam, pat):
    entry = removed(pat.person, sam.user, reason="Se mudó.", at=None)
    WaitlistEntry.objects.filter(pk=entry.pk).update(needs="Grupos por la tarde")
    sign_in(client, sam)
    client.cookies["django_language"] = "es"

    text = client.get("/allocation/waitlist/removed/", HTTP_ACCEPT_LANGUAGE="es").text

    assert "Personas quitadas de la lista de espera" in text
    assert "No consta la fecha en que se quitó." in text
    assert "Necesidades:</span> Grupos por la tarde" in text


def test_removing_records_when(client, sam, pat):
    entry = waiting(pat.person, sam.user)

    actions.remove_entry(entry, reason="Declined the place.", by=sam.user)

    entry.refresh_from_db()
    assert timezone.now() - entry.removed_at < timedelta(minutes=1)


def test_nobody_removed_is_said(client, sam):
    sign_in(client, sam)

    response = client.get("/allocation/waitlist/removed/")

    assert "Nobody has been removed from the waitlist." in response.content.decode()


def test_only_the_supervisor_reaches_the_waitlist(client, dana, pat, nia):
    entry = waiting(pat.person, dana.user)
    for persona in (dana, nia, pat):
        sign_in(client, persona)

        assert client.get("/allocation/").status_code == 404
        assert client.get("/allocation/waitlist/removed/").status_code == 404
        assert (
            client.post(
                f"/allocation/waitlist/{entry.public_id}/remove/", {"reason": "x"}
            ).status_code
            == 404
        )

    entry.refresh_from_db()
    assert entry.status == "waiting"
