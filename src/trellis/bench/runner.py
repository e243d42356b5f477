"""Run registered figures and report `{name, value, unit, target, baseline, ratio, n}` rows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Row:
    name: str
    value: float
    unit: str
    target: str | None = None
    baseline: float | None = None
    ratio: float | None = None
    n: int | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


Bench = Callable[[bool], Iterator[Row]]
REGISTRY: dict[str, Bench] = {}


def figure(name: str) -> Callable[[Bench], Bench]:
    """Register a benchmark group; it yields one or more rows. Its argument is `quick`."""

    def register(bench: Bench) -> Bench:
        REGISTRY[name] = bench
        return bench

    return register


def row(
    name: str,
    value: float,
    unit: str,
    *,
    target: str | None = None,
    baseline: float | None = None,
    n: int | None = None,
) -> Row:
    ratio = round(value / baseline, 3) if baseline else None
    return Row(
        name,
        round(value, 4),
        unit,
        target,
        None if baseline is None else round(baseline, 4),
        ratio,
        n,
    )


def timings_ms(work: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def run(only: str | None, quick: bool) -> list[Row]:
    from trellis.bench import suites  # noqa: F401 - registers the figures

    names = [n for n in REGISTRY if only is None or n == only or n.startswith(only)]
    return [result for name in names for result in REGISTRY[name](quick)]
