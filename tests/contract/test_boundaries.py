"""The layers stay where DESIGN.md puts them: a pure core, reads and writes through choke points."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "trellis"
FORBIDDEN_IN_CORE = (
    "django",
    "trellis.accounts",
    "trellis.people",
    "trellis.audit",
    "requests",
    "urllib",
)
# Views read protected rows through access_* and write through actions.*
PROTECTED_MODELS = {
    "Person",
    "Episode",
    "CareTeamMembership",
    "BreakGlassAccess",
    "Intake",
    "Score",
    "Alert",
    "PlacementOverride",
}


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_imports_no_framework_and_does_no_io():
    offenders = {
        str(path.relative_to(SRC)): sorted(
            n for n in imports(path) if n.startswith(FORBIDDEN_IN_CORE)
        )
        for path in (SRC / "core").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_core_never_reads_the_clock():
    calls = []
    for path in (SRC / "core").rglob("*.py"):
        text = path.read_text()
        calls += [
            f"{path.name}: {c}" for c in ("datetime.now(", "date.today(", "time.time(") if c in text
        ]
    assert calls == []


def _model_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("get", "create", "update", "delete")
            and isinstance(node.value, ast.Attribute)
        ):
            owner = node.value
            if (
                owner.attr == "objects"
                and isinstance(owner.value, ast.Name)
                and owner.value.id in PROTECTED_MODELS
            ):
                found.append(f"{owner.value.id}.objects.{node.attr}")
        if isinstance(node, ast.Attribute) and node.attr == "save":
            found.append(".save(")
    return found


def test_views_neither_fetch_nor_save_protected_rows_directly():
    offenders = {str(p.relative_to(SRC)): _model_calls(p) for p in SRC.rglob("views.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
