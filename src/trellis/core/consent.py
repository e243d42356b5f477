"""Consent to share, in the spirit of 42 CFR Part 2: what a written consent must say, whether it
is in force, and the notice that goes with every disclosure.

A consent names the person, who may disclose, the recipient, the purpose, which categories of
information, an end date or an end event, the right to revoke and how, and the person's
signature (42 CFR 2.31(a)). It covers a category only while it is in force: signed, not revoked,
not past its end date, and its end event not yet recorded. Anything else is denied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from trellis.core.checkins import Problems


class Category(StrEnum):
    """The kinds of information a consent can cover (the "how much and what kind" of 2.31)."""

    ATTENDANCE = "attendance"
    MILESTONES = "milestones"
    PLAN_GOALS = "plan_goals"
    CHECKIN_SUMMARIES = "checkin_summaries"
    MEDICATIONS = "medications"
    DIAGNOSES = "diagnoses"
    SUBSTANCE_USE = "substance_use"
    REFERRAL = "referral"  # to an organisation only: what a referral to one of its services says


# A family member sees the categories above REFERRAL; a referral goes only to an organisation.
FAMILY_CATEGORIES = tuple(c for c in Category if c is not Category.REFERRAL)


# What each category discloses, exactly: the pages and the consent text use these words.
CATEGORY_SCOPE: dict[Category, str] = {
    Category.ATTENDANCE: "the dates of scheduled sessions and whether you attended",
    Category.MILESTONES: "days in your current recovery count and the milestones reached",
    Category.PLAN_GOALS: "the goals of your current treatment plan, their targets and dates",
    Category.CHECKIN_SUMMARIES: (
        "weekly summaries of your check-ins: how many, average mood and average craving "
        "(never your notes)"
    ),
    Category.MEDICATIONS: "the medications for addiction treatment in your plan that you agreed to",
    Category.DIAGNOSES: (
        "substance use disorder diagnoses and their severity, and mental health diagnoses "
        "recorded at your assessment"
    ),
    Category.SUBSTANCE_USE: (
        "how many days you reported use in the last 30 days, and the dates of any return to use"
    ),
    Category.REFERRAL: (
        "your name, date of birth and how to reach you, the need a referral to one of their "
        "services is for, and whether you kept the appointment"
    ),
}


class RecipientKind(StrEnum):
    FAMILY_MEMBER = "family_member"  # someone who joined Trellis by the person's invitation
    PERSON = "person"  # a named individual without an account (yet)
    ORGANIZATION = "organization"


class SignatureMethod(StrEnum):
    TYPED = "typed"  # the person typed their full name; the date is the signing date
    CONFIRMED = "confirmed"  # the signed-in person confirmed, which identifies them


class Status(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


# 42 CFR 2.32(a)(2): the short statement that must accompany every disclosure made with a
# consent, and a plain-language reading of it for family members.
REDISCLOSURE_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
REDISCLOSURE_PLAIN = (
    "This information is shared with you because of a written consent. Federal law does not "
    "allow you to share it with anyone else, or use it for another purpose, without that "
    "person's written consent."
)
NOTICE_SOURCE = "42 CFR 2.32(a)(2), as amended by the final rule of 16 February 2024 (89 FR 12472)"

MAX_TEXT = 200


@dataclass(frozen=True)
class Terms:
    """A consent's content, checked. `recipient_link` is the id of a linked family member."""

    recipient_kind: RecipientKind
    recipient_name: str
    recipient_link: str | None
    purpose: str
    categories: tuple[Category, ...]
    ends_on: date | None
    end_event: str
    signature_method: SignatureMethod
    signed_name: str
    recipient_organization: str | None = None  # the directory organisation's HSDS id


