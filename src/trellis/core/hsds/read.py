"""Read an HSDS directory from a file or folder, telling its layout from what is there:

- a .json file: HSDS 3.0 JSON (one object, a list, an API page with `contents`, or the tabular
  form keyed by CSV file name);
- a folder with CSV files or a datapackage.json: HSDS CSV, 3.0 or 1.1 (`csv_source.py`);
- any other folder: every .json file in it and its subfolders, as an API dump is laid out
  (services/<id>.json …).

Nothing bad stops the reading: each record that cannot be taken as it is becomes a Problem and
is left out, and everything sound is kept (`assemble.py`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trellis.core.errors import InvalidInput
from trellis.core.hsds import csv_source, json_source
from trellis.core.hsds.assemble import Built, Raw, assemble
from trellis.core.hsds.model import Directory, Problem, ServiceStatus


def read(
    path: str | Path, *, status_if_missing: str | None = None
) -> tuple[Directory, tuple[Problem, ...]]:
    """Return the directory at `path` and the problems met reading it.

    HSDS requires every service to state its status; a service without one is left out, unless
    `status_if_missing` says what the source means by silence (an export that lists only open
    services might say "active"). That is the caller's statement about the source, never a
    guess made here.
    """
    if status_if_missing is not None and status_if_missing not in set(ServiceStatus):
        raise InvalidInput("status_if_missing", "one of: " + ", ".join(ServiceStatus))
    problems: list[Problem] = []
    shown: dict[str, str] = {}
    with collector_paused():
        directory = assemble(
            _records(Path(path), problems, shown), problems, shown, status_if_missing
        )
    # A record nested in many places breaks its schema in each: one problem says it.
    return directory, tuple(dict.fromkeys(problems))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while reading, then restore it as it was.

    Half a million records, none in a cycle, set it off again and again to walk all that is
    alive: measured, 40% of reading a 100,000-service CSV package. Memory is not at stake,
    since reference counting still frees everything that is not in a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _records(path: Path, problems: list[Problem], shown: dict[str, str]) -> Iterator[Raw | Built]:
    if path.is_file():
        if path.suffix.lower() == ".json":
            yield from json_source.read_file(path, path.name, problems)
        else:
            problems.append(Problem(path.name, None, None, _NOT_HSDS))
    elif not path.is_dir():
        problems.append(Problem(path.name, None, None, "does not exist"))
    elif any(path.glob("*.csv")) or (path / "datapackage.json").is_file():
        yield from csv_source.read_folder(path, problems, shown)
    else:
        yield from _json_folder(path, problems)


_NOT_HSDS = "is not HSDS: give a .json file, or a folder of HSDS CSV or JSON files"


def _json_folder(folder: Path, problems: list[Problem]) -> Iterator[Raw]:
    files = json_source.files_in(folder, problems)
    if not files:
        problems.append(Problem(folder.name, None, None, _NOT_HSDS))
    for file in files:
        yield from json_source.read_file(file, file.relative_to(folder).as_posix(), problems)
