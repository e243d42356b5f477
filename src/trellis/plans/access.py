from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from trellis.people.access import access_person
from trellis.plans.models import Plan


def access_plan(user: Any, plan_id: object, *, write: bool = False) -> Plan:
    """The plan version, if `user` may see (or change) its person's record; 404 otherwise, audited."""
    try:
        public_id = uuid.UUID(str(plan_id))
    except ValueError:
        public_id = None
    plan = (
        Plan.objects.filter(public_id=public_id).select_related("person").first()
        if public_id
        else None
    )
    access_person(user, plan.person.public_id if plan else "missing", write=write, what="Plan")
    if plan is None:
        raise Http404
    return plan
