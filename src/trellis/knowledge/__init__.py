"""Versioned clinical content as data. Every entry names its published source."""

from functools import cache
from pathlib import Path

VERSION_FILE = Path(__file__).with_name("VERSION")


@cache
def version() -> str:
    """The knowledge-base version every plan and assessment records."""
    return VERSION_FILE.read_text().strip()


@cache
def intake_schema() -> dict[str, object]:
    """The intake document's JSON Schema (a copy of contracts/intake.schema.json)."""
    import json

    return json.loads(Path(__file__).with_name("intake.schema.json").read_text())


@cache
def placement_rules() -> dict[str, object]:
    """Levels of care and the least intensive level each dimension's risk needs (placement.yaml)."""
    import yaml

    data = yaml.safe_load(Path(__file__).with_name("placement.yaml").read_text())
    for n in range(1, 7):
        row = data["minimum_level"].get(n)
        if not row or len(row) != 5 or any(level not in data["levels"] for level in row):
            raise ValueError(
                f"placement.yaml: minimum_level {n}: needs five known levels (risk 0-4)"
            )
    return data


@cache
def plan_rules() -> dict[str, object]:
    """Problem and goal templates and review intervals (plan.yaml)."""
    import yaml

    return yaml.safe_load(Path(__file__).with_name("plan.yaml").read_text(encoding="utf-8"))
