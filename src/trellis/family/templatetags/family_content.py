from typing import Any

from django import template
from django.utils.translation import get_language

from trellis.knowledge.family import localized

register = template.Library()


@register.filter
def local(text: Any) -> str:
    """`{{ topic.title|local }}`: an {en, es} text in the page's language."""
    return localized(text, (get_language() or "en")[:2]) if text else ""


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """`{{ labels|get:code }}`: the entry for a key, or the key itself if there is none."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
