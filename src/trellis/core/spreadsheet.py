"""Cells for the CSV files staff open in a spreadsheet.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a
formula, so a name or reason typed by anyone could run on a supervisor's machine (OWASP, "CSV
Injection"). Such a cell is prefixed with a quote, which spreadsheets show as text; a signed
number ("-3.5", "+2", "-12%") stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """`value` as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    if not text.startswith(FORMULA_STARTS):
        return text
    try:
        float(text.removesuffix("%"))
    except ValueError:
        return "'" + text
    return text


def row(values: Iterable[object]) -> list[str]:
    """Each value of a row as a safe cell."""
    return [cell(value) for value in values]
