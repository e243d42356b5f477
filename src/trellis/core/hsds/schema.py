"""The HSDS 3.0 schemas in knowledge/hsds, compiled once into one check per kind of record.

The spec's schemas are JSON Schema without a `$schema` and with extras of their own: `$ref`s to
sibling files, `datapackage_type` (date, time, datetime) instead of a `format`, and
`tabular_required` for the links a flat record must carry. A record is checked flat: each
nested object is taken out and checked against its own schema (`json_source.py`), so a
property that nests is only checked to be an object (or a list of objects) here. The links
in `tabular_required` are required of every record, because a record without them belongs to
nothing in the directory.

jsonschema is the judge and words the problems. It costs about 30 µs a record, so a check
compiled from the same schema (type, enum and format, which is all the spec uses) lets the
valid majority through first; only a record it fails goes to jsonschema. A kind whose schema
uses any other keyword always goes to jsonschema. `text_check` is the same check for a CSV
cell, which is always text (`csv_source.Plan`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

SPEC = Path(__file__).resolve().parents[2] / "knowledge" / "hsds"

# The kinds read. `taxonomy` is read only to name the vocabulary of its terms.
KINDS = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "phone",
    "language",
    "schedule",
    "address",
    "accessibility",
    "service_area",
    "cost_option",
    "taxonomy_term",
    "taxonomy",
    "attribute",
)

DATAPACKAGE_FORMATS = {"date": "date", "time": "time", "datetime": "date-time"}
FAST_KEYWORDS = frozenset({"type", "enum", "format"})

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T" + TIME.pattern)


def _matches(pattern: re.Pattern[str]) -> Callable[[object], bool]:
    match = pattern.fullmatch

    def check(value: object) -> bool:
        # Like jsonschema's own format checks, a format says nothing of a value that is not text.
        return not isinstance(value, str) or match(value) is not None

    return check


def _parses(pattern: re.Pattern[str], parse: Callable[[str], object]) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not pattern.fullmatch(value):
            return False
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


FORMATS: dict[str, Callable[[object], bool]] = {
    "uuid": _matches(UUID),
    "email": _matches(EMAIL),
    "uri": _matches(URI),
    "date": _parses(DATE, date.fromisoformat),
    "time": _parses(TIME, time.fromisoformat),
    "date-time": _parses(DATETIME, datetime.fromisoformat),
}
FORMAT_WORDS = {
    "uuid": "must be a UUID (HSDS 3.0 ids are UUIDs)",
    "email": "must be an email address",
    "uri": "must be a URI with its scheme, such as https://example.org",
    "date": "must be a date (YYYY-MM-DD)",
    "time": "must be a time (HH:MM or HH:MM:SS, with Z or an offset if any)",
    "date-time": "must be a date and time (YYYY-MM-DDTHH:MM:SS, with Z or an offset if any)",
}
TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A kind's HSDS 3.0 CSV table: its file, its columns in order, which hold numbers."""

    path: str
    fields: tuple[str, ...]
    numbers: frozenset[str]


@cache
def spec_datapackage() -> dict[str, Any]:
    return json.loads((SPEC / "datapackage.json").read_text(encoding="utf-8"))


@cache
def tables() -> dict[str, TableSpec]:
    """The spec's CSV tables by kind, as its datapackage.json declares them."""
    found = {}
    for resource in spec_datapackage()["resources"]:
        fields = resource["schema"]["fields"]
        found[resource["name"]] = TableSpec(
            resource["path"],
            tuple(f["name"] for f in fields),
            frozenset(f["name"] for f in fields if f["type"] == "number"),
        )
    return found


@cache
def aliases() -> dict[str, str]:
    """Names a file, folder or link_entity may give a kind: `services`, `service_at_locations`…"""
    names = {}
    for kind in KINDS:
        stem = tables()[kind].path.removesuffix(".csv")
        for name in (kind, kind + "s", stem, stem + "s"):
            names[name] = kind
    names["services_at_location"] = "service_at_location"
    names["accessibilities"] = "accessibility"
    return names


def kind_named(name: str) -> str | None:
    return aliases().get(name.lower().removesuffix("_full").removesuffix("_list"))


@cache
def raw_schema(kind: str) -> dict[str, Any]:
    return json.loads((SPEC / "schema" / f"{kind}.json").read_text(encoding="utf-8"))


def flat_schema(kind: str) -> dict[str, Any]:
    """The kind's schema for a flat record: nested objects only checked to be objects."""
    schema = raw_schema(kind)
    return {
        "type": "object",
        "properties": {name: _flat(spec) for name, spec in schema["properties"].items()},
        "required": [*schema.get("required", ()), *schema.get("tabular_required", ())],
    }


