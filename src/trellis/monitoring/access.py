from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.core.ids import parse_uuid
from trellis.monitoring.models import Proposal
from trellis.people.access import access_person


def access_proposal(user: Any, proposal_id: object, *, write: bool = False) -> Proposal:
    """The proposal, if `user` may see (or decide on) its person's record; 404 otherwise
    (audited by access_person)."""
    public_id = parse_uuid(proposal_id)
    row = (
        Proposal.objects.filter(public_id=public_id).select_related("person").first()
        if public_id
        else None
    )
    access_person(user, row.person.public_id if row else "missing", write=write, what="Proposal")
    if row is None:
        raise Http404
    return row
