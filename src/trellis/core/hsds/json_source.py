"""Read HSDS 3.0 JSON into flat records: one object, a list of objects, an API page (its
`contents`), or the tabular form keyed by CSV file name (`{"services.csv": [...]}`).

A file's kind of record comes from its name or its folder's (`service_full.json`,
`services/<id>.json`). Nested objects are taken out into records of their own and linked by
id: a service's phones get its `service_id`, and a service points at its nested organization
through `organization_id`. Objects of kinds the directory does not keep (contacts, programs,
funding, metadata) stay where they are and are not read. Null and "" mean absent, as an empty
cell does in HSDS CSV.

A nested record that names a parent other than the one it is nested in is left out. A record
whose own link disagrees with the object nested in it keeps its own link, and is reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trellis.core.hsds import schema
from trellis.core.hsds.assemble import Raw, words
from trellis.core.hsds.csv_source import OUTSIDE, lies_outside
from trellis.core.hsds.model import Problem
from trellis.core.hsds.tabular import NUL, NUL_REASON

# Lists of records a record holds, and the link each one gets back to it.
CHILDREN: dict[str, tuple[tuple[str, str, str], ...]] = {
    "organization": (
        ("locations", "location", "organization_id"),
        ("phones", "phone", "organization_id"),
        ("services", "service", "organization_id"),
    ),
    "service": (
        ("phones", "phone", "service_id"),
        ("schedules", "schedule", "service_id"),
        ("service_areas", "service_area", "service_id"),
        ("service_at_locations", "service_at_location", "service_id"),
        ("languages", "language", "service_id"),
        ("cost_options", "cost_option", "service_id"),
    ),
    "service_at_location": (
        ("phones", "phone", "service_at_location_id"),
        ("schedules", "schedule", "service_at_location_id"),
    ),
    "location": (
        ("languages", "language", "location_id"),
        ("addresses", "address", "location_id"),
        ("phones", "phone", "location_id"),
        ("schedules", "schedule", "location_id"),
        ("accessibility", "accessibility", "location_id"),
    ),
    "phone": (("languages", "language", "phone_id"),),
}
# Single objects a record points at, and the field that holds the pointer.
OWNERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "service": (("organization", "organization", "organization_id"),),
    "service_at_location": (
        ("location", "location", "location_id"),
        ("service", "service", "service_id"),
    ),
    "attribute": (("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
    "taxonomy_term": (("taxonomy_detail", "taxonomy", "taxonomy_id"),),
}


def files_in(folder: Path, problems: list[Problem]) -> list[Path]:
    """The .json files under `folder` (datapackage.json aside), as an API dump is laid out.

    A link that leads outside the folder, to a file or a folder of files, is a problem naming
    it, and is not read.
    """
    found = []
    for path in sorted(folder.rglob("*")):  # rglob does not go down linked folders
        json_file = path.suffix.lower() == ".json" and path.name != "datapackage.json"
        if not (json_file or path.is_dir()):
            continue
        if lies_outside(folder, path):
            problems.append(Problem(path.relative_to(folder).as_posix(), None, None, OUTSIDE))
        elif json_file and path.is_file():
            found.append(path)
    return found


def read_file(path: Path, name: str, problems: list[Problem]) -> Iterator[Raw]:
    """The records of one JSON file; `name` is how problems name the file."""
    data, spells_nul = _load(path, name, problems)
    if data is None or _is_api_root(data):
        return
    if spells_nul:
        yield from _without_nul(_read(path, name, data, problems), name, problems)
    else:
        yield from _read(path, name, data, problems)


def _read(path: Path, name: str, data: Any, problems: list[Problem]) -> Iterator[Raw]:
    if isinstance(data, dict) and data and all(k.endswith(".csv") for k in data):
        yield from _tabular(data, name, problems)
        return
    kind = schema.kind_named(path.stem) or schema.kind_named(path.parent.name)
    if kind is None:
        reason = "cannot tell which HSDS object it holds: name it or its folder after one"
        problems.append(Problem(name, None, None, reason + " (services.json, services/…)"))
        return
    yield from _items(kind, data, name, problems)


def _load(path: Path, name: str, problems: list[Problem]) -> tuple[Any, bool]:
    """The file's JSON (None if it cannot be read), and whether its text spells a NUL
    character: JSON text can hold one only as the escape \\u0000."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        return json.loads(text, parse_constant=_not_json), "\\u0000" in text
    except UnicodeDecodeError:
        problems.append(Problem(name, None, None, "is not UTF-8 text"))
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}: {error.msg}"
        problems.append(Problem(name, None, None, f"is not valid JSON ({where})"))
    except ValueError as error:
        problems.append(Problem(name, None, None, f"is not valid JSON ({error})"))
    return None, False


