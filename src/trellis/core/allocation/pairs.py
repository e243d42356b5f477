"""Which programs are appropriate for whom (contracts/allocation.md), found without trying all pairs.

A placement is appropriate when the program's level is the person's or the next more intensive
one, they share a language, the insurance is accepted, and the great-circle distance is within
the person's travel limit. Only those pairs become variables of the optimisation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from trellis.core.allocation.records import LEVELS, Program, Request, fitting_levels
from trellis.core.geo import EARTH_RADIUS_KM, Point, distance_km

# numpy's sin/cos may differ from math's in the last bit; pairs this close to a travel limit are
# decided by geo.distance_km, so the vectorised search and `appropriate` always agree.
BOUNDARY_KM = 1e-6


def appropriate(request: Request, program: Program) -> bool:
    """Return whether `program` is an appropriate placement for `request`."""
    return (
        program.level in fitting_levels(request.level)
        and not set(request.languages).isdisjoint(program.languages)
        and request.insurance in program.insurance
        and distance_km(request.location, program.location) <= request.max_travel_km
    )


@dataclass(frozen=True)
class Pairs:
    """The appropriate (request, program) pairs as parallel arrays of indices and distances."""

    request: NDArray[np.int64]
    program: NDArray[np.int64]
    distance_km: NDArray[np.float64]
    rank: NDArray[np.int64]  # 0 for the person's nearest program, 1 for the next, ...

    def __len__(self) -> int:
        return len(self.request)

    def subset(self, keep: NDArray[np.bool_] | NDArray[np.int64]) -> Pairs:
        return Pairs(
            self.request[keep], self.program[keep], self.distance_km[keep], self.rank[keep]
        )


class Catalogue:
    """Requests and programs as numpy columns, languages and insurance as codes."""

    def __init__(self, requests: Sequence[Request], programs: Sequence[Program]) -> None:
        self.requests, self.programs = requests, programs
        languages = sorted({x for r in requests for x in r.languages})
        column = {code: i for i, code in enumerate(languages)}
        self.request_speaks = _membership([r.languages for r in requests], column)
        self.program_speaks = _membership([p.languages for p in programs], column)
        insurances = sorted({r.insurance for r in requests})
        code = {name: i for i, name in enumerate(insurances)}
        self.request_insurance = np.array([code[r.insurance] for r in requests], dtype=np.int64)
        self.program_accepts = _membership([p.insurance for p in programs], code)
        self.request_level = _levels(r.level for r in requests)
        self.program_level = _levels(p.level for p in programs)
        self.request_lat, self.request_lon = _degrees([r.location for r in requests])
        self.request_xyz = _unit_vectors(self.request_lat, self.request_lon)
        self.program_lat, self.program_lon = _degrees([p.location for p in programs])
        self.program_xyz = _unit_vectors(self.program_lat, self.program_lon)
        self.request_reach = np.array([r.max_travel_km for r in requests], dtype=np.float64)
        self.slots = np.array([p.slots for p in programs], dtype=np.int64)

    def fits(self, near: NDArray[np.int64], program: int) -> NDArray[np.bool_]:
        """Which of the requests `near` (all at a fitting level) may go to `program`."""
        speaks = self.request_speaks[near][:, self.program_speaks[program]].any(axis=1)
        accepted = self.program_accepts[program][self.request_insurance[near]]
        return speaks & accepted


def find_pairs(catalogue: Catalogue) -> Pairs:
    """Every appropriate pair, by asking each program which requests lie within their reach.

    Requests of each level sit in a k-d tree of points on the unit sphere; a program looks up
    only the two request levels it may serve, within the longest travel limit among them, and
    then checks language, insurance and each person's own limit on those few.
    """
    chunks: list[tuple[NDArray[np.int64], int, NDArray[np.float64]]] = []
    for level, (members, tree, reach) in _trees(catalogue).items():
        served_by = [
            i for i, p in enumerate(catalogue.programs) if p.level in fitting_levels(level)
        ]
        if not served_by:
            continue
        found = tree.query_ball_point(catalogue.program_xyz[served_by], _chord(reach))
        for program, hits in zip(served_by, found, strict=True):
            near = members[np.asarray(hits, dtype=np.int64)]
            near = near[catalogue.fits(near, program)]
            distances = _within_reach(catalogue, near, program)
            keep = ~np.isnan(distances)
            chunks.append((near[keep], program, distances[keep]))
    return _sorted_pairs(chunks)


def unreachable_reason(catalogue: Catalogue, request: int) -> str:
    """Say which condition leaves a request without any appropriate program, in that order:
    level, language, insurance, distance."""
    r = catalogue.requests[request]
    levels = " or ".join(fitting_levels(r.level))
    ok = np.isin(catalogue.program_level, [LEVELS.index(x) for x in fitting_levels(r.level)])
    if not ok.any():
        return f"no appropriate program (level): no program offers level {levels}"
    ok &= catalogue.program_speaks[:, catalogue.request_speaks[request]].any(axis=1)
    if not ok.any():
        return f"no appropriate program (language): no program at level {levels} shares a language"
    ok &= catalogue.program_accepts[:, catalogue.request_insurance[request]]
    if not ok.any():
        return (
            f"no appropriate program (insurance): no program at level {levels} that shares a "
            "language accepts the insurance"
        )
    nearest = float(_from_request(catalogue, request, np.flatnonzero(ok)).min())
    return (
        f"no appropriate program (distance): the nearest program at level {levels} that shares a "
        f"language and accepts the insurance is {nearest:.1f} km away, beyond the "
        f"{r.max_travel_km:g} km travel limit"
    )


def _trees(catalogue: Catalogue) -> dict[str, tuple[NDArray[np.int64], cKDTree, float]]:
    trees = {}
    for i, level in enumerate(LEVELS):
        members = np.flatnonzero(catalogue.request_level == i)
        if len(members):
            reach = float(catalogue.request_reach[members].max())
            trees[level] = (members, cKDTree(catalogue.request_xyz[members]), reach)
    return trees


def _chord(km: float) -> float:
    """The straight-line distance through the unit sphere between points `km` apart on its
    surface, widened by a part in a million so that no pair at the limit is missed."""
    angle = min(math.pi, km / EARTH_RADIUS_KM)
    return 2 * math.sin(angle / 2) * (1 + 1e-6) + 1e-12


def _within_reach(
    catalogue: Catalogue, near: NDArray[np.int64], program: int
) -> NDArray[np.float64]:
    """Distances from `program` to the requests `near`, NaN beyond each one's travel limit."""
    here = catalogue.programs[program].location
    distances = _haversine(catalogue, near, program)
    limit = catalogue.request_reach[near]
    close_call = np.flatnonzero(np.abs(distances - limit) <= BOUNDARY_KM)
    for i in close_call:
        distances[i] = distance_km(catalogue.requests[near[i]].location, here)
    return np.where(distances <= limit, distances, np.nan)


