"""Read an HSDS CSV folder, 3.0 or the older 1.1, with or without a datapackage.json.

The datapackage, when there is one, says which file holds which table; otherwise the files'
names do (services.csv …). The version is told from the files: a table only 3.0 has
(schedules.csv, attributes.csv …) or a 3.0-only column (locations.location_type, required
in 3.0) means 3.0; anything else is read as 1.1. An empty cell is an absent value; a cell of
a number column is read as a number.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from trellis.core.hsds import legacy, schema
from trellis.core.hsds.assemble import ENUM_TYPES, Built, Raw, converters, field_names
from trellis.core.hsds.model import RECORDS, Problem
from trellis.core.hsds.tabular import Table, cells, number, read_table
from trellis.core.hsds.write import plain

V30_FILES = frozenset(
    {"schedules.csv", "addresses.csv", "attributes.csv", "taxonomy_terms.csv"}
    | {"service_at_location.csv", "accessibility.csv", "cost_options.csv", "taxonomies.csv"}
)
V11_FILES = frozenset(legacy.FILES.values()) - {
    "organizations.csv",
    "services.csv",
    "locations.csv",
    "phones.csv",
    "languages.csv",
    "service_areas.csv",
}


def read_folder(
    folder: Path, problems: list[Problem], shown: dict[str, str]
) -> Iterator[Raw | Built]:
    version, files = package(folder, problems)
    if version == "1.1":
        tables = {
            table: [t for p in paths if (t := read_table(folder / p, p, problems)) is not None]
            for name, paths in files.items()
            if (table := legacy.table_named(name)) is not None
        }
        yield from legacy.records(tables, problems, shown)
        return
    for name, paths in files.items():
        kind = schema.kind_named(name)
        if kind is None:
            continue  # a table the directory does not keep (contacts, programs, funding …)
        for path in paths:
            table = read_table(folder / path, path, problems)
            if table is not None:
                yield from _records(kind, table, problems)


def package(folder: Path, problems: list[Problem]) -> tuple[str, dict[str, list[str]]]:
    """The package's HSDS version and its tables by name, each with its files."""
    files = _declared(folder, problems)
    if files is None:
        files = {p.stem: [p.name] for p in _inside(sorted(folder.glob("*.csv")), folder, problems)}
    return _version(folder, files), files


def _records(kind: str, table: Table, problems: list[Problem]) -> Iterator[Raw | Built]:
    """The table's rows: built straight into values when they pass the plan's checks (the
    many), else as records for the schema check to word the problems (the few)."""
    spec = schema.tables()[kind]
    columns = [(i, n, n in spec.numbers) for i, n in enumerate(table.header) if n in spec.fields]
    plan = plan_of(kind, table.header)
    value_type = RECORDS[kind][1] if plan is not None else None
    for line, row in cells(table, problems):
        if plan is not None and value_type is not None and plan.passes(row):
            yield Built(kind, value_type(*plan.values(row)), table.file, row[plan.id])
            continue
        record = {n: number(v) if num else v for i, n, num in columns if (v := row[i])}
        record_id = record.get("id")
        yield Raw(kind, record, table.file, record_id if record_id else f"line {line}")


@dataclass(frozen=True, slots=True)
class Plan:
    """How rows of one table become values with no record in between: the columns that must
    not be empty, the checks of the others, and each field's column (-1: none) and converter.
    Its checks are the schema's own (`schema.Check`), applied to cells."""

    id: int
    required: tuple[int, ...]
    checks: tuple[tuple[int, Callable[[str], object]], ...]
    fields: tuple[tuple[int, Callable[[Any], Any] | None], ...]
    # Each field's name, column (-1: none) and what makes its record value of a cell.
    cells: tuple[tuple[str, int, Callable[[str], Any] | None], ...]
    # For `checked`, made from the above: the fields `record` reads as numbers, whose cells
    # only `_is_number` checks, and the checks of all other cells.
    numbers: tuple[str, ...] = field(init=False)
    text_checks: tuple[tuple[int, Callable[[str], object]], ...] = field(init=False)
    # For `record`: the fields the table has a column for.
    present: tuple[tuple[str, int, Callable[[str], Any] | None], ...] = field(init=False)

    def __post_init__(self) -> None:
        read = {i: name for name, i, make in self.cells if make is number}
        numbers = tuple(read[i] for i, c in self.checks if c is _is_number and i in read)
        others = tuple((i, c) for i, c in self.checks if not (c is _is_number and i in read))
        object.__setattr__(self, "numbers", numbers)
        object.__setattr__(self, "text_checks", others)
        object.__setattr__(self, "present", tuple(c for c in self.cells if c[1] >= 0))

    def passes(self, row: list[str]) -> bool:
        return self._fills(row, self.checks)

    def _fills(
        self, row: list[str], checks: tuple[tuple[int, Callable[[str], object]], ...]
    ) -> bool:
        """Whether every required cell is filled and every filled one passes its check."""
        for i in self.required:
            if not row[i]:
                return False
        for i, check in checks:
            value = row[i]
            if value and not check(value):
                return False
        return True

    def record(self, row: list[str]) -> dict[str, Any]:
        """The row as the HSDS record of its value (`write.record` of what `values` builds),
        made without the value: a text is kept, a number read, an enum or a date made and
        written back as the value would be."""
        return {name: (make(v) if make else v) for name, i, make in self.present if (v := row[i])}

    def checked(self, row: list[str]) -> dict[str, Any] | None:
        """`record` of a row that `passes`, else None; a number cell is read once, its check
        being that it reads as a number (`_is_number`)."""
        if not self._fills(row, self.text_checks):
            return None
        made = self.record(row)
        for name in self.numbers:
            if made.get(name).__class__ is str:
                return None
        return made

    def values(self, row: list[str]) -> list[Any]:
        """The row's field values, in the order of the value's fields."""
        return [
            (convert(v) if convert else v) if i >= 0 and (v := row[i]) else None
            for i, convert in self.fields
        ]


