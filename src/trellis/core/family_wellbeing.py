"""Score the family member's well-being check-in: the PHQ-4 plus a 0-10 stress self-rating.

The PHQ-4 is the PHQ-2 (depression) and GAD-2 (anxiety) items, each 0-3 over the last two
weeks (Kroenke, Spitzer, Williams & Löwe, Psychosomatics 2009;50:613-21). Item ranges, bands,
the subscale cut-off and which bands call for a referral come from
knowledge/family/wellbeing.yaml; no clinical number lives here. The stress rating has no
published cut-off, so it is recorded and charted but never interpreted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trellis.core.errors import InvalidInput

STRESS_FIELD = "stress"


@dataclass(frozen=True, slots=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True, slots=True)
class Rules:
    """What the knowledge base says about the PHQ-4, in the core's terms."""

    items: tuple[tuple[str, str], ...]  # (item code, subscale), in the order asked
    item_high: int  # each item is 0..item_high
    bands: tuple[Band, ...]  # contiguous and ascending, covering 0..item_high * len(items)
    positive_at: int  # a subscale total at or above this is a positive screen
    refer_bands: frozenset[str]
    stress_high: int  # the stress self-rating is 0..stress_high

    @property
    def subscales(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(subscale for _, subscale in self.items))

    def band_for(self, total: int) -> str:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band.label
        raise ValueError(f"no PHQ-4 band covers a total of {total}")


@dataclass(frozen=True, slots=True)
class WellbeingScore:
    responses: tuple[tuple[str, int], ...]  # (item code, 0-3)
    subscales: tuple[tuple[str, int], ...]  # (subscale, its total)
    total: int
    band: str
    positive: tuple[str, ...]  # subscales whose total is a positive screen
    stress: int

    def subscale(self, name: str) -> int:
        return dict(self.subscales)[name]


def score(rules: Rules, responses: Mapping[str, object], stress: object) -> WellbeingScore:
    """Return the subscale totals, the total, its band and the positive screens.

    A missing or out-of-range answer raises InvalidInput naming the item code.
    """
    answers = tuple(
        (code, check_answer(code, responses.get(code), rules.item_high)) for code, _ in rules.items
    )
    by_subscale = {
        name: sum(
            value
            for (code, value), (_, sub) in zip(answers, rules.items, strict=True)
            if sub == name
        )
        for name in rules.subscales
    }
    total = sum(value for _, value in answers)
    return WellbeingScore(
        responses=answers,
        subscales=tuple(by_subscale.items()),
        total=total,
        band=rules.band_for(total),
        positive=tuple(name for name, value in by_subscale.items() if value >= rules.positive_at),
        stress=check_answer(STRESS_FIELD, stress, rules.stress_high),
    )


def needs_referral(rules: Rules, result: WellbeingScore) -> bool:
    """True when a subscale screens positive or the total is in a band that calls for help."""
    return bool(result.positive) or result.band in rules.refer_bands


def check_answer(field: str, value: object, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InvalidInput(field, f"a whole number 0-{high}")
    return value
