"""Directory curation records who changed what; the calendar exports iCalendar; open now."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.conftest import sign_in
from tests.web.directory.conftest import CHICAGO, consent_to_refer, housing_service
from trellis.audit.models import AuditEvent
from trellis.directory.models import Edit, Event
from trellis.directory.search import Query, search


def edit_form(service, **changes):
    base = {
        "name": service.name,
        "status": "active",
        "phone": "",
        "url": "",
        "email": "",
        "categories": ["com.housing"],
        "languages": "en, es",
        "free": "on",
    }
    return base | changes


def test_an_administrator_edits_a_service_and_each_changed_field_is_recorded(client, ada):
    service = housing_service()
    sign_in(client, ada)
    url = reverse("directory:service_edit", args=[service.hsds_id])
    response = client.post(url, edit_form(service, name="Harbor Housing Desk", phone="555-0199"))
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.phone, service.record["name"]) == (
        "Harbor Housing Desk",
        "555-0199",
        "Harbor Housing Desk",
    )
    edits = {e.field: (e.before, e.after, e.by.username) for e in Edit.objects.all()}
    assert edits == {
        "name": ("Harbor Housing svc-housing", "Harbor Housing Desk", ada.user.username),
        "phone": ("", "555-0199", ada.user.username),
    }
    assert AuditEvent.objects.filter(action="update", object_type="Service").exists()
    page = client.get(reverse("directory:curate")).content.decode()
    assert "Harbor Housing Desk" in page


def test_a_bad_edit_names_the_field_and_changes_nothing(client, ada):
    service = housing_service()
    sign_in(client, ada)
    url = reverse("directory:service_edit", args=[service.hsds_id])
    response = client.post(url, edit_form(service, minimum_age="30", maximum_age="18"))
    assert response.status_code == 400
    assert "maximum" in response.content.decode().lower()
    assert not Edit.objects.exists()


def test_a_service_marked_closed_leaves_search_and_cannot_be_referred_to(client, ada, pat, dana):
    from trellis.core.errors import InvalidInput
    from trellis.referrals import actions

    service = housing_service()
    consent_to_refer(pat, service)
    sign_in(client, ada)
    client.post(reverse("directory:service_verify", args=[service.hsds_id]))
    client.post(reverse("directory:service_close", args=[service.hsds_id]), {"closed": "1"})
    service.refresh_from_db()
    assert service.verified_at is not None
    assert service.closed_at is not None
    assert search(Query(*CHICAGO, category="com.housing")) == []
    with pytest.raises(InvalidInput) as refused:
        actions.send(pat.person, service, need="com.housing", reason="x", by=dana.user)
    assert refused.value.field == "service"
    assert [e.field for e in Edit.objects.order_by("at")] == ["verified_at", "closed_at"]


def test_open_now_keeps_services_open_at_that_moment_and_leaves_out_closed_and_unknown(db):
    weekdays = [
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00"}
    ]
    late = [{"freq": "WEEKLY", "byday": "FR", "opens_at": "22:00", "closes_at": "02:00"}]
    housing_service("day", schedules=weekdays, name="Day service")
    housing_service("night", schedules=late, name="Friday night service")
    housing_service("unknown", name="No hours listed")
    chicago = ZoneInfo("America/Chicago")
    tuesday_noon = datetime(2026, 12, 8, 12, 0, tzinfo=chicago)
    saturday_1am = datetime(2026, 12, 12, 1, 0, tzinfo=chicago)
    names = lambda when: [h.name for h in search(Query(*CHICAGO, open_at=when))]  # noqa: E731
    assert names(tuesday_noon) == ["Day service"]
    assert names(saturday_1am) == ["Friday night service"]
    assert {h.open_now for h in search(Query(*CHICAGO))} == {None}


def test_a_navigator_adds_an_event_and_the_calendar_exports_it_as_icalendar(client, nia):
    sign_in(client, nia)
    start = timezone.localtime() + timedelta(days=2)
    form = {
        "title": "Recovery walk",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Riverside Park",
        "peer_led": "on",
    }
    assert client.post(reverse("directory:event_new"), form).status_code == 302
    event = Event.objects.get()
    calendar = Calendar.from_ical(client.get(reverse("directory:events_ics")).content)
    [item] = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == "Recovery walk"
    assert str(item["UID"]).startswith(str(event.public_id))
    assert str(item["LOCATION"]) == "Riverside Park"
    assert item.decoded("DTEND") - item.decoded("DTSTART") == timedelta(hours=2)


def test_an_event_that_ends_before_it_starts_is_refused_naming_the_field(client, nia):
    sign_in(client, nia)
    start = timezone.localtime() + timedelta(days=2)
    form = {
        "title": "Backwards",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(reverse("directory:event_new"), form)
    assert response.status_code == 400
    assert "after the start" in response.content.decode()
    assert not Event.objects.exists()


def test_the_calendar_leaves_out_past_and_cancelled_events(client, nia):
    now = timezone.now()
    for title, starts, cancelled in (
        ("Past", now - timedelta(days=2), None),
        ("Cancelled", now + timedelta(days=2), now),
        ("Coming", now + timedelta(days=2), None),
    ):
        Event.objects.create(
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            created_by=nia.user,
            cancelled_at=cancelled,
        )
    page = client.get(reverse("directory:events")).content.decode()
    assert "Coming" in page
    assert "Past" not in page
    assert "Cancelled" not in page
