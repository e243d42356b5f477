"""Writes of consent-scoped sharing, each in one transaction with its audit entry.

Validation of a consent is the core's (`trellis.core.consent`); a refused write raises
InvalidInput naming the field, changes nothing and leaves a denied entry in the audit log.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import log as audit
from trellis.audit.models import Outcome
from trellis.core import consent as core
from trellis.core.access import Purpose, Role
from trellis.core.errors import InvalidInput
from trellis.directory.models import Organization
from trellis.people.models import Person
from trellis.recovery.actions import timeline
from trellis.sharing.models import (
    INVITATION_DAYS,
    Consent,
    FamilyLink,
    FamilySession,
    Invitation,
    MilestoneNotice,
    Reply,
    SessionInvitation,
    hash_token,
)

INVITATION_GONE = "a link that is still valid: this invitation has expired, was used or cancelled"


def refused(by: Any, what: str, person: Person | None, exc: InvalidInput) -> None:
    """Record a refused attempt (never the value that was refused)."""
    audit.record(
        by,
        "write",
        object_type=what,
        object_id=str(person.public_id) if person is not None else "unknown",
        outcome=Outcome.DENIED,
        detail={"field": exc.field},
    )


def linked_family(person: Person) -> dict[str, str]:
    return {
        str(link.public_id): link.name
        for link in FamilyLink.objects.active().filter(person=person).select_related("user")
    }


def directory_organization(hsds_id: str | None) -> dict[str, str]:
    """{HSDS id: name} of the directory organisation a consent names, or {} when none."""
    org = Organization.objects.filter(hsds_id=hsds_id).first() if hsds_id else None
    return {org.hsds_id: org.name} if org else {}


def disclosing_party(person: Person) -> str:
    return person.program.name


def check(person: Person, data: dict[str, Any], *, by: Any) -> core.Terms:
    terms, problems = core.check_consent(
        data,
        today=timezone.localdate(),
        person_name=person.full_name,
        linked=linked_family(person),
    )
    try:
        problems.raise_first()
    except InvalidInput as exc:
        refused(by, "Consent", person, exc)
        raise
    assert terms is not None
    return terms


@transaction.atomic
def create_consent(
    person: Person, terms: core.Terms, *, by: Any, language: str, text_shown: str
) -> Consent:
    link = (
        FamilyLink.objects.active().get(person=person, public_id=terms.recipient_link)
        if terms.recipient_link
        else None
    )
    organization = (
        Organization.objects.get(hsds_id=terms.recipient_organization)
        if terms.recipient_organization
        else None
    )
    consent = Consent.objects.create(
        person=person,
        disclosing_party=disclosing_party(person),
        recipient_kind=terms.recipient_kind,
        recipient_name=terms.recipient_name,
        recipient_link=link,
        recipient_organization=organization,
        purpose=terms.purpose,
        categories=[c.value for c in terms.categories],
        ends_on=terms.ends_on,
        end_event=terms.end_event,
        signature_method=terms.signature_method,
        signed_name=terms.signed_name,
        signed_by=by,
        language=language,
        text_shown=text_shown,
    )
    audit.record(
        by,
        "create",
        consent,
        detail={
            "person": str(person.public_id),
            "categories": consent.categories,
            "recipient_kind": consent.recipient_kind,
        },
    )
    return consent


@transaction.atomic
def revoke(consent: Consent, *, by: Any) -> Consent:
    """Revoke now: from this moment the consent covers nothing. Revoking twice changes nothing."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.revoked_at is None:
        locked.revoked_at, locked.revoked_by = timezone.now(), by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(by, "revoke", locked, detail={"person": str(locked.person.public_id)})
    return locked


@transaction.atomic
def record_end_event(consent: Consent, *, by: Any, on: date | None = None) -> Consent:
    """The event that ends the consent has happened (for example, treatment ended)."""
    if not consent.end_event:
        raise InvalidInput("end_event", "a consent that ends with an event")
    consent.end_event_on = on or timezone.localdate()
    consent.save(update_fields=["end_event_on"])
    audit.record(by, "update", consent, detail={"end_event": "happened"})
    return consent


