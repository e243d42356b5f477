"""The accounting of disclosures: who received what, when, and under which consent.

Read from the audit log, where every disclosure is an entry (action "disclose") that cannot be
changed or removed without breaking the hash chain; the consent gives the recipient's name.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from trellis.audit.models import AuditEvent, Outcome
from trellis.core import spreadsheet
from trellis.core.consent import Category
from trellis.people.models import Person
from trellis.sharing.models import Consent

VALUES = {c.value for c in Category}


@dataclass(frozen=True)
class Disclosure:
    at: datetime
    recipient: str
    received_by: str  # the family member's account, or the staff member who disclosed
    channel: str  # "portal" (the recipient read it on Trellis) or "prepared" (staff disclosed it)
    categories: tuple[Category, ...]
    consent: Consent | None


def disclosures(person: Person, limit: int = 500) -> list[Disclosure]:
    events = AuditEvent.objects.filter(
        action="disclose", object_id=str(person.public_id), outcome=Outcome.ALLOWED
    ).order_by("-seq")[:limit]
    events = list(events)
    ids = {e.detail.get("consent") for e in events}
    consents = {
        str(c.public_id): c
        for c in Consent.objects.filter(person=person, public_id__in=ids - {None})
    }
    rows = []
    for event in events:
        consent = consents.get(event.detail.get("consent"))
        names = event.detail.get("categories") or [event.detail.get("category")]
        rows.append(
            Disclosure(
                at=event.at,
                recipient=consent.recipient_name if consent else "",
                received_by=event.actor_username,
                channel="prepared" if event.object_type == "Disclosure" else "portal",
                categories=tuple(Category(n) for n in names if n in VALUES),
                consent=consent,
            )
        )
    return rows


def as_csv(rows: list[Disclosure]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "when",
            "recipient",
            "received_by",
            "channel",
            "categories",
            "consent",
            "purpose",
            "signed",
        ]
    )
    for row in rows:
        cells = [
            row.at.isoformat(timespec="seconds"),
            row.recipient,
            row.received_by,
            row.channel,
            " ".join(c.value for c in row.categories),
            str(row.consent.public_id) if row.consent else "",
            row.consent.purpose if row.consent else "",
            row.consent.signed_at.date().isoformat() if row.consent else "",
        ]
        writer.writerow(spreadsheet.row(cells))
    return out.getvalue()
