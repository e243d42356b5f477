"""The REST API under /api/v1/ (contracts/api.md). Later capabilities add their routers here."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

import trellis
from trellis.api import (
    assessments,
    consents,
    directory,
    errors,
    monitoring,
    people,
    plans,
    recovery,
)
from trellis.api.auth import AUTH

api = errors.DocumentedAPI(
    title="Trellis API",
    version="1",
    description='Customized addiction-recovery care. Errors are {"error": {"code", "message", "field"}}.',
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=AUTH,
)
errors.install(api)

public = Router(tags=["health"])


class Health(Schema):
    status: str
    version: str


@public.get("/health", auth=None, response=Health)
def health(request: HttpRequest) -> Health:
    return Health(status="ok", version=trellis.__version__)


api.add_router("", public)
api.add_router("", people.router)
api.add_router("", assessments.public)
api.add_router("", assessments.router)
api.add_router("", plans.router)
api.add_router("", recovery.router)
api.add_router("", consents.router)
api.add_router("", monitoring.router)
api.add_router("", directory.public)
api.add_router("", directory.router)
