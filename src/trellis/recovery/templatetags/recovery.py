from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """`{{ labels|get:code }}`: the label for a code, or the code itself if there is none."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
