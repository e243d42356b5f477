"""Scoring and assessment speed, and how much the adaptive intake spares (contracts/cli.md names)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator

from trellis.bench.runner import Row, figure, p95, row, timings_ms


@figure("score")
def scoring(quick: bool) -> Iterator[Row]:
    """Instrument scorings per second in process; baseline: a bare sum of the same answers."""
    from trellis.core.instruments import score

    rng = random.Random(1)  # noqa: S311 - reproducible test data, not secrets
    sets = [("phq9", [rng.randint(0, 3) for _ in range(9)]) for _ in range(500)] + [
        ("gad7", [rng.randint(0, 3) for _ in range(7)]) for _ in range(500)
    ]
    n = 5_000 if quick else 50_000
    start = time.perf_counter()
    for i in range(n):
        score(*sets[i % len(sets)])
    scored = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(n):
        sum(sets[i % len(sets)][1])
    plain = n / (time.perf_counter() - start)
    yield row("score.per_s", scored, "scorings/s", baseline=plain, n=n)


@figure("plan")
def planning(quick: bool) -> Iterator[Row]:
    """One intake → the whole plan document, in process (the demo people's intakes)."""
    from datetime import date

    from trellis.core.planning import generate
    from trellis.knowledge import placement_rules, plan_rules
    from trellis.knowledge.interventions import knowledge_base
    from trellis.people.demo_intakes import SITUATIONS, document_for

    kb, placement, rules, today = (
        knowledge_base(),
        placement_rules(),
        plan_rules(),
        date(2026, 11, 25),
    )

    documents = [
        document_for(i, f"p{i}", 40, "female" if i % 2 else "male")[0]
        for i in range(len(SITUATIONS))
    ]
    repeat = 200 if quick else 2_000
    samples = timings_ms(
        lambda: [
            generate(d, kb, placement_rules=placement, plan_rules=rules, today=today)
            for d in documents
        ],
        repeat // 10,
    )
    per_plan = [s / len(documents) for s in samples]
    yield row(
        "plan.median_ms",
        statistics.median(per_plan),
        "ms",
        target="<= 1",
        n=len(per_plan) * len(documents),
    )
    yield row("plan.p95_ms", p95(per_plan), "ms", target="<= 5", n=len(per_plan) * len(documents))
    yield row(
        "plan.per_s",
        1000 / statistics.median(per_plan),
        "plans/s",
        n=len(per_plan) * len(documents),
    )


@figure("intake")
def adaptive_intake(quick: bool) -> Iterator[Row]:
    """Items the adaptive intake asks / items of the full battery, over the demo people."""
    from trellis.people.demo_intakes import SITUATIONS, document_for

    batteries = [document_for(i, f"p{i}", 40, "male")[1] for i in range(len(SITUATIONS))]
    asked = sum(b.items_asked for b in batteries)
    full = sum(b.items_full for b in batteries)
    yield row(
        "intake.items_ratio", asked / full, "ratio", target="<= 0.5", baseline=1.0, n=len(batteries)
    )
