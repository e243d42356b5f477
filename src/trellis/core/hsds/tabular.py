"""CSV files as HSDS reads them: UTF-8 (a byte-order mark is allowed), RFC 4180 quoting, the
first row a header, an empty cell an absent value, a number column's cells numbers.

Rows are read as they are used, never all held at once: a directory of 100,000 services is
half a million rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trellis.core.hsds.model import Problem

# A number as JSON spells one (and a little more: "12." and ".5"); it is an integer where none
# of the groups (a fraction, a leading point, an exponent) is there.
NUMBER = re.compile(r"-?(?:\d+(\.\d*)?|(\.)\d+)([eE][-+]?\d+)?")
# PostgreSQL's text cannot hold a NUL character; no directory text needs one.
NUL = "\x00"
NUL_REASON = "holds a NUL character (U+0000), which no text in the directory may hold"


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file: where it is, its name for problems, its header."""

    path: Path
    file: str
    header: tuple[str, ...]


def number(text: str) -> int | float | str:
    """The number a cell spells, or the text itself for the schema check to reject.

    Plain decimals (-12, 40.7128), nearly every number a directory has, are told by string
    methods, which cost less than the pattern; anything else goes to the pattern."""
    digits = text[1:] if text[:1] == "-" else text
    if digits.isascii():  # isdigit() alone would take "²", which is no number
        if digits.isdigit():
            return int(text)
        whole, point, fraction = digits.partition(".")
        if point and whole.isdigit() and fraction.isdigit():
            return float(text)
    found = NUMBER.fullmatch(text)
    if found is None:
        return text
    return int(text) if found.lastindex is None else float(text)


def read_table(path: Path, name: str, problems: list[Problem]) -> Table | None:
    """The file's header, or None and one problem if it has none that can be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f, strict=True), None)
    except (UnicodeDecodeError, csv.Error) as error:
        problems.append(Problem(name, None, None, _unreadable(error, None)))
        return None
    if header is None:
        problems.append(Problem(name, None, None, "is empty: it has no header row"))
        return None
    return Table(path, name, tuple(h.strip() for h in header))


def cells(table: Table, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on, padded to the header's width.

    A row wider than the header is reported and skipped, as is a row with a NUL character in
    a cell (looked for only in a file that has one). A file that stops being CSV part way is
    reported once; the rows before that point are kept.
    """
    width = len(table.header)
    nul = _has_nul(table.path)
    line = 1
    with table.path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, strict=True)
        try:
            next(reader)
            for row in reader:
                if nul and any(NUL in cell for cell in row):
                    cut = row[:width]
                    field = next((table.header[i] for i, c in enumerate(cut) if NUL in c), None)
                    problems.append(Problem(table.file, f"line {line + 1}", field, NUL_REASON))
                elif len(row) == width:
                    yield line + 1, row
                elif len(row) > width:
                    reason = f"has {len(row)} cells but the header has {width}"
                    problems.append(Problem(table.file, f"line {line + 1}", None, reason))
                elif row:
                    yield line + 1, row + [""] * (width - len(row))
                line = reader.line_num
        except (UnicodeDecodeError, csv.Error) as error:
            problems.append(Problem(table.file, None, None, _unreadable(error, line)))


def _has_nul(path: Path) -> bool:
    """Whether the file has a NUL byte anywhere (in UTF-8, only a NUL character is one)."""
    with path.open("rb") as f:
        return any(b"\x00" in block for block in iter(lambda: f.read(1 << 20), b""))


def _unreadable(error: Exception, read_to: int | None) -> str:
    """Why the file cannot be read on; `read_to` is the last line read, if any was."""
    rest = "" if read_to is None else f"; the rows after line {read_to} were not read"
    if isinstance(error, UnicodeDecodeError):
        # Text is decoded a block at a time, so the line the bad byte is on is not known.
        return f"is not UTF-8 text{rest}"
    where = "" if read_to is None else f" at line {read_to + 1}"
    return f"is not valid CSV{where} ({error}){rest}"
