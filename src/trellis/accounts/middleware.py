"""Request-wide guards: the caller's address for the audit log, and the second factor for staff."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from trellis.audit.log import current_ip

# Paths a staff member may reach before the second factor is checked.
OPEN_PREFIXES = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/static/",
    "/i18n/",
    "/api/",
    "/fhir/",
)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class TwoFactorRequiredMiddleware:
    """Send a signed-in staff member to enrol or verify a TOTP code before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            from trellis.accounts.twofactor import has_confirmed_device

            target = (
                "accounts:two_factor" if has_confirmed_device(user) else "accounts:two_factor_setup"
            )
            return redirect(target)
        return self.get_response(request)
