"""The form renderer: Django's standard widgets written in Python, the HTML their templates write.

Through the template engine a widget costs about 0.1 ms an element: the check-in form's three
selects of strategies, its triggers and its radios took 11 ms. Any other template, a widget
whose options have templates of their own, or a widget template a project app overrides is
rendered by Django as before. tests/web/test_form_renderer.py holds each writer to its template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
INPUTS = (
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "search",
    "tel",
    "date",
    "datetime",
    "time",
    "color",
    "checkbox",
)


def _text(value: Any) -> str:
    """`{{ value }}`: localized, then escaped unless already safe."""
    return conditional_escape(str(localize(template_localtime(value))))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: as text, escaped unless already safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>\n'


def _input_option(option: Mapping[str, Any]) -> str:
    """django/forms/widgets/radio_option.html and checkbox_option.html"""
    if not option["wrap_label"]:
        return _input(option) + "\n\n"
    target = option["attrs"].get("id")
    label_for = f' for="{_text(target)}"' if target else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n\n"


def _multiple_input(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/radio.html and checkbox_select.html"""
    target, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(target)}"' if target else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        parts += [f"<div>\n    {_input_option(option)}</div>" for option in options]
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{_text(group)}">')
        parts += [
            f'\n  <option value="{_formatted(o["value"])}"{_attrs(o["attrs"])}>'
            f"{_text(o['label'])}</option>\n"
            for o in options
        ]
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


Writer = Callable[[Mapping[str, Any]], str]
# Each widget template, with the option template its writer writes (None: it has no options).
WRITERS: dict[str, tuple[Writer, str | None]] = {
    f"{WIDGETS}{name}.html": (_input, None) for name in INPUTS
} | {
    f"{WIDGETS}select.html": (_select, f"{WIDGETS}select_option.html"),
    f"{WIDGETS}radio.html": (_multiple_input, f"{WIDGETS}radio_option.html"),
    f"{WIDGETS}checkbox_select.html": (_multiple_input, f"{WIDGETS}checkbox_option.html"),
    f"{WIDGETS}textarea.html": (_textarea, None),
}
DJANGO_TEMPLATES = Path(django.forms.__file__).parent / "templates"


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer, option_template = self._writers.get(template_name, (None, None))
        widget = context.get("widget")
        if writer is None or widget is None or not _options_are(widget, option_template):
            return super().render(template_name, context, request)
        return writer(widget).strip()

    @cached_property
    def _writers(self) -> dict[str, tuple[Writer, str | None]]:
        """The writers of the templates that are Django's own (no app overrides them)."""
        return {
            name: writer
            for name, writer in WRITERS.items()
            if all(_is_djangos(self.get_template(t)) for t in (name, writer[1]) if t)
        }


def _options_are(widget: Mapping[str, Any], template: str | None) -> bool:
    if template is None:
        return True
    return all(o["template_name"] == template for _, group, _ in widget["optgroups"] for o in group)


def _is_djangos(template: Any) -> bool:
    return Path(template.origin.name).is_relative_to(DJANGO_TEMPLATES)
