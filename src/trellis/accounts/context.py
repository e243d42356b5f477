"""Navigation that differs by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trellis.core.access import Role

NAVIGATION: dict[Role, list[tuple[Any, str]]] = {
    Role.PERSON: [
        (_("My recovery"), "recovery:home"),
        (_("Questionnaires"), "assessments:self_report_list"),
        (_("Sharing"), "sharing:consents"),
        (_("Referrals"), "referrals:mine"),
    ],
    Role.CLINICIAN: [
        (_("Caseload"), "people:caseload"),
        (_("Referrals"), "referrals:worklist"),
        (_("Training"), "training:home"),
    ],
    Role.SUPERVISOR: [
        (_("Caseload"), "people:caseload"),
        (_("Break-glass review"), "people:break_glass_review"),
        (_("Training"), "training:home"),
        (_("Allocation"), "waitlist:overview"),
        (_("Quality"), "oversight:index"),
        (_("Exports"), "reporting:episodes"),
    ],
    Role.NAVIGATOR: [
        (_("Referrals"), "referrals:worklist"),
        (_("Services"), "directory:search"),
        (_("Events"), "directory:events"),
    ],
    Role.FAMILY: [(_("Family"), "family:home"), (_("Sessions"), "sharing:family_sessions")],
    Role.ADMIN: [
        (_("Home"), "home"),
        (_("Directory"), "directory:curate"),
        (_("Administration"), "admin:index"),
    ],
    Role.RESEARCHER: [(_("Home"), "home"), (_("Research export"), "reporting:research")],
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.role:
        return {"nav_links": []}
    links = [(label, reverse(name)) for label, name in NAVIGATION[Role(user.role)]]
    links.append((_("Account"), reverse("accounts:account")))
    return {"nav_links": links, "current_path": request.path}
