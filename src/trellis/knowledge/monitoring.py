"""Load the monitoring rules (monitoring.yaml) into the core's types and check every entry.

A bad file fails at load time with the file, the entry and the reason: an unknown key, a number
out of range, a source not named under `sources`, an unknown instrument, condition, scale or
intervention code.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trellis.core.monitoring import (
    CHECKIN,
    SEVERITY_ORDER,
    Condition,
    Rules,
    Scheduled,
    SignalKind,
    SignalRules,
)
from trellis.core.reliable_change import TOTAL, Reliability

HERE = Path(__file__).parent
PATH = HERE / "monitoring.yaml"
TOP = ("version", "sources", "names", "conditions", "schedule", "reliable_change", "signals")
CONDITION_KEYS = {"label", "always", "codes", "phrases", "any_of", "levels_except"}
SCHEDULE_KEYS = {
    "instrument",
    "when",
    "every_days",
    "at_review",
    "window_days",
    "grace_days",
    "source",
}
SCALE_KEYS = {"sd", "sd_source", "reliability", "reliability_source", "worse"}
SIGNAL_KEYS = {
    SignalKind.SUICIDAL_IDEATION: {"flags"},
    SignalKind.RETURN_TO_USE: {"abstinent_checkins"},
    SignalKind.CRAVING_SPIKE: {"at_least", "above_mean_by", "previous", "min_previous"},
    SignalKind.MISSED_CHECKINS: {"days"},
    SignalKind.RELIABLE_WORSENING: set(),
    SignalKind.OVERDUE_REASSESSMENT: set(),
    SignalKind.GOALS_STALLED: set(),
}


class MonitoringError(ValueError):
    def __init__(self, path: Path, entry: str, reason: str) -> None:
        super().__init__(f"{path.name}: {entry}: {reason}")


@cache
def rules() -> Rules:
    return load(PATH)


def load(path: Path) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise MonitoringError(path, "file", "must be a mapping of " + ", ".join(TOP))
    _keys(path, "file", data, set(TOP), required=TOP)
    sources = _sources(path, data["sources"])
    names = _names(path, data["names"])
    conditions = _conditions(path, data["conditions"])
    schedule = _schedule(path, data["schedule"], conditions, names, sources)
    threshold, reliabilities, directions = _reliable_change(path, data["reliable_change"], sources)
    return Rules(
        version=_int(path, "version", data, "version", low=1),
        names=names,
        conditions=conditions,
        schedule=schedule,
        threshold=threshold,
        reliabilities=reliabilities,
        directions=directions,
        signals=_signals(path, data["signals"], sources),
        sources=sources,
        labels=_labels(data["reliable_change"]),
    )


def _sources(path: Path, raw: Any) -> dict[str, str]:
    sources = _mapping(path, "sources", raw)
    for key, text in sources.items():
        if not isinstance(text, str) or not text.strip():
            raise MonitoringError(path, f"sources.{key}", "needs the full citation")
    return {str(k): v.strip() for k, v in sources.items()}


def _names(path: Path, raw: Any) -> dict[str, str]:
    names = _mapping(path, "names", raw)
    for key, name in names.items():
        if not isinstance(name, str) or not name.strip():
            raise MonitoringError(path, f"names.{key}", "needs the name shown to people")
    return {str(k): v for k, v in names.items()}


def _conditions(path: Path, raw: Any) -> dict[str, Condition]:
    specs = {
        str(k): _mapping(path, f"conditions.{k}", v)
        for k, v in _mapping(path, "conditions", raw).items()
    }
    return {key: _condition(path, key, spec, specs) for key, spec in specs.items()}


def _condition(
    path: Path, key: str, spec: Mapping[str, Any], specs: Mapping[str, Mapping[str, Any]]
) -> Condition:
    entry = f"conditions.{key}"
    _keys(path, entry, spec, CONDITION_KEYS, required=("label",))
    if spec.get("always", True) is not True:
        raise MonitoringError(path, entry, "always must be true, or left out")
    codes, phrases = _strings(path, entry, spec, "codes"), _strings(path, entry, spec, "phrases")
    for other in _strings(path, entry, spec, "any_of"):
        if other not in specs or "any_of" in specs[other]:
            raise MonitoringError(
                path, entry, f"any_of: {other} must be a condition without any_of"
            )
        codes += _strings(path, entry, specs[other], "codes")
        phrases += _strings(path, entry, specs[other], "phrases")
    unknown = sorted(set(codes) - _intervention_codes())
    if unknown:
        raise MonitoringError(path, entry, f"{unknown[0]} is not a code of interventions.csv")
    levels = _strings(path, entry, spec, "levels_except") if "levels_except" in spec else None
    bad_levels = sorted(set(levels or ()) - _levels())
    if bad_levels:
        raise MonitoringError(path, entry, f"{bad_levels[0]} is not a level of placement.yaml")
    if not (spec.get("always") is True or codes or phrases or levels is not None):
        raise MonitoringError(
            path, entry, "needs always: true, codes, phrases, any_of or levels_except"
        )
    return Condition(
        id=key,
        label=str(spec["label"]),
        always=spec.get("always") is True,
        codes=frozenset(codes),
        phrases=tuple(dict.fromkeys(p.lower() for p in phrases)),
        levels_except=tuple(levels) if levels is not None else None,
    )


def _schedule(
    path: Path,
    raw: Any,
    conditions: Mapping[str, Condition],
    names: Mapping[str, str],
    sources: Mapping[str, str],
) -> tuple[Scheduled, ...]:
    if not isinstance(raw, list) or not raw:
        raise MonitoringError(path, "schedule", "must be a non-empty list")
    entries = tuple(
        _scheduled(path, n, spec, conditions, names, sources) for n, spec in enumerate(raw, 1)
    )
    ids = [e.instrument for e in entries]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise MonitoringError(path, "schedule", f"{twice[0]} is scheduled twice")
    return entries


def _scheduled(
    path: Path,
    n: int,
    raw: Any,
    conditions: Mapping[str, Condition],
    names: Mapping[str, str],
    sources: Mapping[str, str],
) -> Scheduled:
    spec = _mapping(path, f"schedule {n}", raw)
    entry = f"schedule {n} ({spec.get('instrument', '?')})"
    _keys(path, entry, spec, SCHEDULE_KEYS, required=("instrument", "when", "grace_days", "source"))
    instrument = str(spec["instrument"])
    if instrument != CHECKIN and instrument not in _instrument_ids():
        raise MonitoringError(path, entry, f"instrument must be {CHECKIN} or a known instrument")
    if instrument not in names:
        raise MonitoringError(path, entry, "needs a name under `names`")
    if spec["when"] not in conditions:
        raise MonitoringError(path, entry, "when must name one of the conditions")
    _source(path, entry, spec, "source", sources)
    if ("every_days" in spec) == (spec.get("at_review") is True):
        raise MonitoringError(path, entry, "needs either every_days or at_review: true")
    return Scheduled(
        instrument=instrument,
        when=str(spec["when"]),
        grace_days=_int(path, entry, spec, "grace_days", low=0),
        every_days=_int(path, entry, spec, "every_days", low=1) if "every_days" in spec else None,
        window_days=_int(path, entry, spec, "window_days", low=0) if "window_days" in spec else 0,
    )


def _reliable_change(
    path: Path, raw: Any, sources: Mapping[str, str]
) -> tuple[float, dict[tuple[str, str], Reliability], dict[tuple[str, str], str]]:
    spec = _mapping(path, "reliable_change", raw)
    _keys(
        path,
        "reliable_change",
        spec,
        {"threshold", "threshold_source", "instruments"},
        required=("threshold", "threshold_source", "instruments"),
    )
    threshold = _number(path, "reliable_change", spec, "threshold", above=0)
    _source(path, "reliable_change", spec, "threshold_source", sources)
    figures: dict[tuple[str, str], Reliability] = {}
    directions: dict[tuple[str, str], str] = {}
    for instrument, scales in _mapping(
        path, "reliable_change.instruments", spec["instruments"]
    ).items():
        for scale, scale_spec in _mapping(path, f"reliable_change.{instrument}", scales).items():
            key = (str(instrument), str(scale))
            found = _scale(path, key, scale_spec, sources)
            if isinstance(found, Reliability):
                figures[key] = found
            else:
                directions[key] = found
    return threshold, figures, directions


def _labels(raw: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """The words for scales that name them (`label`), checked with the rest by _scale."""
    return {
        (str(i), str(scale)): str(spec["label"])
        for i, scales in raw["instruments"].items()
        for scale, spec in scales.items()
        if isinstance(spec, dict) and "label" in spec
    }


def _scale(
    path: Path, key: tuple[str, str], raw: Any, sources: Mapping[str, str]
) -> Reliability | str:
    """Published figures for one scale, or only its direction while they are missing (TODO)."""
    instrument, scale = key
    entry = f"reliable_change.{instrument}.{scale}"
    spec = _mapping(path, entry, raw)
    _keys(path, entry, spec, SCALE_KEYS | {"item", "label"}, required=("worse",))
    definition = _instrument_ids().get(instrument)
    if definition is None:
        raise MonitoringError(path, entry, "is not a known instrument")
    subscales, count = definition
    item = spec.get("item")
    if item is not None:
        if not isinstance(item, int) or not 1 <= item <= count or scale in (*subscales, TOTAL):
            raise MonitoringError(
                path,
                entry,
                f"item must be an item number of {instrument} (1-{count}) under a new scale name",
            )
    elif scale != TOTAL and scale not in subscales:
        raise MonitoringError(path, entry, f"scale must be {TOTAL} or a subscale of {instrument}")
    if spec["worse"] not in ("up", "down"):
        raise MonitoringError(path, entry, "worse must be up or down")
    if set(spec) == {"worse"}:
        return str(spec["worse"])
    _keys(path, entry, spec, SCALE_KEYS | {"item", "label"}, required=tuple(sorted(SCALE_KEYS)))
    return Reliability(
        instrument=instrument,
        scale=scale,
        sd=_number(path, entry, spec, "sd", above=0),
        reliability=_number(path, entry, spec, "reliability", above=0, below=1),
        worse=str(spec["worse"]),
        item=item,
        sources=tuple(
            dict.fromkeys(
                _source(path, entry, spec, key, sources)
                for key in ("sd_source", "reliability_source")
            )
        ),
    )


def _signals(path: Path, raw: Any, sources: Mapping[str, str]) -> SignalRules:
    spec = _mapping(path, "signals", raw)
    kinds = {k.value for k in SignalKind}
    _keys(
        path,
        "signals",
        spec,
        kinds | {"lookback_days", "lookback_source"},
        required=(*sorted(kinds), "lookback_days", "lookback_source"),
    )
    _source(path, "signals", spec, "lookback_source", sources)
    kind_specs = {kind: _signal(path, kind, spec[kind.value], sources) for kind in SignalKind}
    craving = kind_specs[SignalKind.CRAVING_SPIKE]
    entry = "signals.craving_spike"
    previous = _int(path, entry, craving, "previous", low=1)
    return SignalRules(
        severity={kind: str(s["severity"]) for kind, s in kind_specs.items()},
        lookback_days=_int(path, "signals", spec, "lookback_days", low=0),
        suicide_flags=frozenset(
            _strings(
                path, "signals.suicidal_ideation", kind_specs[SignalKind.SUICIDAL_IDEATION], "flags"
            )
        ),
        abstinent_checkins=_int(
            path,
            "signals.return_to_use",
            kind_specs[SignalKind.RETURN_TO_USE],
            "abstinent_checkins",
            low=1,
        ),
        craving_at_least=_int(path, entry, craving, "at_least", low=0, high=10),
        craving_above_mean_by=_number(path, entry, craving, "above_mean_by", above=0),
        craving_window=previous,
        craving_min_previous=_int(path, entry, craving, "min_previous", low=1, high=previous),
        missed_days=_int(
            path, "signals.missed_checkins", kind_specs[SignalKind.MISSED_CHECKINS], "days", low=1
        ),
    )


def _signal(path: Path, kind: SignalKind, raw: Any, sources: Mapping[str, str]) -> dict[str, Any]:
    entry = f"signals.{kind.value}"
    spec = _mapping(path, entry, raw)
    own = SIGNAL_KEYS[kind]
    _keys(
        path,
        entry,
        spec,
        own | {"severity", "source"},
        required=("severity", "source", *sorted(own)),
    )
    if spec["severity"] not in SEVERITY_ORDER:
        raise MonitoringError(path, entry, "severity must be one of " + ", ".join(SEVERITY_ORDER))
    _source(path, entry, spec, "source", sources)
    return spec


def _keys(
    path: Path, entry: str, spec: Mapping[str, Any], allowed: set[str], *, required: tuple[str, ...]
) -> None:
    unknown = sorted(str(k) for k in set(spec) - allowed)
    if unknown:
        raise MonitoringError(path, entry, f"unknown key {unknown[0]}")
    missing = [k for k in required if k not in spec]
    if missing:
        raise MonitoringError(path, entry, f"needs {missing[0]}")


def _mapping(path: Path, entry: str, raw: Any) -> dict[Any, Any]:
    if not isinstance(raw, dict) or not raw:
        raise MonitoringError(path, entry, "must be a non-empty mapping")
    return raw


def _strings(path: Path, entry: str, spec: Mapping[str, Any], key: str) -> list[str]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise MonitoringError(path, entry, f"{key} must be a list of words")
    return list(value)


def _int(
    path: Path, entry: str, spec: Mapping[str, Any], key: str, *, low: int, high: int | None = None
) -> int:
    value = spec.get(key)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        allowed = f"{low}-{high}" if high is not None else f"at least {low}"
        raise MonitoringError(path, entry, f"{key} must be a whole number, {allowed}")
    return value


def _number(
    path: Path,
    entry: str,
    spec: Mapping[str, Any],
    key: str,
    *,
    above: float,
    below: float | None = None,
) -> float:
    value = spec.get(key)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not value > above
        or (below is not None and not value < below)
    ):
        allowed = f"between {above} and {below}" if below is not None else f"above {above}"
        raise MonitoringError(path, entry, f"{key} must be a number {allowed}")
    return float(value)


def _source(
    path: Path, entry: str, spec: Mapping[str, Any], key: str, sources: Mapping[str, str]
) -> str:
    name = spec.get(key)
    if name not in sources:
        raise MonitoringError(path, entry, f"{key} must name one of the sources")
    return sources[name]


def _instrument_ids() -> dict[str, tuple[tuple[str, ...], int]]:
    """Each known instrument id with its subscale names and its number of items."""
    from trellis.knowledge.instruments import catalog

    return {i: (tuple(d.subscales), len(d.items)) for i, d in catalog().items()}


@cache
def _intervention_codes() -> frozenset[str]:
    with (HERE / "interventions.csv").open(encoding="utf-8") as rows:
        return frozenset(row["code"] for row in csv.DictReader(rows))


@cache
def _levels() -> frozenset[str]:
    from trellis.knowledge import placement_rules

    return frozenset(str(level) for level in placement_rules()["levels"])  # type: ignore[union-attr]
