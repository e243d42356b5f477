"""The community categories a directory service can answer: the `com.*` rows of
knowledge/interventions.csv (contracts/interventions.csv), with their names."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CSV = Path(__file__).resolve().parent.parent / "knowledge" / "interventions.csv"


@cache
def community() -> dict[str, str]:
    """com.* code → name, in the order of the file."""
    with CSV.open(encoding="utf-8", newline="") as rows:
        return {r["code"]: r["name"] for r in csv.DictReader(rows) if r["category"] == "community"}
