from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.alerts.models import Alert
from trellis.core.ids import parse_uuid
from trellis.people.access import access_person


def access_alert(user: Any, alert_id: object, *, write: bool = False) -> Alert:
    """The alert, if `user` may see its person's record; 404 otherwise (audited by access_person)."""
    public_id = parse_uuid(alert_id)
    if public_id is None:
        raise Http404
    alert = Alert.objects.filter(public_id=public_id).select_related("person").first()
    person_id = alert.person.public_id if alert is not None else public_id
    access_person(user, person_id, write=write, what="Alert")
    if alert is None:
        raise Http404
    return alert
