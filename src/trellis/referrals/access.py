from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.core.ids import parse_uuid
from trellis.people.access import access_for_referrals
from trellis.referrals.models import Referral


def access_referral(user: Any, referral_id: object) -> Referral:
    """The referral, if `user` works with its person's referrals; 404 otherwise (audited)."""
    public_id = parse_uuid(referral_id)
    row = (
        Referral.objects.filter(public_id=public_id)
        .select_related("person", "service__organization", "consent")
        .first()
        if public_id
        else None
    )
    access_for_referrals(user, row.person.public_id if row else "missing")
    if row is None:
        raise Http404
    return row
