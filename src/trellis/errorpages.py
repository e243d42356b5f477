"""Error pages: a plain message, never a stack trace. A 404 under /people/<id>/ offers a
clinician break-glass access, whether or not the record exists, so it reveals nothing.
A database that is unreachable or busy answers 503 with Retry-After, and the page is drawn without
touching the database, so it shows while the database is away."""

from __future__ import annotations

import re
import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

PERSON_PATH = re.compile(r"^/people/(?P<id>[0-9a-f-]{36})/")
# Lost or refused connections, and the transient failures (deadlock, lock or statement timeout)
# PostgreSQL and SQLite report as OperationalError: all pass, so the answer is "try again".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = _(
    "Trellis cannot reach its records just now. Please try again in a minute; "
    "nothing is ever saved in part."
)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/fhir/"))


def _page(
    request: HttpRequest, status: int, template: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    if _wants_json(request):
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}
        body = {"error": {"code": codes[status], "message": template.split(".")[0], "field": None}}
        return JsonResponse(body, status=status)
    return render(request, template, context or {}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, "400.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "403.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    match = PERSON_PATH.match(request.path)
    role = getattr(getattr(request, "user", None), "role", "")
    may_ask = (
        match is not None
        and role in ("clinician", "supervisor")
        and "break-glass" not in request.path
    )
    return _page(request, 404, "404.html", {"break_glass_id": match["id"] if may_ask else None})


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while it handles the exception, so the exception is at hand here.
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return unavailable(request)
    return _page(request, 500, "500.html")


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON under /api/ and /fhir/, else a page drawn without the request's
    context (no session, no user, no navigation), since each of those would ask the database."""
    if _wants_json(request):
        body = {"error": {"code": "unavailable", "message": str(UNAVAILABLE), "field": None}}
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
