"""Which columns a COPY of directory rows sends, and each row's values in that order.

Rows come as the dicts `importer._values` makes. Their JSON is sent as the text already made
for the digest (`row["_texts"]`), and a column the row does not give is either left out (its
default is None, so COPY makes it NULL) or sent at its default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True)
class Layout:
    table: str
    given: tuple[str, ...]
    defaulted: tuple[str, ...]
    jsons: tuple[tuple[int, str], ...]  # (place in the values, column) of each JSON column given
    tail: tuple[Any, ...]  # the defaulted columns' values

    @property
    def sql(self) -> str:
        names = ", ".join(("id", *self.given, *self.defaulted))
        return f"COPY {self.table} ({names}) FROM STDIN"

    def values(self, pk: int, row: dict[str, Any]) -> list[Any]:
        """The row's values for COPY, its key first."""
        values = [pk, *map(row.__getitem__, self.given), *self.tail]
        texts = row.get("_texts") or {}
        for i, name in self.jsons:
            values[i] = (texts.get(name) or orjson.dumps(values[i])).decode()
        return values


def layout(model: Any, names: Iterable[str]) -> Layout:
    """The layout of rows with these keys (`_texts` aside)."""
    given = tuple(n for n in names if n != "_texts")
    fields = {f.attname: f for f in model._meta.concrete_fields}
    defaults = {
        name: default
        for name, f in fields.items()
        if name not in given and name != "id" and (default := f.get_default()) is not None
    }
    json = {n for n in fields if fields[n].get_internal_type() == "JSONField"}
    jsons = tuple((i, n) for i, n in enumerate(given, 1) if n in json)
    tail = tuple(orjson.dumps(v).decode() if n in json else v for n, v in defaults.items())
    return Layout(model._meta.db_table, given, tuple(defaults), jsons, tail)
