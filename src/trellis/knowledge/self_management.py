"""Self-management content (knowledge/selfcare/exercises.yaml): the guided exercises, and the
trigger and coping vocabularies a person picks from. Checked at load time like every file here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trellis.knowledge.content import (
    LANGUAGES,
    ContentError,
)
from trellis.knowledge.content import required as _required
from trellis.knowledge.content import text as _text

FILE = Path(__file__).parent / "selfcare" / "exercises.yaml"
STRATEGIES = ("coping", "mindfulness", "compassion")


@dataclass(frozen=True)
class Step:
    text: dict[str, str]
    seconds: int


@dataclass(frozen=True)
class Exercise:
    id: str
    strategy: str
    title: dict[str, str]
    summary: dict[str, str]
    source: str
    minutes: int
    steps: tuple[Step, ...]
    breathing: dict[str, int] | None = None


@dataclass(frozen=True)
class Content:
    exercises: dict[str, Exercise]
    triggers: dict[str, dict[str, str]]  # code -> {en, es}
    triggers_source: str
    coping: dict[str, dict[str, str]]
    after_use: dict[str, str]
    after_use_source: str

    def by_strategy(self, strategy: str) -> list[Exercise]:
        return [e for e in self.exercises.values() if e.strategy == strategy]


@cache
def content() -> Content:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    exercises: dict[str, Exercise] = {}
    for n, raw in enumerate(data.get("exercises") or []):
        where = f"{FILE.name}: exercises[{n}] {raw.get('id', '?')}"
        exercise = _exercise(raw, where)
        if exercise.id in exercises:
            raise ContentError(f"{where}: id used twice")
        exercises[exercise.id] = exercise
    return Content(
        exercises=exercises,
        triggers=_vocabulary(data, "triggers"),
        triggers_source=_required(data, "triggers_source", FILE.name),
        coping=_vocabulary(data, "coping"),
        after_use=_text(data.get("after_use"), f"{FILE.name}: after_use"),
        after_use_source=_required(data, "after_use_source", FILE.name),
    )


def _exercise(raw: dict[str, Any], where: str) -> Exercise:
    if raw.get("strategy") not in STRATEGIES:
        raise ContentError(f"{where}: strategy must be one of {', '.join(STRATEGIES)}")
    minutes = raw.get("minutes")
    if not isinstance(minutes, int) or not 1 <= minutes <= 20:
        raise ContentError(f"{where}: minutes must be a whole number 1-20")
    steps = []
    for i, step in enumerate(raw.get("steps") or []):
        seconds = step.get("seconds")
        if not isinstance(seconds, int) or not 5 <= seconds <= 120:
            raise ContentError(f"{where}: steps[{i}]: seconds must be 5-120")
        steps.append(Step({k: step[k] for k in LANGUAGES if k in step}, seconds))
        _text(steps[-1].text, f"{where}: steps[{i}]")
    if not steps:
        raise ContentError(f"{where}: needs steps")
    breathing = raw.get("breathing")
    if breathing is not None and not all(
        isinstance(breathing.get(k), int) for k in ("inhale", "hold", "exhale")
    ):
        raise ContentError(f"{where}: breathing needs whole seconds for inhale, hold and exhale")
    return Exercise(
        id=_required(raw, "id", where),
        strategy=raw["strategy"],
        title=_text(raw.get("title"), f"{where}: title"),
        summary=_text(raw.get("summary"), f"{where}: summary"),
        source=_required(raw, "source", where),
        minutes=minutes,
        steps=tuple(steps),
        breathing=breathing,
    )


def _vocabulary(data: dict[str, Any], key: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(data.get(key) or []):
        where = f"{FILE.name}: {key}[{n}]"
        code = _required(row, "code", where)
        out[code] = _text({k: row.get(k) for k in LANGUAGES}, where)
    if not out:
        raise ContentError(f"{FILE.name}: {key} is empty")
    return out