def prepare_disclosure(consent: Consent, *, by: Any) -> None:
    """Staff disclose a consent's categories to its recipient: allowed only while it is in
    force, and recorded either way (a `disclose` entry is what the accounting lists)."""
    status = consent.status()
    allowed = status is core.Status.ACTIVE
    audit.record(
        by,
        "disclose",
        object_type="Disclosure",
        object_id=str(consent.person.public_id),
        outcome=Outcome.ALLOWED if allowed else Outcome.DENIED,
        purpose=Purpose.CONSENTED_DISCLOSURE if allowed else "",
        detail={"consent": str(consent.public_id), "categories": consent.categories}
        if allowed
        else {"consent": str(consent.public_id), "status": status.value},
    )
    if not allowed:
        raise InvalidInput("consent", "a consent in force")


# ---------------------------------------------------------------- invitations


def invite(
    person: Person,
    *,
    by: Any,
    name: str,
    relationship: str = "",
    consent: Consent | None = None,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """A one-time link, valid for seven days. Returns the invitation and the raw token, which is
    shown once and never stored. The clinician invites only a recipient the person has named in
    a consent in force (`consent`); the person may invite anyone."""
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise InvalidInput(
            "name", "the name of the family member you invite (at most 120 characters)"
        )
    if len(relationship) > 60:
        raise InvalidInput("relationship", "text of at most 60 characters")
    if Role(by.role) is not Role.PERSON and (
        consent is None
        or consent.person_id != person.pk
        or consent.status() is not core.Status.ACTIVE
        or consent.recipient_kind != core.RecipientKind.PERSON
    ):
        raise InvalidInput(
            "consent", "a consent in force in which the person names this family member"
        )
    raw = Invitation.new_token()
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            person=person,
            token_hash=hash_token(raw),
            invitee_name=name,
            relationship=relationship.strip(),
            consent=consent,
            created_by=by,
            created=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        audit.record(by, "create", invitation, detail={"person": str(person.public_id)})
    return invitation, raw


def find_invitation(raw: str) -> Invitation | None:
    """The pending invitation for this token, or None; a failed try is audited."""
    invitation = (
        Invitation.objects.select_related("person", "person__program")
        .filter(token_hash=hash_token(raw or ""))
        .first()
    )
    if invitation is None or invitation.state != "pending":
        audit.record(
            None,
            "read",
            object_type="Invitation",
            object_id=str(invitation.public_id) if invitation else "unknown",
            outcome=Outcome.DENIED,
            detail={"state": invitation.state if invitation else "unknown"},
        )
        return None
    return invitation


@transaction.atomic
def accept(invitation: Invitation, user: Any) -> FamilyLink:
    """Link the family member's account to the person; the token can never be used again."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.state != "pending":
        raise InvalidInput("invitation", INVITATION_GONE)
    link = FamilyLink.objects.active().filter(person=locked.person, user=user).first()
    if link is None:
        link = FamilyLink.objects.create(
            person=locked.person, user=user, relationship=locked.relationship
        )
    locked.used_at, locked.used_by = timezone.now(), user
    locked.save(update_fields=["used_at", "used_by"])
    if locked.consent is not None and locked.consent.recipient_link_id is None:
        consent = locked.consent
        consent.recipient_link = link
        consent.recipient_kind = core.RecipientKind.FAMILY_MEMBER
        consent.save(update_fields=["recipient_link", "recipient_kind"])
    audit.record(
        user,
        "create",
        link,
        detail={"person": str(locked.person.public_id), "invitation": str(locked.public_id)},
    )
    return link


@transaction.atomic
def join(invitation: Invitation, account: dict[str, Any]) -> Any:
    """A new family-member account from the invitation page, linked in the same transaction."""
    from trellis.accounts.models import User

    user = User(
        username=account["username"],
        first_name=account["first_name"],
        last_name=account.get("last_name", ""),
        email=account.get("email", ""),
        role=Role.FAMILY,
    )
    user.set_password(account["password"])
    user.save()
    audit.record(user, "create", user, object_type="User")
    accept(invitation, user)
    return user


@transaction.atomic
def cancel_invitation(invitation: Invitation, *, by: Any) -> None:
    if invitation.state == "pending":
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        audit.record(by, "cancel", invitation)


@transaction.atomic
def end_link(link: FamilyLink, *, by: Any) -> None:
    """The person stops the link: the family member's consents no longer reach anything."""
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])
        audit.record(by, "end", link, detail={"person": str(link.person.public_id)})


