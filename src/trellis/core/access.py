"""Who may see a person's record, and for what. The one rule every read of protected data
goes through; the Django edge works out the relationship and asks here."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class Role(StrEnum):
    PERSON = "person"
    CLINICIAN = "clinician"
    SUPERVISOR = "supervisor"
    FAMILY = "family"
    NAVIGATOR = "navigator"
    ADMIN = "admin"
    RESEARCHER = "researcher"


# Staff roles sign in with a second factor (TOTP).
STAFF_ROLES = frozenset(
    {Role.CLINICIAN, Role.SUPERVISOR, Role.NAVIGATOR, Role.ADMIN, Role.RESEARCHER}
)
# Roles that may ask for break-glass access to a record outside their care team.
BREAK_GLASS_ROLES = frozenset({Role.CLINICIAN, Role.SUPERVISOR})
# Roles that may serve on a person's care team.
CARE_TEAM_ROLES = frozenset({Role.CLINICIAN, Role.SUPERVISOR, Role.NAVIGATOR})
# Care-team roles that read the clinical record. A navigator serves on the team but sees a
# person only through consent-scoped sharing (referrals), which a later capability adds.
CLINICAL_ROLES = frozenset({Role.CLINICIAN, Role.SUPERVISOR})


class Relationship(StrEnum):
    SELF = "self"
    CARE_TEAM = "care_team"
    BREAK_GLASS = "break_glass"
    FAMILY = "family"  # a family member who joined by the person's invitation
    NONE = "none"


class Purpose(StrEnum):
    TREATMENT = "treatment"
    SELF_SERVICE = "self_service"
    BREAK_GLASS = "break_glass"
    OPERATIONS = "operations"
    CONSENTED_DISCLOSURE = "consented_disclosure"
    NAVIGATION = "navigation"  # finding services and following referrals up


def may_read(role: Role, relationship: Relationship) -> bool:
    """Return whether someone in `role` with `relationship` to a person may read their record.

    Family members, navigators, researchers and administrators see nothing of a person
    here; consent-scoped disclosure is added on top of this rule, never around it.
    """
    if relationship is Relationship.SELF:
        return role is Role.PERSON
    if relationship is Relationship.CARE_TEAM:
        return role in CLINICAL_ROLES
    if relationship is Relationship.BREAK_GLASS:
        return role in BREAK_GLASS_ROLES
    return False


def may_write(role: Role, relationship: Relationship) -> bool:
    """Clinical writes: the care team's clinicians and supervisors, and the person on their own
    record. Break-glass access is read-only: it exists to see, not to change."""
    if relationship is Relationship.CARE_TEAM:
        return role in CLINICAL_ROLES
    return relationship is Relationship.SELF and role is Role.PERSON


def may_receive(
    role: Role, relationship: Relationship, category: str, shared: Collection[str]
) -> bool:
    """Consent-scoped disclosure: a family member who joined by the person's invitation sees a
    category only while one of their consents in force covers it (`shared`, the categories
    those consents cover). Default deny: no link, no consent, another role: nothing. The care
    team reads the record by `may_read` instead; consent adds to this rule, never around it."""
    return role is Role.FAMILY and relationship is Relationship.FAMILY and category in shared


def may_refer(role: Role, relationship: Relationship) -> bool:
    """Referrals: everyone on the person's care team (navigators included) works with them;
    the person sees their own. What a referral sends is governed by consent, not by this."""
    if relationship is Relationship.SELF:
        return role is Role.PERSON
    return relationship is Relationship.CARE_TEAM and role in CARE_TEAM_ROLES


def may_break_glass(role: Role, relationship: Relationship) -> bool:
    return role in BREAK_GLASS_ROLES and relationship is Relationship.NONE


def purpose_for(relationship: Relationship) -> Purpose:
    return {
        Relationship.SELF: Purpose.SELF_SERVICE,
        Relationship.BREAK_GLASS: Purpose.BREAK_GLASS,
    }.get(relationship, Purpose.TREATMENT)
