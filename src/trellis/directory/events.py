"""The community calendar of peer-led events and activities, and its iCalendar export."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from trellis.audit import log as audit
from trellis.core import geo
from trellis.core.errors import InvalidInput
from trellis.directory.models import Event

MAX_TITLE = 200


def check(data: dict[str, Any]) -> dict[str, Any]:
    """A valid event from a form or API document, or InvalidInput naming the field."""
    title = str(data.get("title") or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput("title", f"the event's title, at most {MAX_TITLE} characters")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, datetime):
        raise InvalidInput("starts_at", "the date and time the event starts")
    if not isinstance(ends, datetime) or ends <= starts:
        raise InvalidInput("ends_at", "a date and time after the start")
    lat, lon = data.get("latitude"), data.get("longitude")
    if (lat is None) != (lon is None):
        raise InvalidInput(
            "longitude" if lon is None else "latitude", "both coordinates or neither"
        )
    if lat is not None:
        geo.Point(lat, lon)
    return {
        "title": title,
        "description": str(data.get("description") or "").strip(),
        "starts_at": starts,
        "ends_at": ends,
        "place": str(data.get("place") or "").strip()[:300],
        "latitude": lat,
        "longitude": lon,
        "peer_led": bool(data.get("peer_led", True)),
    }


@transaction.atomic
def create(data: dict[str, Any], *, by: Any) -> Event:
    event = Event.objects.create(**check(data), created_by=by)
    audit.record(by, "create", event)
    return event


def upcoming(now: datetime | None = None) -> Any:
    return Event.objects.filter(cancelled_at__isnull=True, ends_at__gte=now or timezone.now())


def ical(events: Iterable[Event], site: str) -> bytes:
    """RFC 5545 calendar of `events`; each UID is stable so calendar apps update, not duplicate."""
    calendar = Calendar()
    calendar.add("prodid", "-//Trellis//Community events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Trellis peer-led events")
    for row in events:
        item = VEvent()
        item.add("uid", f"{row.public_id}@{site}")
        item.add("dtstamp", row.created)
        item.add("dtstart", row.starts_at)
        item.add("dtend", row.ends_at)
        item.add("summary", row.title)
        if row.description:
            item.add("description", row.description)
        if row.place:
            item.add("location", row.place)
        if row.latitude is not None:
            item.add("geo", (row.latitude, row.longitude))
        calendar.add_component(item)
    return calendar.to_ical()
