"""What the content files of the person's and the family's tools share: two languages, one
error type naming the file, entry and field, and the checks of a text and a required field."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "es")

Text = dict[str, str]  # {"en": …, "es": …}


class ContentError(ValueError):
    pass


def localized(text: Text, language: str) -> str:
    return text.get(language) or text["en"]


def text(value: Any, where: str) -> Text:
    """An {en, es} text with both languages present and not blank."""
    if not isinstance(value, dict) or any(
        not isinstance(value.get(k), str) or not value[k].strip() for k in LANGUAGES
    ):
        raise ContentError(f"{where}: needs text in {' and '.join(LANGUAGES)}")
    return {k: value[k].strip() for k in LANGUAGES}


def required(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {key} is required")
    return value.strip()
