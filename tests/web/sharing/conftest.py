from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

# The authorization matrix's world (every URL's ids), for the family-role matrix.
from tests.web.test_authorization_matrix import world  # noqa: F401


@pytest.fixture
def fran_link(pat: Any, fran: Any) -> Any:
    """Fran, pat's sister, joined by pat's invitation (no consent yet)."""
    from trellis.sharing.models import FamilyLink

    return FamilyLink.objects.create(person=pat.person, user=fran.user, relationship="sister")


def consent_for(pat: Any, link: Any, categories: list[str], **changes: Any) -> Any:
    """A consent pat signs for fran through the actions (as the page does)."""
    from django.utils import timezone

    from trellis.sharing import actions

    data = {
        "recipient_kind": "family_member",
        "recipient_link": str(link.public_id),
        "purpose": "to support me",
        "categories": categories,
        "ends_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "signature_method": "confirmed",
        "confirm": True,
    } | changes
    terms = actions.check(pat.person, data, by=pat.user)
    return actions.create_consent(pat.person, terms, by=pat.user, language="en", text_shown="…")
