"""Every API error is `{"error": {"code", "message", "field"}}`; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from trellis import errorpages
from trellis.core.errors import InvalidInput

log = logging.getLogger("trellis.api")


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class Error(Schema):
    error: ErrorBody


ERROR_REF = {"$ref": "#/components/schemas/Error"}
# The answers the handlers below give for any operation, whatever its own `response=`.
COMMON = {
    400: "Bad Request: the body is not JSON",
    401: "Unauthorized: no session and no valid token",
    413: "Content Too Large: the body is over the upload limit",
    422: "Unprocessable Content: a parameter or the body is not valid",
    429: "Too Many Requests: too many wrong API tokens from this address; see Retry-After",
}
# How long a throttled address waits (API_TOKEN_FAILURE_WINDOW_SECONDS), on every 429.
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the errors every operation can answer.

    A malformed id or query (422), a body that is not JSON (400) or over the size limit (413),
    a missing token (401) or too many wrong ones from one address (429) is answered by the
    handlers in `install` or the authentication, before the operation runs, so the operations
    do not declare them; the document must, or clients (and schemathesis) meet undocumented
    statuses.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        if "Error" not in schema.get("components", {}).get("schemas", {}):
            return schema
        for methods in schema["paths"].values():
            for operation in methods.values():
                document_common_errors(operation)
        return schema


def document_common_errors(operation: dict[str, Any]) -> None:
    statuses = []
    if operation.get("security"):
        statuses += [401, 429]  # a token is tried, so wrong ones are counted (auth.TokenAuth)
    if operation.get("requestBody") or any(map(may_be_invalid, operation.get("parameters", ()))):
        statuses.append(422)
    if operation.get("requestBody"):
        statuses += [400, 413]  # only an operation that reads its body meets an oversized one
    responses = operation.setdefault("responses", {})  # ninja's keys are ints
    for status in statuses:
        if status not in responses and str(status) not in responses:
            responses[status] = {
                "description": COMMON[status],
                "content": {"application/json": {"schema": ERROR_REF}},
                **({"headers": RETRY_AFTER} if status == 429 else {}),
            }


def may_be_invalid(parameter: dict[str, Any]) -> bool:
    """Whether some value of this parameter fails validation (any string fits a plain one)."""
    schema = {
        k: v for k, v in parameter.get("schema", {}).items() if k not in ("title", "description")
    }
    required_outside_path = parameter.get("required") and parameter.get("in") != "path"
    return bool(required_outside_path) or schema != {"type": "string"}


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

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error(
            api, request, 413, "too_large", f"The request body is larger than {limit} bytes."
        )

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        response = error(api, request, exc.status_code, "error", str(exc))
        if exc.status_code == 429:
            response["Retry-After"] = str(settings.API_TOKEN_FAILURE_WINDOW_SECONDS)
        return response

    @api.exception_handler(errorpages.DATABASE_UNAVAILABLE[0])
    @api.exception_handler(errorpages.DATABASE_UNAVAILABLE[1])
    def _unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.warning("API answered 503, the database is unavailable: %s", type(exc).__name__)
        message = str(errorpages.UNAVAILABLE)
        response = error(api, request, 503, "unavailable", message)
        response["Retry-After"] = str(errorpages.RETRY_AFTER_SECONDS)
        return response

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
