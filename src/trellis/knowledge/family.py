"""The family member's own content (knowledge/family/*.yaml): education topics, support groups,
empathy exercises, CRAFT modules and the PHQ-4 well-being check-in.

Every entry has English and Spanish text and names its source. A bad file fails loudly at load
time, naming the file, the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trellis.core import family_wellbeing as core
from trellis.knowledge.content import (
    ContentError,
    Text,
)
from trellis.knowledge.content import required as _required
from trellis.knowledge.content import text as _text
from trellis.knowledge.instruments import catalog

FOLDER = Path(__file__).parent / "family"


@dataclass(frozen=True)
class Topic:
    id: str
    title: Text
    summary: Text
    paragraphs: tuple[Text, ...]
    points: tuple[Text, ...]
    source: str


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    what: Text
    website: str
    source: str
    phone: str = ""


@dataclass(frozen=True)
class Pair:
    avoid: Text
    use: Text


@dataclass(frozen=True)
class Exercise:
    """A guided exercise: an empathy exercise or a CRAFT module."""

    id: str
    title: Text
    summary: Text
    steps: tuple[Text, ...]
    source: str
    example: Text | None = None
    pairs: tuple[Pair, ...] = ()


@dataclass(frozen=True)
class Craft:
    modules: dict[str, Exercise]
    coaching: Text
    coaching_source: str
    outcomes: dict[int, Text]


@dataclass(frozen=True)
class Item:
    code: str
    subscale: str
    text: Text


@dataclass(frozen=True)
class Wellbeing:
    name: Text
    source: str
    terms: str
    spanish_source: str
    prompt: Text
    options: dict[int, Text]
    items: tuple[Item, ...]
    subscales: dict[str, Text]
    bands: dict[str, Text]
    stress_question: Text
    stress_source: str
    rules: core.Rules


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic]
    groups: tuple[Group, ...]
    groups_note: Text
    empathy: tuple[Exercise, ...]
    craft: Craft
    wellbeing: Wellbeing


@cache
def content() -> Content:
    groups = _read("support_groups.yaml")
    return Content(
        topics=_by_id(_topic, _read("topics.yaml"), "topics", "topics.yaml"),
        groups=tuple(_entries(_group, groups, "groups", "support_groups.yaml")),
        groups_note=_text(groups.get("note"), "support_groups.yaml: note"),
        empathy=tuple(_entries(_exercise, _read("empathy.yaml"), "exercises", "empathy.yaml")),
        craft=_craft(_read("craft.yaml")),
        wellbeing=_wellbeing(_read("wellbeing.yaml")),
    )


def _read(name: str) -> dict[str, Any]:
    data = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ContentError(f"{name}: must be a mapping")
    return data


def _entries(build: Any, data: dict[str, Any], key: str, file: str) -> list[Any]:
    rows = data.get(key)
    if not isinstance(rows, list) or not rows:
        raise ContentError(f"{file}: {key} is empty")
    built = [build(raw, f"{file}: {key}[{n}] {raw.get('id', '?')}") for n, raw in enumerate(rows)]
    ids = [entry.id for entry in built]
    for n, entry_id in enumerate(ids):
        if entry_id in ids[:n]:
            raise ContentError(f"{file}: {key}[{n}] {entry_id}: id used twice")
    return built


def _by_id(build: Any, data: dict[str, Any], key: str, file: str) -> dict[str, Any]:
    return {entry.id: entry for entry in _entries(build, data, key, file)}


def _topic(raw: dict[str, Any], where: str) -> Topic:
    return Topic(
        id=_required(raw, "id", where),
        title=_text(raw.get("title"), f"{where}: title"),
        summary=_text(raw.get("summary"), f"{where}: summary"),
        paragraphs=_texts(raw, "paragraphs", where),
        points=_texts(raw, "points", where),
        source=_required(raw, "source", where),
    )


def _group(raw: dict[str, Any], where: str) -> Group:
    website = _required(raw, "website", where)
    if not website.startswith("https://"):
        raise ContentError(f"{where}: website must start with https://")
    return Group(
        id=_required(raw, "id", where),
        name=_required(raw, "name", where),
        what=_text(raw.get("what"), f"{where}: what"),
        website=website,
        source=_required(raw, "source", where),
        phone=str(raw.get("phone") or ""),
    )


def _exercise(raw: dict[str, Any], where: str) -> Exercise:
    pairs = tuple(
        Pair(
            _text(p.get("avoid"), f"{where}: pairs[{n}] avoid"),
            _text(p.get("use"), f"{where}: pairs[{n}] use"),
        )
        for n, p in enumerate(raw.get("pairs") or [])
    )
    example = raw.get("example")
    return Exercise(
        id=_required(raw, "id", where),
        title=_text(raw.get("title"), f"{where}: title"),
        summary=_text(raw.get("summary"), f"{where}: summary"),
        steps=_texts(raw, "steps", where),
        source=_required(raw, "source", where),
        example=None if example is None else _text(example, f"{where}: example"),
        pairs=pairs,
    )


def _craft(data: dict[str, Any]) -> Craft:
    file = "craft.yaml"
    outcomes = _scale(data.get("outcomes"), f"{file}: outcomes")
    if sorted(outcomes) != [1, 2, 3, 4, 5]:
        raise ContentError(f"{file}: outcomes must be the values 1-5")
    return Craft(
        modules=_by_id(_exercise, data, "modules", file),
        coaching=_text(data.get("coaching"), f"{file}: coaching"),
        coaching_source=_required(data, "coaching_source", file),
        outcomes=outcomes,
    )


def _wellbeing(data: dict[str, Any]) -> Wellbeing:
    file = "wellbeing.yaml"
    items = tuple(
        _item(raw, f"{file}: items[{n}] {raw.get('code', '?')}")
        for n, raw in enumerate(data.get("items") or [])
    )
    subscales = {
        k: _text(v, f"{file}: subscales {k}") for k, v in (data.get("subscales") or {}).items()
    }
    for item in items:
        if item.subscale not in subscales:
            raise ContentError(
                f"{file}: items {item.code}: subscale must be one of {', '.join(subscales)}"
            )
    options = _scale(data.get("options"), f"{file}: options")
    bands = _bands(data.get("bands"), f"{file}: bands", high=max(options) * len(items))
    stress = data.get("stress") or {}
    rules = core.Rules(
        items=tuple((i.code, i.subscale) for i in items),
        item_high=max(options),
        bands=tuple(core.Band(b["min"], b["max"], b["label"]) for b in bands),
        positive_at=_whole(data, "positive_at", file),
        refer_bands=frozenset(data.get("refer_bands") or ()),
        stress_high=_whole(stress, "max", f"{file}: stress"),
    )
    if not rules.refer_bands <= {b.label for b in rules.bands}:
        raise ContentError(f"{file}: refer_bands must name bands")
    return Wellbeing(
        name=_text(data.get("name"), f"{file}: name"),
        source=_required(data, "source", file),
        terms=_required(data, "terms", file),
        spanish_source=_required(data, "spanish_source", file),
        prompt=_text(data.get("prompt"), f"{file}: prompt"),
        options=options,
        items=items,
        subscales=subscales,
        bands={b["label"]: _text(b, f"{file}: bands {b['label']}") for b in bands},
        stress_question=_text(stress.get("question"), f"{file}: stress question"),
        stress_source=_required(stress, "source", f"{file}: stress"),
        rules=rules,
    )


def _item(raw: dict[str, Any], where: str) -> Item:
    """An item whose English wording is the catalogue's (phq2.yaml, gad7.yaml) and Spanish is ours."""
    instrument = catalog().get(raw.get("instrument", ""))
    number = raw.get("item")
    if (
        instrument is None
        or not isinstance(number, int)
        or not 1 <= number <= len(instrument.items)
    ):
        raise ContentError(f"{where}: instrument and item must name an item of a known instrument")
    english = instrument.items[number - 1].text
    return Item(
        code=_required(raw, "code", where),
        subscale=_required(raw, "subscale", where),
        text=_text({"en": english, "es": raw.get("es")}, where),
    )


