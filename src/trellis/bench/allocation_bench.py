"""Allocating waiting people to program places (contracts/cli.md: allocation.optimal_s,
allocation.bound_ratio, allocation.need_vs_fcfs), with first come first served as the baseline.

The data are generated (seeded, the same every run): a state-sized region about 290 x 490 km
with ten towns of different sizes; three people in four live in or around a town, the rest spread
over the countryside, and programs cluster in towns more than people do. Levels, languages,
insurance, travel limits (longer in the country and for residential care) and the six group
attributes vary, with the correlations one would expect (Spanish speakers more often Hispanic,
insurance group = insurance). Places cover about 60% of the people waiting.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np

from trellis.bench.runner import Row, figure, row

SOUTH, NORTH, WEST, EAST = 39.7, 42.3, -80.5, -74.7
# (lat, lon, share of the town-dwelling people, spread in km)
TOWNS = (
    (39.95, -75.17, 0.34, 14),
    (40.44, -79.99, 0.20, 12),
    (40.60, -75.49, 0.08, 8),
    (42.13, -80.09, 0.05, 6),
    (40.34, -75.93, 0.06, 6),
    (41.41, -75.66, 0.06, 7),
    (40.27, -76.88, 0.07, 8),
    (40.04, -76.31, 0.06, 7),
    (40.79, -77.86, 0.04, 5),
    (41.24, -77.00, 0.04, 5),
)
LEVELS = ("0.5", "1.0", "2.1", "2.5", "3.1", "3.5", "3.7", "4.0")
PEOPLE_BY_LEVEL = (0.04, 0.34, 0.20, 0.06, 0.05, 0.14, 0.12, 0.05)
PROGRAMS_BY_LEVEL = (0.05, 0.36, 0.20, 0.07, 0.05, 0.12, 0.10, 0.05)
NEED_BY_LEVEL = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0)
RESIDENTIAL = 4  # levels from 3.1 up: people accept longer journeys
INSURANCE = (("medicaid", 0.45), ("private", 0.28), ("medicare", 0.14), ("none", 0.13))
ACCEPTED = {"medicaid": 0.85, "private": 0.60, "medicare": 0.55, "none": 0.35}
SPEAKS = (
    (("en",), 0.80),
    (("es", "en"), 0.09),
    (("es",), 0.07),
    (("vi",), 0.02),
    (("zh", "en"), 0.01),
    (("ar",), 0.01),
)
RACE = ("white", "black", "hispanic", "asian", "native", "other")
RACE_SHARE = (0.62, 0.14, 0.13, 0.05, 0.02, 0.04)
SEX = (("male", 0.58), ("female", 0.40), ("another", 0.02))
AGE = (("18-25", 0.18), ("26-34", 0.30), ("35-44", 0.25), ("45-64", 0.22), ("65+", 0.05))
KM_PER_DEGREE = 111.19


TIGHT = 0.95  # a floor that binds at these sizes (the optimum alone meets 0.8 there)


@figure("allocation")
def allocation(quick: bool) -> Iterator[Row]:
    """Each policy's time; the need placed against the LP bound and against fcfs; the worst
    group ratio of each policy against fcfs's. Equitable runs at the default floor 0.8 and at
    0.95, where the equity rows bind."""
    from trellis.core.allocation import allocate, parse_capacity, parse_requests

    people, places = (2_000, 100) if quick else (20_000, 1_000)
    requests_doc, capacity_doc = generate(people, places, seed=10)
    requests, programs = parse_requests(requests_doc), parse_capacity(capacity_doc)
    runs = {
        name: _timed(lambda p=policy, f=floor: allocate(requests, programs, p, equity_floor=f))
        for name, policy, floor in (
            ("fcfs", "fcfs", 0.8),
            ("optimal", "optimal", 0.8),
            ("equitable", "equitable", 0.8),
            (f"equitable at {TIGHT}", "equitable", TIGHT),
        )
    }
    _describe(runs)
    fcfs_s, fcfs = runs["fcfs"]
    yield from _policy_rows("allocation.", runs["optimal"], fcfs_s, fcfs, people)
    yield from _policy_rows("allocation.equitable_", runs["equitable"], fcfs_s, fcfs, people)
    yield from _policy_rows(
        "allocation.equitable95_", runs[f"equitable at {TIGHT}"], fcfs_s, fcfs, people
    )


def _policy_rows(
    prefix: str, run: tuple[float, Any], fcfs_s: float, fcfs: Any, n: int
) -> Iterator[Row]:
    """Time (baseline: fcfs's), need / LP bound, need / fcfs's, worst group ratio (baseline:
    fcfs's). The optimal policy's rows carry the contract's names (allocation.optimal_s …)."""
    seconds, result = run
    time_name = "allocation.optimal_s" if prefix == "allocation." else f"{prefix}s"
    worst_name = (
        "allocation.optimal_worst_ratio" if prefix == "allocation." else f"{prefix}worst_ratio"
    )
    yield row(time_name, seconds, "s", target="<= 10", baseline=fcfs_s, n=n)
    yield row(
        f"{prefix}bound_ratio", result.objective / result.bound, "ratio", target=">= 0.995", n=n
    )
    yield row(
        f"{prefix}need_vs_fcfs",
        result.objective / fcfs.objective,
        "ratio",
        target=">= 1",
        baseline=1.0,
        n=n,
    )
    yield row(worst_name, result.worst_ratio, "ratio", baseline=fcfs.worst_ratio, n=n)


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _describe(runs: dict[str, tuple[float, Any]]) -> None:
    for policy, (seconds, result) in runs.items():
        print(
            f"allocation {policy}: {seconds:.2f} s, placed {len(result.assignments)}, need "
            f"{result.objective:.1f} (bound {result.bound}), worst ratio {result.worst_ratio} "
            f"({_worst_attribute(result)}), feasible {result.feasible}",
            file=sys.stderr,
        )


def _worst_attribute(result: Any) -> str:
    if not result.fairness:
        return "no groups"
    return min(result.fairness, key=lambda a: result.fairness[a].ratio)


def generate(
    people: int, places: int, seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A REQUESTS and a CAPACITY document (contracts/allocation.md), the same for the same seed."""
    rng = np.random.default_rng(seed)
    requests = [_request(rng, i) for i in range(people)]
    programs = [_program(rng, i) for i in range(places)]
    _size_places(programs, target=0.6 * people)
    return requests, programs


def _request(rng: np.random.Generator, i: int) -> dict[str, Any]:
    lat, lon, km_to_town = _where(rng, town_share=0.75, spread=1.0)
    rurality = "urban" if km_to_town < 10 else "suburban" if km_to_town < 30 else "rural"
    level = int(rng.choice(len(LEVELS), p=PEOPLE_BY_LEVEL))
    languages = _pick(rng, SPEAKS)
    insurance = _pick(rng, INSURANCE)
    reach = {"urban": (15, 40), "suburban": (25, 60), "rural": (40, 120)}[rurality]
    return {
        "id": f"r{i:05d}",
        "waiting_since": (date(2025, 1, 1) + timedelta(days=int(rng.integers(0, 365)))).isoformat(),
        "level": LEVELS[level],
        "need_weight": round(NEED_BY_LEVEL[level] * float(rng.uniform(0.6, 1.4)), 2),
        "location": {"lat": lat, "lon": lon},
        "max_travel_km": round(
            float(rng.uniform(*reach)) * (1.5 if level >= RESIDENTIAL else 1.0), 1
        ),
        "languages": list(languages),
        "insurance": insurance,
        "groups": {
            "race_ethnicity": _race(rng, languages),
            "sex": _pick(rng, SEX),
            "age_band": _pick(rng, AGE),
            "insurance": insurance,
            "rurality": rurality,
            "language": languages[0],
        },
    }


def _program(rng: np.random.Generator, i: int) -> dict[str, Any]:
    lat, lon, _ = _where(rng, town_share=0.85, spread=0.8)
    level = int(rng.choice(len(LEVELS), p=PROGRAMS_BY_LEVEL))
    languages = ["es"] if rng.random() < 0.03 else ["en"]
    for code, share in (("es", 0.35), ("vi", 0.04), ("zh", 0.03), ("ar", 0.02)):
        if code not in languages and rng.random() < share:
            languages.append(code)
    accepted = [name for name, share in ACCEPTED.items() if rng.random() < share] or ["medicaid"]
    return {
        "id": f"p{i:04d}",
        "name": f"Program {i}",
        "level": LEVELS[level],
        "slots": int(rng.integers(5, 41)) if level < RESIDENTIAL else int(rng.integers(2, 16)),
        "location": {"lat": lat, "lon": lon},
        "languages": languages,
        "insurance": accepted,
    }


def _size_places(programs: list[dict[str, Any]], target: float) -> None:
    """Scale the places so that they add up to about `target` (scarcity, as in real waitlists)."""
    total = sum(p["slots"] for p in programs) or 1
    for p in programs:
        p["slots"] = round(p["slots"] * target / total)


def _where(
    rng: np.random.Generator, town_share: float, spread: float
) -> tuple[float, float, float]:
    if rng.random() < town_share:
        shares = np.array([t[2] for t in TOWNS])
        lat0, lon0, _, km = TOWNS[int(rng.choice(len(TOWNS), p=shares / shares.sum()))]
        north, east = rng.normal(0, km * spread, size=2)
        lat, lon = (
            lat0 + north / KM_PER_DEGREE,
            lon0 + east / (KM_PER_DEGREE * np.cos(np.radians(lat0))),
        )
    else:
        lat, lon = rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)
    return round(float(lat), 5), round(float(lon), 5), _km_to_nearest_town(lat, lon)


def _km_to_nearest_town(lat: float, lon: float) -> float:
    return min(
        KM_PER_DEGREE * float(np.hypot(lat - t[0], (lon - t[1]) * np.cos(np.radians(t[0]))))
        for t in TOWNS
    )


def _pick(rng: np.random.Generator, choices: tuple[tuple[Any, float], ...]) -> Any:
    shares = np.array([c[1] for c in choices])
    return choices[int(rng.choice(len(choices), p=shares / shares.sum()))][0]


def _race(rng: np.random.Generator, languages: tuple[str, ...]) -> str:
    if "es" in languages and rng.random() < 0.85:
        return "hispanic"
    if languages[0] in ("vi", "zh") and rng.random() < 0.9:
        return "asian"
    return RACE[int(rng.choice(len(RACE), p=RACE_SHARE))]
