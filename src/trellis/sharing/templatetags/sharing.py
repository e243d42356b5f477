"""`{% shared_people %}`: on the family home, each person the family member supports and what
they share right now (category names only; the content is behind `access_shared`)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("sharing/_shared_people.html", takes_context=True)
def shared_people(context: dict[str, Any]) -> dict[str, Any]:
    from trellis.sharing.views import shared_people as rows

    request = context["request"]
    return {"people": rows(request.user)}