# ---------------------------------------------------------------- sessions


@transaction.atomic
def schedule_session(
    person: Person,
    *,
    by: Any,
    kind: str,
    starts_at: datetime,
    minutes: int,
    place: str,
    invite: list[FamilyLink],
) -> FamilySession:
    session = FamilySession.objects.create(
        person=person, kind=kind, starts_at=starts_at, minutes=minutes, place=place, scheduled_by=by
    )
    for link in invite:
        SessionInvitation.objects.create(session=session, link=link)
    audit.record(
        by, "create", session, detail={"person": str(person.public_id), "invited": len(invite)}
    )
    return session


@transaction.atomic
def reply(invite: SessionInvitation, answer: str, *, by: Any) -> SessionInvitation:
    if answer not in (Reply.YES, Reply.MAYBE, Reply.NO):
        raise InvalidInput("reply", "yes, maybe or no")
    invite.reply, invite.replied_at = answer, timezone.now()
    invite.save(update_fields=["reply", "replied_at"])
    audit.record(by, "update", invite, detail={"reply": answer})
    return invite


@transaction.atomic
def record_attendance(
    session: FamilySession, *, by: Any, person_attended: bool | None, family: dict[int, bool | None]
) -> FamilySession:
    session.person_attended = person_attended
    session.save(update_fields=["person_attended"])
    for invite in session.invites.all():
        if invite.pk in family:
            invite.attended = family[invite.pk]
            invite.save(update_fields=["attended"])
    audit.record(by, "update", session, detail={"attendance": "recorded"})
    return session


# ---------------------------------------------------------------- milestones


def milestone_news(link: FamilyLink, today: date | None = None) -> list[MilestoneNotice]:
    """Tell the family member of milestones reached in the current count, while a consent in
    force shares milestones with them; one notice per milestone, kept once told."""
    today = today or timezone.localdate()
    consents = [c for c in link.consents.all() if c.status(today) is core.Status.ACTIVE]
    covering = next((c for c in consents if core.Category.MILESTONES in c.category_list), None)
    if covering is None or link.ended_at is not None:
        return []
    line = timeline(link.person, today)
    if line.current is None:
        return []
    for milestone in line.reached:
        MilestoneNotice.objects.get_or_create(
            link=link,
            count_started=line.current.start,
            milestone=milestone,
            defaults={"consent": covering},
        )
    return list(MilestoneNotice.objects.filter(link=link, count_started=line.current.start))


def mark_seen(notices: list[MilestoneNotice]) -> None:
    MilestoneNotice.objects.filter(pk__in=[n.pk for n in notices]).update(seen_at=timezone.now())


def send_milestone_news(now: datetime | None = None) -> int:
    """Email each family member who has milestone news not yet emailed. The message names no
    one and no health information: it asks them to sign in. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for link in FamilyLink.objects.active().select_related("user", "person"):
        if not link.user.email or not link.user.is_active:
            continue
        news = [n.pk for n in milestone_news(link, now.date()) if n.emailed_at is None]
        if news and _email_news(link, news, now):
            sent += 1
    return sent


def _email_news(link: FamilyLink, news: list[int], now: datetime) -> bool:
    """Email the notices not yet emailed, holding them: a worker that runs at the same time
    skips them, and finds them emailed once this one commits. A failure after the email
    leaves them unmarked, to be sent again (once too often rather than never)."""
    with transaction.atomic():
        held = MilestoneNotice.objects.select_for_update(skip_locked=True).filter(
            pk__in=news, emailed_at__isnull=True
        )
        fresh = [n.pk for n in held]
        if not fresh:
            return False
        send_mail(
            "Trellis: news to celebrate",
            "Someone you support has news they chose to share with you. Sign in to Trellis to "
            f"see it: {_site_url(reverse('family:home'))}",
            None,
            [link.user.email],
        )
        MilestoneNotice.objects.filter(pk__in=fresh).update(emailed_at=now)
    return True


def _site_url(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path
