"""Every API error is `{"error": {"code", "message", "field"}}`; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from trellis.core.errors import InvalidInput

log = logging.getLogger("trellis.api")


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class Error(Schema):
    error: ErrorBody


def error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "field": field}}, status=status
    )


def install(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error(
            api,
            request,
            401,
            "unauthorized",
            "Sign in, or send a personal API token as Authorization: Bearer <token>.",
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error(api, request, 404, "not_found", "No such record, or it is outside your reach.")

    @api.exception_handler(InvalidInput)
    def _invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        return error(api, request, 422, "invalid", exc.message, exc.field)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first: dict[str, Any] = exc.errors[0] if exc.errors else {}
        where = [str(p) for p in first.get("loc", ())[1:]]
        if where[:1] == ["payload"]:  # the body parameter's name is not part of the document
            where = where[1:]
        field = ".".join(where) or None
        message = f"{field or 'request'}: {first.get('msg', 'invalid input')}"
        return error(api, request, 422, "invalid", message, field)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error(api, request, exc.status_code, "error", str(exc))

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception(
            "API error on %s %s",
            request.method,
            request.resolver_match and request.resolver_match.route,
        )
        return error(
            api,
            request,
            500,
            "server_error",
            "Something went wrong on our side; nothing was changed.",
        )
