"""Write a Directory as HSDS 3.0: JSON, one file per kind of record holding a list of flat
records (organizations.json …), or CSV, the spec's tables with its datapackage.json.

Both are read back by `read` into the same Directory. Dates and times are written in ISO 8601,
absent values are left out of JSON and left empty in CSV, and a CSV table has every column
the spec gives it, in the spec's order, whether the directory keeps that field or not.
"""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from datetime import date, time
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from trellis.core.hsds import schema
from trellis.core.hsds.model import RECORDS, Directory


def write_json(directory: Directory, folder: str | Path) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for attribute, _ in RECORDS.values():
        records = [record(value) for value in getattr(directory, attribute)]
        text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
        (out / f"{attribute}.json").write_text(text, encoding="utf-8")


def write_csv(directory: Directory, folder: str | Path) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for kind, (attribute, _) in RECORDS.items():
        table = schema.tables()[kind]
        with (out / table.path).open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(table.fields)
            for value in getattr(directory, attribute):
                row = record(value)
                writer.writerow([_cell(row.get(name)) for name in table.fields])
    (out / "datapackage.json").write_text(_datapackage(), encoding="utf-8")


def record(value: Any) -> dict[str, Any]:
    """The HSDS 3.0 JSON record of one directory value, absent fields left out."""
    found = {}
    for name in _names(type(value)):
        item = getattr(value, name)
        if item is not None:
            found[name] = item if type(item) in PLAIN else plain(item)
    return found


PLAIN = (str, int, float, bool)


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def plain(item: Any) -> Any:
    """A value's field as JSON has it: an enum's value, a date or time in ISO 8601."""
    if isinstance(item, StrEnum):
        return item.value
    if isinstance(item, date | time):  # a datetime is a date
        return item.isoformat()
    return item


def _cell(item: Any) -> str:
    return "" if item is None else str(item)


def _datapackage() -> str:
    """The spec's datapackage.json, declaring the tables written."""
    spec = schema.spec_datapackage()
    package = {k: v for k, v in spec.items() if k != "resources"}
    package["resources"] = [r for r in spec["resources"] if r["name"] in RECORDS]
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"
