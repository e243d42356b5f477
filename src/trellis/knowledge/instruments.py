"""Load the instrument definitions (knowledge/instruments/*.yaml) into the core's types.

A bad file fails loudly at load time, naming the file, the entry and the reason.
"""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trellis.core.instrument_rules import RULES as SCORING_RULES
from trellis.core.instruments import Band, Instrument, Item, Option

FOLDER = Path(__file__).with_name("instruments")
KINDS = {"choice", "yesno", "range", "scores", "daylist"}
RULES = {None, *SCORING_RULES}  # the manuals' own rules, one per instrument that has them
REQUIRED = ("id", "name", "source", "terms", "items")


class KnowledgeError(ValueError):
    def __init__(self, path: Path, entry: str, reason: str) -> None:
        super().__init__(f"{path.name}: {entry}: {reason}")


@cache
def catalog() -> dict[str, Instrument]:
    loaded = [load(path) for path in sorted(FOLDER.glob("*.yaml"))]
    return {i.id: i for i in loaded}


def load(path: Path) -> Instrument:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in REQUIRED:
        if not data.get(key):
            raise KnowledgeError(path, key, "is required")
    if data["id"] != path.stem:
        raise KnowledgeError(path, "id", f"must match the file name ({path.stem})")
    if data.get("rule") not in RULES:
        raise KnowledgeError(path, "rule", f"must be one of {sorted(r for r in RULES if r)}")
    items = tuple(
        _item(path, n, spec, data.get("options")) for n, spec in enumerate(data["items"], start=1)
    )
    return Instrument(
        id=data["id"],
        name=data["name"],
        items=items,
        bands=_bands(path, data.get("bands", [])),
        flags=tuple(_flag(path, f, len(items)) for f in data.get("flags", [])),
        subscales={k: tuple(v) for k, v in (data.get("subscales") or {}).items()},
        rule=data.get("rule"),
        loinc_panel=(data.get("loinc") or {}).get("panel"),
        loinc_total=(data.get("loinc") or {}).get("total"),
        source=data["source"],
        terms=data["terms"],
        prompt=data.get("prompt", ""),
        ages=tuple(data["ages"]) if data.get("ages") else None,  # type: ignore[arg-type]
        extra={
            k: data[k]
            for k in (
                "cutoffs",
                "provisional",
                "skip_rules",
                "item_scores",
                "licence_setting_required",
                "clinician_rated",
            )
            if k in data
        },
    )


def _item(
    path: Path, number: int, spec: dict[str, Any], shared: list[dict[str, Any]] | None
) -> Item:
    where = f"item {number}"
    if not spec.get("text"):
        raise KnowledgeError(path, where, "needs text")
    kind = spec.get("type", "choice")
    if kind not in KINDS:
        raise KnowledgeError(path, where, f"type must be one of {sorted(KINDS)}")
    options = spec.get("options", shared if kind == "choice" else None) or []
    if kind == "scores":
        options = [{"value": v, "label": str(v)} for v in spec.get("allowed", [])]
    if kind in ("choice", "scores") and not options:
        raise KnowledgeError(path, where, "needs options")
    return Item(
        number=number,
        text=spec["text"],
        kind=kind,
        options=tuple(Option(o["value"], o.get("score", o["value"]), o["label"]) for o in options),
        low=spec.get("min", 0),
        high=spec.get("max", 0),
        reverse=spec.get("reverse", False),
        score_yes=spec.get("score_yes", 1),
        critical=spec.get("critical", False),
        optional=spec.get("optional", False),
        unscored=spec.get("unscored", False),
        count=spec.get("count", 0),
        loinc=spec.get("loinc"),
        asked_if_yes=_gate(path, where, spec.get("asked_if_yes"), number),
    )


def _gate(path: Path, where: str, gate: Any, number: int) -> int | None:
    if gate is not None and not (isinstance(gate, int) and 1 <= gate < number):
        raise KnowledgeError(path, where, "asked_if_yes must name an earlier item's number")
    return gate


def _bands(path: Path, bands: list[dict[str, Any]]) -> tuple[Band, ...]:
    out = tuple(Band(b["min"], b["max"], b["label"]) for b in bands)
    for before, after in itertools.pairwise(out):
        if after.low != before.high + 1:
            raise KnowledgeError(
                path, f"band {after.label}", "bands must be contiguous and ascending"
            )
    return out


def _flag(path: Path, spec: dict[str, Any], count: int) -> dict[str, Any]:
    if not {"flag", "item", "above"} <= set(spec) or not 1 <= spec["item"] <= count:
        raise KnowledgeError(
            path, f"flag {spec.get('flag')}", "needs flag, item (1-{count}) and above"
        )
    return spec