def _haversine(catalogue: Catalogue, near: NDArray[np.int64], program: int) -> NDArray[np.float64]:
    """geo.distance_km(request, program) for many requests at once, by the same formula."""
    here = catalogue.programs[program].location
    lat, lon = catalogue.request_lat[near], catalogue.request_lon[near]
    phi1, phi2 = np.radians(lat), math.radians(here.lat)
    d_phi, d_lam = phi2 - phi1, np.radians(here.lon - lon)
    h = np.sin(d_phi / 2) ** 2 + np.cos(phi1) * math.cos(phi2) * np.sin(d_lam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))


def _from_request(
    catalogue: Catalogue, request: int, programs: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Distances from one request to many programs (the haversine of geo.distance_km)."""
    here = catalogue.requests[request].location
    lat, lon = catalogue.program_lat[programs], catalogue.program_lon[programs]
    phi1, phi2 = math.radians(here.lat), np.radians(lat)
    d_phi, d_lam = phi2 - phi1, np.radians(lon - here.lon)
    h = np.sin(d_phi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(d_lam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))


def _sorted_pairs(chunks: list[tuple[NDArray[np.int64], int, NDArray[np.float64]]]) -> Pairs:
    """The pairs by person, nearest program first (same distance: the lower program index)."""
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return Pairs(empty, empty.copy(), np.zeros(0, dtype=np.float64), empty.copy())
    request = np.concatenate([c[0] for c in chunks])
    program = np.concatenate([np.full(len(c[0]), c[1], dtype=np.int64) for c in chunks])
    distance = np.concatenate([c[2] for c in chunks])
    order = np.lexsort((program, distance, request))
    request = request[order]
    rank = np.arange(len(request)) - np.searchsorted(request, request, side="left")
    return Pairs(request, program[order], distance[order], rank)


def _membership(lists: Sequence[Sequence[str]], column: dict[str, int]) -> NDArray[np.bool_]:
    table = np.zeros((len(lists), max(len(column), 1)), dtype=bool)
    for row, codes in enumerate(lists):
        table[row, [column[c] for c in codes if c in column]] = True
    return table


def _levels(levels: Iterable[str]) -> NDArray[np.int64]:
    return np.array([LEVELS.index(x) for x in levels], dtype=np.int64)


def _degrees(points: Sequence[Point]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lat = np.array([p.lat for p in points], dtype=np.float64)
    return lat, np.array([p.lon for p in points], dtype=np.float64)


def _unit_vectors(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))
