"""Load the taxonomy crosswalk (taxonomy.yaml) into the core's Crosswalk and check every entry.

A bad file fails at load time with the file, the entry and the reason: an unknown key, a code that
is not a 211HSIS code as published, a term listed twice, a category that is not a com.* code of
interventions.csv, a source not named under `sources`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trellis.core.taxonomy import Crosswalk, Rule, Scheme, airs_code, name_key, taxonomy_key

HERE = Path(__file__).parent
PATH = HERE / "taxonomy.yaml"
TOP = ("version", "sources", "taxonomies", "airs", "open_eligibility")
AIRS_KEYS = {"code", "name", "category", "source", "note"}
OPEN_ELIGIBILITY_KEYS = {"name", "ids", "category", "source", "note"}
COMMUNITY = "com."


class TaxonomyError(ValueError):
    def __init__(self, path: Path, entry: str, reason: str) -> None:
        super().__init__(f"{path.name}: {entry}: {reason}")


@cache
def crosswalk() -> Crosswalk:
    return load(PATH)


def load(path: Path, *, codes_path: Path = HERE / "interventions.csv") -> Crosswalk:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TaxonomyError(path, "file", "must be a mapping of " + ", ".join(TOP))
    _keys(path, "file", data, set(TOP), required=TOP)
    if data["version"] != 1:
        raise TaxonomyError(path, "version", "must be 1")
    sources = _sources(path, data["sources"])
    known = _community_codes(codes_path)
    return Crosswalk(
        schemes=_schemes(path, data["taxonomies"], sources),
        airs=_airs(path, data["airs"], sources, known),
        open_eligibility=_open_eligibility(path, data["open_eligibility"], sources, known),
    )


def _sources(path: Path, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw:
        raise TaxonomyError(path, "sources", "must be a non-empty mapping")
    for key, text in raw.items():
        if not isinstance(text, str) or not text.strip():
            raise TaxonomyError(path, f"sources.{key}", "needs the full citation")
    return {str(k): " ".join(v.split()) for k, v in raw.items()}


def _schemes(path: Path, raw: Any, sources: Mapping[str, str]) -> dict[str, Scheme]:
    if not isinstance(raw, dict) or set(raw) != {s.value for s in Scheme}:
        raise TaxonomyError(path, "taxonomies", "must list the names of airs and open_eligibility")
    schemes: dict[str, Scheme] = {}
    for scheme in Scheme:
        for n, spec in enumerate(_entries(path, f"taxonomies.{scheme}", raw[scheme.value]), 1):
            entry = f"taxonomies.{scheme} {n}"
            _keys(path, entry, spec, {"name", "source"}, required=("name", "source"))
            _source(path, entry, spec, sources)
            key = taxonomy_key(_text(path, entry, spec, "name"))
            if key in schemes:
                raise TaxonomyError(path, entry, f"{spec['name']} is listed twice")
            schemes[key] = scheme
    return schemes


def _airs(
    path: Path, raw: Any, sources: Mapping[str, str], known: frozenset[str]
) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for n, spec in enumerate(_entries(path, "airs", raw), 1):
        entry = f"airs {spec.get('code', n)}"
        _keys(path, entry, spec, AIRS_KEYS, required=("code", "name", "category", "source"))
        code = _text(path, entry, spec, "code")
        if airs_code(code) != code:
            raise TaxonomyError(
                path, entry, "code must be a 211HSIS code as published, e.g. RX-8450.1150"
            )
        if code in rules:
            raise TaxonomyError(path, entry, "is listed twice")
        name = _text(path, entry, spec, "name")
        rules[code] = Rule(
            category=_category(path, entry, spec, known),
            term=f"{code} {name}",
            source=_source(path, entry, spec, sources),
        )
    return rules


def _open_eligibility(
    path: Path, raw: Any, sources: Mapping[str, str], known: frozenset[str]
) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for n, spec in enumerate(_entries(path, "open_eligibility", raw), 1):
        entry = f"open_eligibility {spec.get('name', n)}"
        _keys(
            path, entry, spec, OPEN_ELIGIBILITY_KEYS, required=("name", "ids", "category", "source")
        )
        name = _text(path, entry, spec, "name")
        ids = spec["ids"]
        if not isinstance(ids, list) or not ids or not all(_whole(i) for i in ids):
            raise TaxonomyError(path, entry, "ids must list the term's ids in the published file")
        if name_key(name) in rules:
            raise TaxonomyError(path, entry, "is listed twice")
        rules[name_key(name)] = Rule(
            category=_category(path, entry, spec, known),
            term=name,
            source=_source(path, entry, spec, sources),
        )
    return rules


def _category(path: Path, entry: str, spec: Mapping[str, Any], known: frozenset[str]) -> str:
    category = spec["category"]
    if category not in known:
        raise TaxonomyError(path, entry, f"{category} is not a com.* code of interventions.csv")
    return str(category)


def _source(path: Path, entry: str, spec: Mapping[str, Any], sources: Mapping[str, str]) -> str:
    name = spec.get("source")
    if name not in sources:
        raise TaxonomyError(path, entry, "source must name one of the sources")
    return sources[name]


def _entries(path: Path, entry: str, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw or not all(isinstance(r, dict) for r in raw):
        raise TaxonomyError(path, entry, "must be a non-empty list of mappings")
    return raw


def _keys(
    path: Path, entry: str, spec: Mapping[str, Any], allowed: set[str], *, required: tuple[str, ...]
) -> None:
    unknown = sorted(str(k) for k in set(spec) - allowed)
    if unknown:
        raise TaxonomyError(path, entry, f"unknown key {unknown[0]}")
    missing = [k for k in required if k not in spec]
    if missing:
        raise TaxonomyError(path, entry, f"needs {missing[0]}")


def _text(path: Path, entry: str, spec: Mapping[str, Any], key: str) -> str:
    value = spec[key]
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(path, entry, f"{key} must be text")
    return value


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _community_codes(codes_path: Path) -> frozenset[str]:
    with codes_path.open(encoding="utf-8") as rows:
        return frozenset(
            row["code"] for row in csv.DictReader(rows) if row["code"].startswith(COMMUNITY)
        )