def _bands(rows: Any, where: str, *, high: int) -> list[dict[str, Any]]:
    if not isinstance(rows, list) or not rows:
        raise ContentError(f"{where}: needs bands")
    expected = 0
    for row in rows:
        if (
            row.get("min") != expected
            or not isinstance(row.get("max"), int)
            or row["max"] < expected
        ):
            raise ContentError(f"{where} {row.get('label', '?')}: bands must be contiguous from 0")
        _required(row, "label", where)
        expected = row["max"] + 1
    if expected != high + 1:
        raise ContentError(f"{where}: bands must end at {high}")
    return rows


def _scale(rows: Any, where: str) -> dict[int, Text]:
    if not isinstance(rows, list) or not rows:
        raise ContentError(f"{where}: needs values")
    out: dict[int, Text] = {}
    for n, row in enumerate(rows):
        if not isinstance(row.get("value"), int):
            raise ContentError(f"{where}[{n}]: value must be a whole number")
        out[row["value"]] = _text(row, f"{where}[{n}]")
    return out


def _texts(raw: dict[str, Any], key: str, where: str) -> tuple[Text, ...]:
    rows = raw.get(key)
    if not isinstance(rows, list) or not rows:
        raise ContentError(f"{where}: {key} is empty")
    return tuple(_text(row, f"{where}: {key}[{n}]") for n, row in enumerate(rows))


def _whole(raw: dict[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ContentError(f"{where}: {key} must be a whole number")
    return value
