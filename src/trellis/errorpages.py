"""Error pages: a plain message, never a stack trace. A 404 under /people/<id>/ offers a
clinician break-glass access, whether or not the record exists, so it reveals nothing."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

PERSON_PATH = re.compile(r"^/people/(?P<id>[0-9a-f-]{36})/")


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
    return _page(request, 500, "500.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
