"""What each manual adds to "sum the items": skip logic, triage and acuity rules, subscales.

Each rule checks which answers may be null (a skipped question) and finishes the score. The
decisions follow contracts/instruments.md, "Encoding and scoring decisions".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from trellis.core.errors import InvalidInput
from trellis.core.instruments import Instrument, Response, Score, default_flags, subscale_sums


def _require(definition: Instrument, answers: Sequence[Response], numbers: Sequence[int]) -> None:
    for n in numbers:
        if answers[n - 1] is None:
            raise InvalidInput(f"{definition.id} item {n}", definition.items[n - 1].allowed())


def _forbid(
    definition: Instrument, answers: Sequence[Response], numbers: Sequence[int], why: str
) -> None:
    for n in numbers:
        if answers[n - 1] is not None:
            raise InvalidInput(f"{definition.id} item {n}", f"null ({why})")


class Default:
    """Every item answered; total is the sum; band and flags from the definition."""

    def check(self, definition: Instrument, answers: Sequence[Response]) -> None:
        _require(definition, answers, [i.number for i in definition.items if not i.optional])

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        total = sum(points)
        return Score(
            definition.id,
            total,
            definition.band_for(total),
            default_flags(definition, answers),
            subscale_sums(definition, points),
            tuple(points) if definition.extra.get("item_scores") else None,
        )


class Audit(Default):
    """WHO interview skip rules: Q1 = 0 skips 2-8; Q2 + Q3 = 0 skips 4-8; skipped items score 0."""

    def check(self, definition: Instrument, answers: Sequence[Response]) -> None:
        _require(definition, answers, [1, 9, 10])
        if answers[0] == 0:
            return
        _require(definition, answers, [2, 3])
        if answers[1] == 0 and answers[2] == 0:
            return
        _require(definition, answers, [4, 5, 6, 7, 8])

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        total = sum(points)
        return Score(definition.id, total, definition.band_for(total), item_scores=tuple(points))


class AuditC(Default):
    """Positive at 3+ for women, 4+ for men (Bradley 2007); without sex, 3 is positive and says so."""

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        total, cut = sum(points), definition.extra["cutoffs"]
        sex = context.get("sex")
        if sex not in (None, "female", "male"):
            raise InvalidInput("auditc context sex", "female or male")
        # Without sex the more sensitive cut-off (women's) applies, and the result says so.
        threshold = cut[sex] if sex else cut["female"]
        in_between = not sex and cut["female"] <= total < cut["male"]
        notes = (
            ("sex not given: scored positive by the more sensitive cut-off (3, as for women)",)
            if in_between
            else ()
        )
        return Score(
            definition.id, total, "positive" if total >= threshold else "negative", notes=notes
        )


class Crafft(Default):
    """When Part A was all zero only CAR is asked, so items 2-6 are all null together or all answered."""

    def check(self, definition: Instrument, answers: Sequence[Response]) -> None:
        _require(definition, answers, [1])
        if any(a is None for a in answers[1:]) and any(a is not None for a in answers[1:]):
            missing = next(n for n in range(2, 7) if answers[n - 1] is None)
            raise InvalidInput(
                f"crafft item {missing}",
                "yes or no (items 2-6 are null only when none of them was asked)",
            )


class Dast10(Default):
    """Item 1 (any non-medical drug use in the past 12 months) may gate the rest: after a "no",
    items 2-10 may all be left unasked (null), and then score 0, so the total is 0. A form where
    every item was answered is scored item by item as the manual says, whatever item 1 was."""

    def check(self, definition: Instrument, answers: Sequence[Response]) -> None:
        _require(definition, answers, [1])
        if answers[0] is False and all(a is None for a in answers[1:]):
            return
        _require(definition, answers, range(2, 11))

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        result = super().finish(definition, answers, points, context)
        if answers[1] is not None:
            return result
        note = "items 2-10 not asked: no drug use other than for medical reasons (item 1 no)"
        return replace(result, notes=(*result.notes, note))


class CssrsScreen(Default):
    """Columbia screen triage: Q1, Q2, Q6 always; Q3-Q5 only when Q2 is yes; Q7 is Q6's timing."""

    def check(self, definition: Instrument, answers: Sequence[Response]) -> None:
        _require(definition, answers, [1, 2, 6])
        if answers[5] is not True:
            _forbid(definition, answers, [7], "asked only when item 6 is yes")
        if answers[1] is True:
            _require(definition, answers, [3, 4, 5])
        else:
            _forbid(definition, answers, [3, 4, 5], "asked only when item 2 is yes")

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        yes = {n for n, a in enumerate(answers, start=1) if a is True}
        flags = tuple(
            f
            for f, hit in (
                ("suicidal_ideation", bool(yes & {1, 2, 3, 4, 5})),
                ("suicidal_behavior", 6 in yes),
            )
            if hit
        )
        return Score(
            definition.id,
            None,
            _cssrs_band(yes, answers[6]),
            flags,
            notes=_cssrs_notes(yes, answers[6]),
        )


