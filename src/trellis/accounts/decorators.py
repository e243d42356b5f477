from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from trellis.core.access import Role


def role_required(
    *roles: Role,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let only these roles in; anyone else gets the same 404 as a missing page (audited)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role not in roles:
                _audit_refusal(request, kwargs)
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _audit_refusal(request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """A role turned away from a page is a denied attempt: audited with the record's id."""
    from trellis.audit import log as audit
    from trellis.audit.models import Outcome

    ids = [str(value) for key, value in kwargs.items() if key.endswith("_id")]
    match = request.resolver_match
    audit.record(
        request.user,
        "read" if request.method in ("GET", "HEAD") else "write",
        object_type="Page",
        object_id=ids[0] if ids else "",
        outcome=Outcome.DENIED,
        detail={"view": match.view_name if match else ""},
    )
