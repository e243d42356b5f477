"""Load the intervention knowledge base (knowledge/interventions/*.yaml) and check every entry.

A bad file fails at load time with the file, the entry and the reason: an unknown code, a rule
that does not parse or names an unknown fact, a missing source, a missing translation.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trellis.core.knowledge_base import (
    EVIDENCE,
    LANGUAGES,
    ROLES,
    TEXT_KEYS,
    Entry,
    Guard,
    Indication,
    KnowledgeBase,
)
from trellis.core.rules import RuleError, compile_condition, known_facts

HERE = Path(__file__).parent
FOLDER = HERE / "interventions"
REQUIRED = (
    "code",
    "dimension",
    "indications",
    "evidence",
    "sources",
    "frequency",
    "duration",
    "responsible",
    "staff_minutes_per_week",
    "text",
)


class KnowledgeError(ValueError):
    def __init__(self, path: Path, entry: str, reason: str) -> None:
        super().__init__(f"{path.name}: {entry}: {reason}")


@cache
def knowledge_base() -> KnowledgeBase:
    return load(
        FOLDER,
        HERE / "sources.yaml",
        HERE / "interventions.csv",
        (HERE / "VERSION").read_text().strip(),
    )


def load(folder: Path, sources_path: Path, codes_path: Path, version: str) -> KnowledgeBase:
    sources = yaml.safe_load(sources_path.read_text(encoding="utf-8"))
    catalog = {row["code"]: row for row in csv.DictReader(codes_path.open(encoding="utf-8"))}
    entries: list[Entry] = []
    for path in sorted(folder.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            entries.append(_entry(path, raw, catalog, sources))
    codes = [e.code for e in entries]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise KnowledgeError(folder, duplicates[0], "defined twice")
    missing = sorted(set(catalog) - set(codes))
    if missing:
        raise KnowledgeError(folder, missing[0], "is in interventions.csv but has no entry")
    for entry in entries:
        unknown = [a for a in entry.alternatives if a not in catalog]
        if unknown:
            raise KnowledgeError(
                folder, entry.code, f"alternative {unknown[0]} is not a known code"
            )
    order = list(catalog)
    return KnowledgeBase(
        version, tuple(sorted(entries, key=lambda e: order.index(e.code))), sources
    )


def _entry(
    path: Path, raw: dict[str, Any], catalog: dict[str, dict[str, str]], sources: dict[str, str]
) -> Entry:
    code = str(raw.get("code", "?"))
    for key in REQUIRED:
        if key not in raw:
            raise KnowledgeError(path, code, f"needs {key}")
    if code not in catalog:
        raise KnowledgeError(path, code, "is not a code of interventions.csv")
    if raw["evidence"] not in EVIDENCE:
        raise KnowledgeError(path, code, f"evidence must be one of {', '.join(EVIDENCE)}")
    if not raw["sources"] or any(s not in sources for s in raw["sources"]):
        raise KnowledgeError(
            path, code, "every source must be named in sources.yaml (and there must be one)"
        )
    if raw["responsible"] not in ROLES:
        raise KnowledgeError(path, code, f"responsible must be one of {', '.join(ROLES)}")
    _check_text(path, code, raw)
    return Entry(
        code=code,
        category=catalog[code]["category"],
        name=catalog[code]["name"],
        dimension=int(raw["dimension"]),
        indications=tuple(
            Indication(_condition(path, code, i["when"]), bool(i.get("consider")))
            for i in raw["indications"]
        ),
        contraindications=_guards(path, code, raw.get("contraindications")),
        cautions=_guards(path, code, raw.get("cautions")),
        evidence=raw["evidence"],
        sources=tuple(raw["sources"]),
        frequency=raw["frequency"],
        duration=raw["duration"],
        responsible=raw["responsible"],
        staff_minutes_per_week=int(raw["staff_minutes_per_week"]),
        alternatives=tuple(raw.get("alternatives") or ()),
        text=raw["text"],
        need=raw.get("need"),
    )


def _condition(path: Path, code: str, text: str) -> Any:
    try:
        return compile_condition(str(text), known_facts())
    except RuleError as error:
        raise KnowledgeError(path, code, str(error)) from None


def _guards(path: Path, code: str, raw: list[dict[str, str]] | None) -> tuple[Guard, ...]:
    guards = []
    for item in raw or []:
        if not item.get("reason"):
            raise KnowledgeError(path, code, "every contraindication and caution needs a reason")
        guards.append(Guard(_condition(path, code, item["when"]), item["reason"]))
    return tuple(guards)


def _check_text(path: Path, code: str, raw: dict[str, Any]) -> None:
    for language in LANGUAGES:
        text = raw["text"].get(language) or {}
        missing = [k for k in TEXT_KEYS if not text.get(k)]
        if missing:
            raise KnowledgeError(path, code, f"text.{language} needs {', '.join(missing)}")
        for field in ("frequency", "duration"):
            if not raw[field].get(language):
                raise KnowledgeError(path, code, f"{field}.{language} is required")
