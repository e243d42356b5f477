"""Demo sharing: the demo family member joined by the first person's invitation, a consent for
milestones and attendance, and a family session with a reply."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trellis.accounts.models import User
from trellis.people.models import Person
from trellis.sharing import actions
from trellis.sharing.models import FamilyLink, Reply


def load(person: Person, family: User, clinician: User, today: date) -> None:
    invitation, _raw = actions.invite(
        person, by=person.user, name=family.get_full_name(), relationship="sister"
    )
    link: FamilyLink = actions.accept(invitation, family)
    terms = actions.check(
        person,
        {
            "recipient_kind": "family_member",
            "recipient_link": str(link.public_id),
            "purpose": "so my sister can support my recovery",
            "categories": ["milestones", "attendance"],
            "ends_on": (today + timedelta(days=180)).isoformat(),
            "signature_method": "confirmed",
            "confirm": True,
        },
        by=person.user,
    )
    actions.create_consent(person, terms, by=person.user, language="en", text_shown="(demo)")
    starts = timezone.make_aware(datetime.combine(today + timedelta(days=4), time(17, 30)))
    session = actions.schedule_session(
        person,
        by=clinician,
        kind="family_therapy",
        starts_at=starts,
        minutes=60,
        place="Riverbend, room 2",
        invite=[link],
    )
    actions.reply(session.invites.get(), Reply.YES, by=family)
