"""Load the stepped-care rules (stepped_care.yaml) and check every one.

A bad file fails at load time with the file, the rule and the reason: a condition that does not
parse or names an unknown fact, a band the instrument does not publish, an intervention code that
is not in interventions.csv, a level that is not a contract level, a missing source.
"""

from __future__ import annotations

import ast
import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from trellis.core.knowledge_base import LANGUAGES
from trellis.core.placement import LEVEL_ORDER
from trellis.core.rules import Condition, RuleError, compile_condition
from trellis.core.stepped_care import INSTRUMENTS, Rule, SteppedCare, Treatment, known_facts
from trellis.knowledge import placement_rules, plan_rules

HERE = Path(__file__).parent
FILE = HERE / "stepped_care.yaml"
STEPS = (None, "up", "down")
# `<m>_band` fact -> the instrument whose published bands it may be compared with.
BAND_FACTS = {f"{i.replace('.', '_')}_band": i.split(".")[0] for i in INSTRUMENTS}


class SteppedCareError(ValueError):
    def __init__(self, path: Path, rule: str, reason: str) -> None:
        super().__init__(f"{path.name}: {rule}: {reason}")


@cache
def rules() -> SteppedCare:
    return load(FILE)


def load(
    path: Path,
    *,
    codes_path: Path = HERE / "interventions.csv",
    sources_path: Path = HERE / "sources.yaml",
) -> SteppedCare:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    with codes_path.open(encoding="utf-8") as f:
        names = {row["code"]: row["name"] for row in csv.DictReader(f)}
    sources = {
        **yaml.safe_load(sources_path.read_text(encoding="utf-8")),
        **(data.get("sources") or {}),
    }
    loaded = tuple(_rule(path, raw, names, sources) for raw in data.get("rules") or [])
    ids = [r.id for r in loaded]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise SteppedCareError(path, twice[0], "defined twice")
    return SteppedCare(
        version=int(data.get("version", 0)),
        rules=loaded,
        intensify=_intensify(path, data.get("intensify") or {}, names, sources),
        names=names,
        level_names=dict(cast(Mapping[str, str], placement_rules()["levels"])),
        review_days={
            k: int(v) for k, v in cast(Mapping[str, int], plan_rules()["review_days"]).items()
        },
    )


def _rule(
    path: Path, raw: Mapping[str, Any], names: Mapping[str, str], sources: Mapping[str, str]
) -> Rule:
    rule_id = str(raw.get("id") or "?")
    for key in ("id", "when", "says", "sources"):
        if not raw.get(key):
            raise SteppedCareError(path, rule_id, f"needs {key}")
    treat = tuple(_treatment(path, rule_id, t, names) for t in raw.get("treat") or [])
    step, limit = raw.get("step"), raw.get("limit")
    if step not in STEPS:
        raise SteppedCareError(path, rule_id, "step must be up or down")
    if step and limit not in LEVEL_ORDER:
        raise SteppedCareError(path, rule_id, f"limit must be one of {', '.join(LEVEL_ORDER)}")
    if not treat and not step:
        raise SteppedCareError(path, rule_id, "needs treat or step (it would change nothing)")
    keep = tuple(raw.get("keep") or ())
    _known_codes(path, rule_id, keep, names, "keep")
    if keep and not raw.get("keep_says"):
        raise SteppedCareError(path, rule_id, "keep needs keep_says")
    return Rule(
        id=rule_id,
        when=_condition(path, rule_id, str(raw["when"])),
        says=str(raw["says"]).strip(),
        treat=treat,
        step=step,
        limit=limit if step else None,
        keep=keep,
        keep_says=str(raw.get("keep_says") or "").strip(),
        source=_cite(path, rule_id, raw["sources"], sources),
    )


def _treatment(path: Path, rule_id: str, raw: Any, names: Mapping[str, str]) -> Treatment:
    treatment = (
        Treatment(str(raw.get("code")), bool(raw.get("consider")))
        if isinstance(raw, dict)
        else Treatment(str(raw))
    )
    _known_codes(path, rule_id, (treatment.code,), names, "treat")
    return treatment


def _known_codes(
    path: Path, rule_id: str, codes: tuple[str, ...], names: Mapping[str, str], where: str
) -> None:
    unknown = [c for c in codes if c not in names]
    if unknown:
        raise SteppedCareError(
            path, rule_id, f"{where}: {unknown[0]} is not a code of interventions.csv"
        )


def _condition(path: Path, rule_id: str, text: str) -> Condition:
    try:
        condition = compile_condition(" ".join(text.split()), known_facts())
    except RuleError as error:
        raise SteppedCareError(path, rule_id, str(error)) from None
    for fact, band in _band_comparisons(condition.tree):
        published = _bands(fact)
        if band not in published:
            allowed = ", ".join(published) or "none (it has no bands)"
            raise SteppedCareError(
                path,
                rule_id,
                f"{fact} is compared with {band!r}; its published bands are {allowed}",
            )
    return condition


def _band_comparisons(tree: ast.expr) -> list[tuple[str, str]]:
    """(fact, band) for every `<m>_band == "band"` (either way round) in the condition."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            facts = [o.id for o in operands if isinstance(o, ast.Name) and o.id in BAND_FACTS]
            texts = [o.value for o in operands if isinstance(o, ast.Constant)]
            found += [(f, str(t)) for f in facts for t in texts]
    return found


def _bands(fact: str) -> tuple[str, ...]:
    from trellis.knowledge.instruments import catalog

    return tuple(b.label for b in catalog()[BAND_FACTS[fact]].bands)


def _cite(path: Path, rule_id: str, keys: Any, sources: Mapping[str, str]) -> str:
    if not isinstance(keys, list) or not keys or any(k not in sources for k in keys):
        raise SteppedCareError(
            path, rule_id, "every source must be named in sources (and there must be one)"
        )
    return "; ".join(sources[k].rstrip(".") for k in keys) + "."


def _intensify(
    path: Path, raw: Mapping[str, Any], names: Mapping[str, str], sources: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    out = {}
    for code, spec in raw.items():
        where = f"intensify {code}"
        _known_codes(path, where, (code,), names, "intensify")
        missing = [k for k in LANGUAGES if not str(spec.get(k) or "").strip()]
        if missing:
            raise SteppedCareError(path, where, f"needs text in {', '.join(missing)}")
        _cite(path, where, spec.get("sources"), sources)
        out[code] = {k: str(spec[k]).strip() for k in LANGUAGES}
    return out