def check_consent(
    data: Mapping[str, Any],
    *,
    today: date,
    person_name: str,
    linked: Mapping[str, str] | None = None,
    organizations: Mapping[str, str] | None = None,
) -> tuple[Terms | None, Problems]:
    """Validate a consent document. `linked` maps each linked family member's id to their name;
    `organizations` maps the directory organisation the document names (if any) to its name.

    The recipient may be a linked family member (`recipient_link`), a directory organisation
    (`recipient_organization`), or a named person or organisation (`recipient_name`). An end
    date must not be in the past; an end event alone ("when I finish treatment") is allowed, as
    Part 2 permits either. Referral information goes only to an organisation.
    """
    problems = Problems()
    linked = linked or {}
    organizations = organizations or {}
    organization = data.get("recipient_organization") or None
    kind = _choice(data.get("recipient_kind"), RecipientKind)
    name = _text(data.get("recipient_name"))
    link = data.get("recipient_link") or None
    if kind is None:
        problems.add("recipient_kind", "one of: " + ", ".join(k.value for k in RecipientKind))
    elif kind is RecipientKind.FAMILY_MEMBER:
        if link not in linked:
            problems.add("recipient_link", "one of the family members who joined by invitation")
        else:
            name = linked[str(link)]
    elif organization is not None:
        link = None
        if kind is not RecipientKind.ORGANIZATION or organization not in organizations:
            problems.add("recipient_organization", "an organisation in the directory")
        else:
            name = organizations[str(organization)]
    else:
        link = None
        if not name:
            problems.add("recipient_name", "the name of the person or organisation who receives")
    if len(name) > MAX_TEXT:
        problems.add("recipient_name", "text of at most 200 characters")
    purpose = _text(data.get("purpose"))
    if not purpose:
        problems.add("purpose", "why the information is shared (for example 'to support me')")
    elif len(purpose) > MAX_TEXT:
        problems.add("purpose", "text of at most 200 characters")
    categories = _categories(data.get("categories"), problems)
    if Category.REFERRAL in categories and kind is not RecipientKind.ORGANIZATION:
        problems.add("categories", "referral information only for an organisation")
    ends_on = _date(data.get("ends_on"), problems)
    end_event = _text(data.get("end_event"))
    if len(end_event) > MAX_TEXT:
        problems.add("end_event", "text of at most 200 characters")
    if ends_on is not None and ends_on < today:
        problems.add("ends_on", "today or a later date, not a date in the past")
    if ends_on is None and not end_event and "ends_on" not in problems.by_field:
        problems.add("ends_on", "an end date, or an event that ends the consent")
    method = _choice(data.get("signature_method"), SignatureMethod)
    signed_name = _text(data.get("signed_name"))
    if method is None:
        problems.add("signature_method", "typed (type your full name) or confirmed")
    elif method is SignatureMethod.TYPED and _fold(signed_name) != _fold(person_name):
        problems.add("signed_name", "your full name, as it is on your record, to sign")
    elif method is SignatureMethod.CONFIRMED and data.get("confirm") is not True:
        problems.add("confirm", "a confirmation that you agree to this consent")
    if problems.by_field:
        return None, problems
    assert kind is not None
    assert method is not None
    terms = Terms(
        recipient_kind=kind,
        recipient_name=name,
        recipient_link=str(link) if link else None,
        purpose=purpose,
        categories=categories,
        ends_on=ends_on,
        end_event=end_event,
        signature_method=method,
        signed_name=signed_name if method is SignatureMethod.TYPED else person_name,
        recipient_organization=str(organization) if organization else None,
    )
    return terms, problems


def status(
    *,
    revoked: bool,
    ends_on: date | None,
    ended_by_event: bool,
    today: date,
) -> Status:
    """In force until revoked, until the end of its end date, or until its end event happens."""
    if revoked:
        return Status.REVOKED
    if ended_by_event or (ends_on is not None and ends_on < today):
        return Status.EXPIRED
    return Status.ACTIVE


@dataclass(frozen=True)
class InForce:
    """One consent as the access rule sees it."""

    consent_id: str
    categories: frozenset[Category]
    status: Status


def covering(consents: Iterable[InForce], category: Category) -> InForce | None:
    """The first consent in force that covers `category`, or None (default deny)."""
    for consent in consents:
        if consent.status is Status.ACTIVE and category in consent.categories:
            return consent
    return None


def shared_categories(consents: Iterable[InForce]) -> list[Category]:
    """Every category some consent in force covers, in the order of `Category`."""
    covered = {
        c for consent in consents if consent.status is Status.ACTIVE for c in consent.categories
    }
    return [c for c in Category if c in covered]


def _categories(value: object, problems: Problems) -> tuple[Category, ...]:
    allowed = "one or more of: " + ", ".join(c.value for c in Category)
    if not isinstance(value, list | tuple) or not value:
        problems.add("categories", allowed)
        return ()
    chosen = []
    for item in value:
        category = _choice(item, Category)
        if category is None:
            problems.add("categories", allowed)
            return ()
        if category not in chosen:
            chosen.append(category)
    return tuple(c for c in Category if c in chosen)


def _choice(value: object, kind: type[StrEnum]) -> Any:
    try:
        return kind(value)
    except ValueError:
        return None


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _fold(value: str) -> str:
    return " ".join(value.casefold().split())


def _date(value: object, problems: Problems) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add("ends_on", "a date (YYYY-MM-DD)")
    return None