def _without_nul(found: Iterator[Raw], name: str, problems: list[Problem]) -> Iterator[Raw]:
    """The records, each with a NUL character in its text reported and left out."""
    for raw in found:
        field = _with_nul(raw.record)
        if field is None:
            yield raw
        else:
            where = raw.where.replace(NUL, "\\0")
            problems.append(Problem(name, where, field, NUL_REASON))


def _with_nul(record: dict[str, Any]) -> str | None:
    """The first field of the record whose text (or a key, or text nested in it) holds a NUL
    character, or None."""
    for key, value in record.items():
        if NUL in key or _holds_nul(value):
            return key.replace(NUL, "\\0")
    return None


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(NUL in k or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


def _is_api_root(data: Any) -> bool:
    """An HSDS API's root document (version, openapi_url): about the API, not a record."""
    return isinstance(data, dict) and "id" not in data and "openapi_url" in data


def _items(kind: str, data: Any, name: str, problems: list[Problem]) -> Iterator[Raw]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        for i, item in enumerate(data["contents"]):
            yield from records(kind, item, f"/contents/{i}", name, problems)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from records(kind, item, f"/{i}", name, problems)
    else:
        yield from records(kind, data, "", name, problems)


def _tabular(data: dict[str, Any], name: str, problems: list[Problem]) -> Iterator[Raw]:
    for table, rows in data.items():
        kind = schema.kind_named(table.removesuffix(".csv"))
        if kind is None or not isinstance(rows, list):
            continue  # a table the directory does not keep (programs.csv, contacts.csv …)
        for i, row in enumerate(rows):
            yield from records(kind, row, f"/{table}/{i}", name, problems)


def records(
    kind: str,
    value: Any,
    pointer: str,
    name: str,
    problems: list[Problem],
    links: dict[str, str] | None = None,
    parent: str = "",
) -> Iterator[Raw]:
    """The record at `pointer` and every record nested in it, flat and linked by id."""
    where = pointer or "/"
    if not isinstance(value, dict):
        problems.append(Problem(name, where, None, f"must be an object (an HSDS {words(kind)})"))
        return
    record = {k: v for k, v in value.items() if v is not None and v != ""}
    if isinstance(record.get("id"), str):
        where = record["id"]
    for field, parent_value in (links or {}).items():
        if not _agrees(record, field, parent_value):
            reason = f"differs from the {words(parent)} it is nested in"
            problems.append(Problem(name, where, field, reason))
            return
    if not isinstance(record.get("id"), str):
        yield Raw(kind, record, name, where)  # nothing can link to it; its schema check says why
        return
    owners = _owners(kind, record, pointer, name, problems)
    children = list(_children(kind, record, pointer, name, problems))
    yield Raw(kind, record, name, where)
    yield from owners
    yield from children


def _agrees(record: dict[str, Any], field: str, parent_value: str) -> bool:
    """Link `record` to its parent by `field`, unless it names another; a link_entity may
    spell the parent's table any way HSDS does (service, services)."""
    own = record.setdefault(field, parent_value)
    if field == "link_entity" and isinstance(own, str) and schema.kind_named(own) == parent_value:
        record[field] = parent_value
        return True
    return own == parent_value


def _owners(
    kind: str, record: dict[str, Any], pointer: str, name: str, problems: list[Problem]
) -> list[Raw]:
    """Take out the objects `record` points at, pointing at each by its id."""
    found: list[Raw] = []
    for key, owner_kind, field in OWNERS.get(kind, ()):
        owner = record.get(key)
        if not isinstance(owner, dict):
            continue  # absent, or the wrong type, which the schema check reports
        del record[key]
        owner_id = owner.get("id")
        if (
            isinstance(owner_id, str)
            and owner_id
            and record.setdefault(field, owner_id) != owner_id
        ):
            reason = f"differs from the id of its nested {words(owner_kind)}; {field} is kept"
            problems.append(Problem(name, record["id"], field, reason))
        found += records(owner_kind, owner, f"{pointer}/{key}", name, problems)
    return found


def _children(
    kind: str, record: dict[str, Any], pointer: str, name: str, problems: list[Problem]
) -> Iterator[Raw]:
    """Take out the lists of records `record` holds, each linked back to it."""
    lists = list(CHILDREN.get(kind, ()))
    if "attributes" in schema.raw_schema(kind)["properties"]:
        lists.append(("attributes", "attribute", ""))
    for key, child_kind, field in lists:
        items = record.get(key)
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            continue  # absent, or the wrong type, which the schema check reports
        del record[key]
        links = {field: record["id"]} if field else {"link_id": record["id"], "link_entity": kind}
        for i, item in enumerate(items):
            where = f"{pointer}/{key}/{i}"
            yield from records(child_kind, item, where, name, problems, links, kind)
