from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.core.ids import parse_uuid
from trellis.people.access import access_person
from trellis.plans.models import Plan


def access_plan(user: Any, plan_id: object, *, write: bool = False) -> Plan:
    """The plan version, if `user` may see (or change) its person's record; 404 otherwise, audited."""
    public_id = parse_uuid(plan_id)
    plan = (
        Plan.objects.filter(public_id=public_id).select_related("person").first()
        if public_id
        else None
    )
    access_person(user, plan.person.public_id if plan else "missing", write=write, what="Plan")
    if plan is None:
        raise Http404
    return plan
