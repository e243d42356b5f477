"""Which columns a COPY of directory rows sends, each row's values in that order, and the
types they are sent as.

Rows come as the dicts `importer._values` makes. A column the row does not give is either left
out (its default is None, so COPY makes it NULL) or sent at its default.

COPY goes in PostgreSQL's binary format: each value as its column's type keeps it, so neither
side writes or parses text for numbers, flags and times, and nothing is escaped (measured at a
million services: PostgreSQL took 9.1 s to load them against 15.4 s from text; psycopg made
a row in 1.5 µs against 4.0). Python values go out with psycopg's binary dumpers for the
column's type (`types`, for `Copy.set_types`), except JSON: it is sent as the text already
made for the digest (`row["_texts"]`) or made here, as bytes. A RecordField's column (the
directory's JSON, kept as its text: models.RecordField) takes that text as it is; a `jsonb`
column (a plain JSONField) would take it after the one-byte version of its binary format (1),
as psycopg's own Jsonb dumper sends it, and parse it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from psycopg.types.string import BytesBinaryDumper

# What psycopg sends each kind of field as (`Copy.set_types`); JSON as bytes (see above).
_TYPES = {
    "BigAutoField": "int8",
    "BigIntegerField": "int8",
    "AutoField": "int4",
    "IntegerField": "int4",
    "PositiveIntegerField": "int4",
    "SmallIntegerField": "int2",
    "PositiveSmallIntegerField": "int2",
    "BooleanField": "bool",
    "FloatField": "float8",
    "DateTimeField": "timestamptz",
    "CharField": "text",
    "TextField": "text",
    "json": "bytea",
    "jsonb": "bytea",
}
JSONB_VERSION = b"\x01"


class UnknownColumnTypeError(LookupError):
    """A column whose type this module does not send."""


@dataclass(frozen=True)
class Layout:
    table: str
    given: tuple[str, ...]
    defaulted: tuple[str, ...]
    # (place in the values, column, the bytes its JSON text follows) of each JSON column given
    jsons: tuple[tuple[int, str, bytes], ...]
    tail: tuple[Any, ...]  # the defaulted columns' values, as sent
    types: tuple[str, ...]  # what psycopg sends each value as, the key first

    @property
    def sql(self) -> str:
        names = ", ".join(("id", *self.given, *self.defaulted))
        return f"COPY {self.table} ({names}) FROM STDIN (FORMAT BINARY)"

    def values(self, pk: int, row: dict[str, Any]) -> list[Any]:
        """The row's values for COPY, its key first."""
        values = [pk, *map(row.__getitem__, self.given), *self.tail]
        texts = row.get("_texts") or {}
        for i, name, prefix in self.jsons:
            values[i] = prefix + (texts.get(name) or orjson.dumps(values[i]))
        return values


def sends_bytes(cursor: Any) -> Any:
    """The psycopg cursor, made to send bytes as they are with psycopg's compiled dumper.
    Asked for by type (`set_types`), psycopg would otherwise take the last one registered
    for bytea, the wrapper that unwraps `psycopg.Binary` values in Python first (measured:
    2 s of a million services' formatting)."""
    cursor.adapters.register_dumper(bytes, BytesBinaryDumper)
    return cursor


def layout(model: Any, names: Iterable[str]) -> Layout:
    """The layout of rows with these keys (`_texts` aside)."""
    given = tuple(n for n in names if n != "_texts")
    fields = {f.attname: f for f in model._meta.concrete_fields}
    defaults = {
        name: default
        for name, f in fields.items()
        if name not in given and name != "id" and (default := f.get_default()) is not None
    }
    kinds = {name: column_type(f) for name, f in fields.items()}
    prefixes = {"json": b"", "jsonb": JSONB_VERSION}
    jsons = tuple(
        (i, n, prefixes[kinds[n]]) for i, n in enumerate(given, 1) if kinds[n] in prefixes
    )
    tail = tuple(
        prefixes[kinds[n]] + orjson.dumps(v) if kinds[n] in prefixes else v
        for n, v in defaults.items()
    )
    types = tuple(_TYPES[kinds[n]] for n in ("id", *given, *defaults))
    return Layout(model._meta.db_table, given, tuple(defaults), jsons, tail, types)


def column_type(field: Any) -> str:
    """What the field's column is sent as: its kind of field ("CharField" …; a foreign key's
    is that of the key it refers to), or for JSON "json" (a RecordField: its text, as it is)
    or "jsonb" (a plain JSONField)."""
    from trellis.directory.models import RecordField

    if field.is_relation:
        field = field.target_field
    found = field.get_internal_type()
    if found == "JSONField":
        found = "json" if isinstance(field, RecordField) else "jsonb"
    if found not in _TYPES:
        raise UnknownColumnTypeError(f"{field.model._meta.db_table}.{field.attname}: {found}")
    return found
