from typing import Any

from django import template
from django.utils.translation import get_language

from trellis.knowledge.content import localized
from trellis.recovery.templatetags.recovery import get

register = template.Library()


@register.filter
def local(text: Any) -> str:
    """`{{ topic.title|local }}`: an {en, es} text in the page's language."""
    return localized(text, (get_language() or "en")[:2]) if text else ""


# `{{ labels|get:code }}`, the same filter as the person's pages.
register.filter("get", get)