def plan_of(kind: str, header: tuple[str, ...]) -> Plan | None:
    """The table's plan, or None where rows must go the long way: a kind whose schema uses a
    keyword the fast check does not mirror, a required column absent, or a term (whose
    vocabulary id is not a field of its value)."""
    if kind not in RECORDS or kind == "taxonomy_term":
        return None
    check, spec = schema.check(kind), schema.tables()[kind]
    column = {name: i for i, name in enumerate(header) if name in spec.fields}
    if check.rules is None or not check.required <= column.keys():
        return None
    properties = schema.flat_schema(kind)["properties"]
    checks: list[tuple[int, Callable[[str], object]]] = []
    for name, i in column.items():
        prop = properties.get(name, {})
        if name in spec.numbers:
            checks.append((i, _is_number))
        elif prop.get("type") != "string" or set(prop) - schema.FAST_KEYWORDS:
            return None  # a column only jsonschema can judge: every row goes the long way
        elif (text_check := schema.text_check(prop)) is not None:
            checks.append((i, text_check))
    _, convert = converters(kind)
    fields = tuple(
        (column.get(n, -1), number if n in spec.numbers else convert.get(n))
        for n in field_names(kind)
    )
    cells = tuple(
        (n, i, _maker(kind, n, c)) for n, (i, c) in zip(field_names(kind), fields, strict=True)
    )
    required = tuple(column[n] for n in check.required)
    return Plan(column["id"], required, tuple(checks), fields, cells)


def _maker(kind: str, name: str, convert: Callable[[str], Any] | None) -> Any:
    """What makes a field's record value of its cell: the value written back as the record
    has it. An enum's written value is the text of its member, looked up at once (a text no
    member has fails the lookup as it fails the enum's)."""
    if convert is number or convert is None:
        return convert
    enum = ENUM_TYPES.get((kind, name))
    if enum is not None:
        return {member.value: plain(member) for member in enum}.__getitem__
    return partial(_written, convert)


def _written(convert: Callable[[str], Any], text: str) -> Any:
    return plain(convert(text))


def _is_number(text: str) -> bool:
    return number(text).__class__ is not str


# A link in the folder may lead anywhere (/etc/passwd): the package is what the folder holds.
OUTSIDE = "is a link that leads outside the package folder; only files in the folder are read"


def lies_outside(folder: Path, path: Path) -> bool:
    """Whether `path`, links followed, is somewhere other than inside `folder`."""
    return not path.resolve().is_relative_to(folder.resolve())


def _inside(paths: list[Path], folder: Path, problems: list[Problem]) -> list[Path]:
    """The paths that stay in the folder; each link that leaves it is a problem naming it."""
    outside = [p for p in paths if lies_outside(folder, p)]
    problems.extend(Problem(p.relative_to(folder).as_posix(), None, None, OUTSIDE) for p in outside)
    return [p for p in paths if p not in outside]


def _declared(folder: Path, problems: list[Problem]) -> dict[str, list[str]] | None:
    """Each table the datapackage.json declares, by name, with its files that exist."""
    path = folder / "datapackage.json"
    if not path.exists():
        return None
    if not _inside([path], folder, problems):
        return {}  # its tables cannot be known, and the folder's files are not guessed at
    try:
        package = json.loads(path.read_text(encoding="utf-8-sig"))
    except ValueError as error:  # also UnicodeDecodeError
        problems.append(Problem(path.name, None, None, f"is not valid JSON ({error})"))
        return None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        problems.append(Problem(path.name, None, "resources", "must list the package's tables"))
        return None
    files: dict[str, list[str]] = {}
    for i, resource in enumerate(resources):
        name, paths = _resource(resource, i, folder, problems)
        if name is not None:
            files.setdefault(name, []).extend(paths)
    return files


def _resource(
    resource: object, i: int, folder: Path, problems: list[Problem]
) -> tuple[str | None, list[str]]:
    if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
        problems.append(Problem("datapackage.json", f"resources/{i}", "name", "is missing"))
        return None, []
    name, declared = resource["name"], resource.get("path")
    declared = [declared] if isinstance(declared, str) else declared
    if not isinstance(declared, list) or not all(isinstance(p, str) for p in declared):
        problems.append(Problem("datapackage.json", name, "path", "must name the table's file"))
        return None, []
    found = []
    for relative in declared:
        reason = _unresolved(folder, relative)
        if reason:
            problems.append(Problem("datapackage.json", name, "path", reason))
        else:
            found.append(relative)
    return name, found


def _unresolved(folder: Path, relative: str) -> str | None:
    """Why a declared path cannot be read, or None if it names a file in the package."""
    if "://" in relative:
        return f"declares {relative}, a remote file; only files in the package folder are read"
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder.resolve()):
        return f"declares {relative}, which lies outside the package folder"
    if not target.is_file():
        return f"declares {relative}, which is not in the folder"
    return None


def _version(folder: Path, files: dict[str, list[str]]) -> str:
    names = {Path(p).name for paths in files.values() for p in paths}
    if names & V30_FILES:
        return "3.0"
    if names & V11_FILES:
        return "1.1"
    for path in (p for paths in files.values() for p in paths):
        column = {"locations.csv": "location_type", "organizations.csv": "website"}.get(
            Path(path).name
        )
        if column and column in _header(folder / path):
            return "3.0"
    return "1.1"


def _header(path: Path) -> tuple[str, ...]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return tuple(h.strip() for h in next(csv.reader(f), ()))
    except (UnicodeDecodeError, csv.Error):
        return ()  # read_table reports it
