"""The intervention knowledge base as typed, frozen values (loaded by trellis.knowledge)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from trellis.core.rules import Condition

EVIDENCE = ("A", "B", "C", "expert")
LANGUAGES = ("en", "es")
TEXT_KEYS = ("what", "benefits", "risks", "alternatives")
ROLES = ("clinician", "prescriber", "case_manager", "peer_specialist", "navigator", "person")


class Status(StrEnum):
    RECOMMENDED = "recommended"
    CONSIDER = "consider"
    DECLINED = "declined"
    CONTRAINDICATED = "contraindicated"


@dataclass(frozen=True, slots=True)
class Indication:
    condition: Condition
    consider: bool = False


@dataclass(frozen=True, slots=True)
class Guard:
    """A contraindication or a caution: when it holds, the reason is shown."""

    condition: Condition
    reason: str


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    category: str
    name: str
    dimension: int
    indications: tuple[Indication, ...]
    contraindications: tuple[Guard, ...]
    cautions: tuple[Guard, ...]
    evidence: str
    sources: tuple[str, ...]
    frequency: Mapping[str, str]
    duration: Mapping[str, str]
    responsible: str
    staff_minutes_per_week: int
    alternatives: tuple[str, ...]
    text: Mapping[str, Mapping[str, str]]
    need: str | None = None


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    version: str
    entries: tuple[Entry, ...]
    sources: Mapping[str, str]

    def entry(self, code: str) -> Entry:
        return next(e for e in self.entries if e.code == code)
