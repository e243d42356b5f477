"""Which Trellis community categories (`com.*`) a directory service belongs to, from its taxonomy
terms only: AIRS/211 (211HSIS) codes by prefix, the longest matching prefix winning, and Open
Eligibility terms by name. Service names are never keyword-matched. The crosswalk and the sources
for every published term are in knowledge/taxonomy.yaml; a term it does not know maps to nothing,
for the caller to report as unmapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

# 211HSIS code levels: R, RX, RX-8450, RX-8450.1150, RX-8450.1150-050, LH-0600.5000-970.10
AIRS_CODE = re.compile(
    r"(?P<l1>[A-Z])(?:(?P<l2>[A-Z])(?:-(?P<l3>\d{4})(?:\.(?P<l4>\d{4})"
    r"(?:-(?P<l5>\d{3})(?:\.(?P<l6>\d{2}))?)?)?)?)?"
)
SEPARATORS = ("", "", "-", ".", "-", ".")  # written before each level's part


class Scheme(StrEnum):
    AIRS = "airs"
    OPEN_ELIGIBILITY = "open_eligibility"


class Term(NamedTuple):
    """An HSDS taxonomy term: the taxonomy's name (or URI), the term's code and its name."""

    taxonomy: str | None
    code: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    category: str  # a com.* code of interventions.csv
    term: str  # the published term, e.g. "RX Substance Use Disorder Services"
    source: str  # the full citation


@dataclass(frozen=True, slots=True)
class Crosswalk:
    schemes: Mapping[str, Scheme]  # taxonomy_key(name) -> scheme
    airs: Mapping[str, Rule]  # normalised code prefix -> rule
    open_eligibility: Mapping[str, Rule]  # name_key(term name) -> rule


@dataclass(frozen=True, slots=True)
class Match:
    category: str
    reason: str
    source: str


def categories(
    terms: Iterable[tuple[str | None, str | None, str | None]], crosswalk: Crosswalk
) -> tuple[Match, ...]:
    """One match per category, in the order first reached; the first term to reach it explains it."""
    found: dict[str, Match] = {}
    for term in terms:
        match = category(Term(*term), crosswalk)
        if match is not None:
            found.setdefault(match.category, match)
    return tuple(found.values())


def category(term: Term, crosswalk: Crosswalk) -> Match | None:
    """The category of one term, or None when its taxonomy or the term itself is not known."""
    scheme = crosswalk.schemes.get(taxonomy_key(term.taxonomy or ""))
    if scheme is Scheme.AIRS:
        return _airs(term, crosswalk.airs)
    if scheme is Scheme.OPEN_ELIGIBILITY:
        rule = crosswalk.open_eligibility.get(name_key(term.name or ""))
        if rule is not None:
            return Match(rule.category, f"Open Eligibility term {rule.term}", rule.source)
    return None


def _airs(term: Term, rules: Mapping[str, Rule]) -> Match | None:
    # Some exports put the code in the name (Open Referral's iCarol transformer writes the
    # 211 code as the term and its title as the description).
    code = airs_code(term.code or "") or airs_code(term.name or "")
    if code is None:
        return None
    for prefix in airs_prefixes(code):
        rule = rules.get(prefix)
        if rule is not None:
            within = "" if prefix == code else f"{code} is within "
            return Match(rule.category, f"211HSIS {within}{rule.term}", rule.source)
    return None


def airs_code(raw: str) -> str | None:
    """The code in its published spelling (capitals, no spaces), or None if it is not a 211 code.

    >>> airs_code(" rx - 8450.1150 ")
    'RX-8450.1150'
    """
    code = re.sub(r"\s+", "", raw).upper()
    return code if AIRS_CODE.fullmatch(code) else None


def airs_prefixes(code: str) -> tuple[str, ...]:
    """Every level of a normalised code, longest first: RX-8450.1150, RX-8450, RX, R."""
    found = AIRS_CODE.fullmatch(code)
    if found is None:
        return ()
    prefixes: list[str] = []
    for separator, part in zip(SEPARATORS, found.groups(), strict=True):
        if part is None:
            break
        prefixes.append((prefixes[-1] if prefixes else "") + separator + part)
    return tuple(reversed(prefixes))


def taxonomy_key(name: str) -> str:
    """How taxonomy names are compared: no case, scheme, www. or trailing slash, single spaces."""
    key = " ".join(name.split()).casefold()
    key = re.sub(r"^[a-z]+://", "", key).removeprefix("www.")
    return key.rstrip("/")


def name_key(name: str) -> str:
    """How term names are compared: no case, single spaces."""
    return " ".join(name.split()).casefold()