def _flat(spec: Mapping[str, Any]) -> dict[str, Any]:
    if "$ref" in spec:
        return {"type": "object"}
    if spec.get("type") == "array":
        return {"type": "array", "items": {"type": "object"}}
    kept = {k: v for k, v in spec.items() if k in _VALIDATION_KEYWORDS}
    if "format" not in kept and spec.get("datapackage_type") in DATAPACKAGE_FORMATS:
        kept["format"] = DATAPACKAGE_FORMATS[spec["datapackage_type"]]
    return kept


# The JSON Schema keywords a spec property may carry; the rest are the spec's documentation.
_VALIDATION_KEYWORDS = frozenset(
    {"type", "enum", "const", "format", "pattern", "minimum", "maximum", "minLength", "maxLength"}
    | {"exclusiveMinimum", "exclusiveMaximum", "multipleOf", "items", "minItems", "maxItems"}
)


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, check in FORMATS.items():
        checker.checks(name)(check)
    return checker


@dataclass(frozen=True, slots=True)
class Check:
    """A kind's compiled check: `problems(record)` lists (field, reason), empty if valid."""

    validator: Draft202012Validator
    required: frozenset[str]
    rules: Mapping[str, Callable[[object], bool]] | None  # None: always ask jsonschema

    def passes(self, record: Mapping[str, Any]) -> bool:
        if self.rules is None:
            return self.validator.is_valid(record)
        if not self.required <= record.keys():
            return False
        rules = self.rules
        for name, value in record.items():
            rule = rules.get(name)
            if rule is not None and not rule(value):
                return False
        return True

    def problems(self, record: Mapping[str, Any]) -> list[tuple[str | None, str]]:
        if self.passes(record):
            return []
        found = {_words(e) for e in self.validator.iter_errors(record)}
        return sorted(found, key=lambda p: (p[0] or "", p[1]))


@cache
def check(kind: str) -> Check:
    schema = flat_schema(kind)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=format_checker())
    properties = schema["properties"]
    rules = {name: rule for name, spec in properties.items() if (rule := _rule(spec)) is not None}
    fast = rules if len(rules) == len(properties) else None
    return Check(validator, frozenset(schema["required"]), fast)


def _rule(spec: Mapping[str, Any]) -> Callable[[object], bool] | None:
    """The property's check in plain Python, or None if it uses a keyword not mirrored here.

    It may refuse what jsonschema would allow (an int subclass as a number), never the
    reverse: a record it refuses only costs the slower check.
    """
    kind = spec.get("type")
    if kind == "array":
        return _list_of_objects
    if set(spec) - FAST_KEYWORDS or kind not in ("string", "number", "object"):
        return None
    if kind == "number":
        return lambda v: v.__class__ is int or v.__class__ is float
    if kind == "object":
        return lambda v: v.__class__ is dict
    text = text_check(spec)
    if text is None:
        return lambda v: isinstance(v, str)
    return lambda v: isinstance(v, str) and bool(text(v))


def text_check(spec: Mapping[str, Any]) -> Callable[[str], object] | None:
    """The cheapest check of a text cell against a string property (truthy: it passes), or
    None when any text passes. Built-in calls where they do, since a CSV package of 100,000
    services has a few million cells to check."""
    allowed = frozenset(spec.get("enum", ()))
    name = spec.get("format", "")
    fmt = {"uuid": UUID, "email": EMAIL, "uri": URI}.get(name)
    check = fmt.fullmatch if fmt is not None else FORMATS.get(name)
    if allowed and check is not None:
        return lambda v: v in allowed and check(v)
    return allowed.__contains__ if allowed else check


def _list_of_objects(value: object) -> bool:
    return isinstance(value, list) and all(i.__class__ is dict for i in value)


def _words(error: ValidationError) -> tuple[str | None, str]:
    """The field to blame and the rule it breaks, without echoing the value."""
    path = list(error.absolute_path)
    field = str(path[0]) if path else None
    if error.validator == "required":
        return str(error.message).split("'")[1], "is missing; HSDS 3.0 requires it"
    if error.validator == "type":
        reason = f"must be {TYPE_WORDS.get(str(error.validator_value), error.validator_value)}"
    elif error.validator == "enum":
        reason = "must be one of: " + ", ".join(str(v) for v in error.validator_value)
    elif error.validator == "format":
        reason = FORMAT_WORDS.get(str(error.validator_value), f"must be a {error.validator_value}")
    else:
        reason = f"breaks the HSDS 3.0 rule `{error.validator}`"
    if len(path) > 1:
        reason = f"entry {path[1]} {reason}"
    return field, reason
