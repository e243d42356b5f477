"""Load the adaptive intake battery rules (battery.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).with_name("battery.yaml")
KEYS = {
    "id",
    "screen",
    "shared_items",
    "gate_item",
    "ages",
    "when",
    "only_setting",
    "unless_setting",
}


class BatteryError(ValueError):
    pass


@cache
def rules() -> tuple[dict[str, Any], ...]:
    data = yaml.safe_load(PATH.read_text())
    steps = data.get("steps") if isinstance(data, dict) else None
    if not steps:
        raise BatteryError(f"{PATH.name}: `steps` must be a non-empty list")
    for index, step in enumerate(steps):
        unknown = set(step) - KEYS
        if "id" not in step or unknown:
            raise BatteryError(
                f"{PATH.name}: step {index + 1}: needs `id`; unknown keys {sorted(unknown)}"
            )
    return tuple(steps)