def _cssrs_band(yes: set[int], recent: Response) -> str | None:
    behavior_recent_or_unknown = 6 in yes and recent is not False
    if yes & {4, 5} or behavior_recent_or_unknown:
        return "high risk"
    if yes & {3, 6}:
        return "moderate risk"
    return "low risk" if yes & {1, 2} else None


def _cssrs_notes(yes: set[int], recent: Response) -> tuple[str, ...]:
    if 6 in yes and recent is None:
        return (
            "item 6 is yes but its timing was not given: triaged as within the past 3 months (high risk)",
        )
    return ()


class Asq(Default):
    """NIMH ASQ: a yes to 1-4 is a positive screen; item 5 (asked then) separates acute from non-acute."""

    def check(self, definition: Instrument, answers: Sequence[Response]) -> None:
        _require(definition, answers, [1, 2, 3, 4])
        if any(a is True for a in answers[:4]):
            _require(definition, answers, [5])
        else:
            _forbid(definition, answers, [5], "asked only when one of items 1-4 is yes")

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        if not any(a is True for a in answers[:4]):
            return Score(definition.id, None, "negative")
        if answers[4] is True:
            return Score(
                definition.id, None, "acute positive", ("suicidal_ideation", "acute_suicide_risk")
            )
        return Score(definition.id, None, "non-acute positive", ("suicidal_ideation",))


class Pcl5(Default):
    """Subscales per DSM-5 cluster; provisional diagnosis when each cluster has enough items rated 2+."""

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        total = sum(points)
        rule = definition.extra["provisional"]
        provisional = all(
            sum(1 for n in definition.subscales[cluster] if points[n - 1] >= rule["rated_at_least"])
            >= need
            for cluster, need in rule["need"].items()
        )
        return Score(
            definition.id,
            total,
            definition.band_for(total),
            subscales=subscale_sums(definition, points),
            extra={"dsm5_provisional": provisional},
        )


class Bam(Default):
    """BAM-R (VA YTSBAMR): items 5 and 7 skipped after a zero; three subscales; no total or band."""

    def check(self, definition: Instrument, answers: Sequence[Response]) -> None:
        _require(definition, answers, [n for n in range(1, 18) if n not in (5, 7)])
        for item, gate in ((5, 4), (7, 6)):
            if answers[gate - 1] == 0:
                _forbid(definition, answers, [item], f"item {gate} is 0")
            else:
                _require(definition, answers, [item])

    def finish(
        self,
        definition: Instrument,
        answers: Sequence[Response],
        points: Sequence[int],
        context: Mapping[str, Any],
    ) -> Score:
        return Score(
            definition.id,
            None,
            None,
            subscales=subscale_sums(definition, points),
            item_scores=tuple(points),
        )


RULES: dict[str, Default] = {
    "audit": Audit(),
    "auditc": AuditC(),
    "crafft": Crafft(),
    "dast10": Dast10(),
    "cssrs_screen": CssrsScreen(),
    "asq": Asq(),
    "pcl5": Pcl5(),
    "bam": Bam(),
}
