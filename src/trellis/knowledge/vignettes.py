"""Load the training vignettes (knowledge/training/*.yaml, one case a file) and check each one.

A bad file fails at load time with the file, the vignette and the reason: a missing title or
narrative, an unknown key (a hand-written `reference` among them), an id that is not the file's name, an intake the intake schema refuses, an intake
without `assessed_on` (the reference must not depend on the day it is computed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trellis.core import intake as core_intake
from trellis.core.errors import InvalidInput
from trellis.core.knowledge_base import LANGUAGES
from trellis.core.training import Vignette

FOLDER = Path(__file__).parent / "training"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# No `reference` key: the reference placement and plan are computed by the engine, never written.
KEYS = ("id", "title", "narrative", "intake")


class VignetteError(ValueError):
    def __init__(self, path: Path, vignette: str, reason: str) -> None:
        super().__init__(f"{path.name}: {vignette}: {reason}")


@cache
def vignettes() -> dict[str, Vignette]:
    return load(FOLDER)


def load(folder: Path) -> dict[str, Vignette]:
    """Every vignette in the folder, in file-name order, by id."""
    loaded: dict[str, Vignette] = {}
    for path in sorted(folder.glob("*.yaml")):
        vignette = _vignette(path, yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        loaded[vignette.id] = vignette
    if not loaded:
        raise VignetteError(folder, "-", "no vignette found")
    return loaded


def _vignette(path: Path, raw: Mapping[str, Any]) -> Vignette:
    vignette_id = str(raw.get("id") or "?")
    if vignette_id != path.stem or not SLUG.match(vignette_id):
        raise VignetteError(path, vignette_id, "id must be the file's name (a-z, 0-9 and -)")
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise VignetteError(
            path, vignette_id, f"unknown key {unknown[0]} (allowed: {', '.join(KEYS)})"
        )
    for key in ("title", "narrative", "intake"):
        if not isinstance(raw.get(key), Mapping):
            raise VignetteError(path, vignette_id, f"needs {key}")
    for key in ("title", "narrative"):
        _check_text(path, vignette_id, key, raw[key])
    intake = raw["intake"]
    try:
        core_intake.validate(intake)
    except InvalidInput as refused:
        raise VignetteError(path, vignette_id, f"intake: {refused.message}") from None
    if not intake.get("assessed_on"):
        raise VignetteError(path, vignette_id, "intake needs assessed_on")
    return Vignette(vignette_id, dict(raw["title"]), dict(raw["narrative"]), intake)


def _check_text(path: Path, vignette_id: str, key: str, text: Mapping[str, Any]) -> None:
    if not str(text.get("en") or "").strip():
        raise VignetteError(path, vignette_id, f"{key} needs English (en)")
    unknown = sorted(set(text) - set(LANGUAGES))
    if unknown:
        raise VignetteError(path, vignette_id, f"{key}: unknown language {unknown[0]}")
