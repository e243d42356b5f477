"""Words of consent-scoped sharing that the core gives in plain English, marked for translation."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from trellis.core.consent import CATEGORY_SCOPE, Category, RecipientKind

CATEGORY_LABELS = {
    Category.ATTENDANCE: _("Attendance"),
    Category.MILESTONES: _("Milestones"),
    Category.PLAN_GOALS: _("Plan goals"),
    Category.CHECKIN_SUMMARIES: _("Check-in summaries"),
    Category.MEDICATIONS: _("Medications"),
    Category.DIAGNOSES: _("Diagnoses"),
    Category.SUBSTANCE_USE: _("Substance use"),
    Category.REFERRAL: _("Referral information"),
}

RECIPIENT_KINDS = {
    RecipientKind.FAMILY_MEMBER: _("A family member who joined by my invitation"),
    RecipientKind.PERSON: _("Another person (by name)"),
    RecipientKind.ORGANIZATION: _("An organisation"),
}

CORE_MESSAGES = [
    gettext_noop("the dates of scheduled sessions and whether you attended"),
    gettext_noop("days in your current recovery count and the milestones reached"),
    gettext_noop("the goals of your current treatment plan, their targets and dates"),
    gettext_noop(
        "weekly summaries of your check-ins: how many, average mood and average craving "
        "(never your notes)"
    ),
    gettext_noop("the medications for addiction treatment in your plan that you agreed to"),
    gettext_noop(
        "substance use disorder diagnoses and their severity, and mental health diagnoses "
        "recorded at your assessment"
    ),
    gettext_noop(
        "how many days you reported use in the last 30 days, and the dates of any return to use"
    ),
    gettext_noop("one of: family_member, person, organization"),
    gettext_noop("one of the family members who joined by invitation"),
    gettext_noop("the name of the person or organisation who receives"),
    gettext_noop("text of at most 200 characters"),
    gettext_noop("why the information is shared (for example 'to support me')"),
    gettext_noop(
        "one or more of: attendance, milestones, plan_goals, checkin_summaries, medications, "
        "diagnoses, substance_use"
    ),
    gettext_noop("today or a later date, not a date in the past"),
    gettext_noop("an end date, or an event that ends the consent"),
    gettext_noop("typed (type your full name) or confirmed"),
    gettext_noop("your full name, as it is on your record, to sign"),
    gettext_noop("a confirmation that you agree to this consent"),
    gettext_noop("a date (YYYY-MM-DD)"),
    gettext_noop("42 CFR part 2 prohibits unauthorized use or disclosure of these records."),
    gettext_noop(
        "This information is shared with you because of a written consent. Federal law does not "
        "allow you to share it with anyone else, or use it for another purpose, without that "
        "person's written consent."
    ),
    gettext_noop("a link that is still valid: this invitation has expired, was used or cancelled"),
    gettext_noop("the name of the family member you invite (at most 120 characters)"),
    gettext_noop("text of at most 60 characters"),
    gettext_noop("a consent in force in which the person names this family member"),
    gettext_noop("yes, maybe or no"),
    gettext_noop("a consent that ends with an event"),
]


def scope(category: Category) -> str:
    return gettext(CATEGORY_SCOPE[category])
