from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trellis.accounts.decorators import role_required
from trellis.alerts import actions
from trellis.alerts.access import access_alert
from trellis.core.access import Role
from trellis.core.errors import InvalidInput


@role_required(Role.CLINICIAN, Role.SUPERVISOR)
@require_POST
def acknowledge(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    return _act(
        request,
        alert_id,
        actions.acknowledge_alert,
        missing=_("Say what was done before acknowledging the alert; it stays open until then."),
        done=_("Alert acknowledged."),
    )


@role_required(Role.CLINICIAN, Role.SUPERVISOR)
@require_POST
def resolve(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    return _act(
        request,
        alert_id,
        actions.resolve_alert,
        missing=_("Say how the alert was resolved; it stays on the caseload until then."),
        done=_("Alert resolved."),
    )


def _act(
    request: HttpRequest, alert_id: UUID, act: Callable[..., Any], *, missing: str, done: str
) -> HttpResponse:
    """Acknowledge or resolve with a note, then go back to the page the clinician came from."""
    alert = access_alert(request.user, alert_id, write=True)
    note = request.POST.get("note", "").strip()
    back = request.META.get("HTTP_REFERER") or ""
    target = (
        back
        if back.startswith(f"{request.scheme}://{request.get_host()}/")
        else f"/people/{alert.person.public_id}/"
    )
    if not note:
        messages.error(request, missing)
        return redirect(target)
    try:
        act(alert, by=request.user, note=note)
    except InvalidInput as refused:
        messages.error(request, refused.message)
        return redirect(target)
    messages.success(request, done)
    return redirect(target)
