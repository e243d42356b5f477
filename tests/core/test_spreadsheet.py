"""Cells a spreadsheet would run as formulas are quoted; numbers and plain text are not."""

import pytest

from trellis.core import spreadsheet


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-"],
)
def test_a_formula_is_quoted(value):
    assert spreadsheet.cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-3.5", "+2", "-12%", "0.25", "Ana López", "a=b", ""])
def test_numbers_and_text_stay_as_they_are(value):
    assert spreadsheet.cell(value) == value


def test_a_row_turns_every_value_into_safe_text():
    assert spreadsheet.row(["=1+1", 3, None, -0.5]) == ["'=1+1", "3", "", "-0.5"]
