"""A generated national-size directory: HSDS import rate and search latency
(contracts/cli.md: directory.import_per_s, directory.search_p95_ms).

The directory is written as an HSDS 3.0 CSV package (one organisation per ten services, one
location and one to two languages per service, one AIRS/211 term per service) spread evenly over
the contiguous United States, seeded so every run has the same rows. It is imported with the
importer users run (`trellis hsds import`), into a scratch PostgreSQL database on the server
of TRELLIS_BENCH_DATABASE_URL (or the Makefile's 127.0.0.1:5432) and into a scratch SQLite file,
each in a fresh process. Baselines in the same run: for the import, PostgreSQL's own COPY of the
services table alone into a bare table; for search, a plain spatial-index query on the same rows
(the `earthdistance` extension's GiST index on ll_to_earth, distance and category only).
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trellis.bench.monitoring_bench import _reachable, _scratch, _server, _where
from trellis.bench.runner import Row, figure, row

SCRATCH = "trellis_bench_directory"
SOUTH, NORTH, WEST, EAST = 25.0, 49.0, -124.0, -67.0
# Real AIRS/211 codes from the taxonomy crosswalk (knowledge/taxonomy.yaml), one per service.
TERMS = (
    ("RX", "Substance Use Disorder Services"),
    ("BH", "Housing/Shelter"),
    ("BD", "Food"),
    ("BT", "Transportation"),
    ("FT", "Legal Services"),
    ("ND", "Employment"),
    ("PN", "Mutual Support"),
    ("RP", "Mental Health Assessment and Treatment"),
)
LANGUAGES = ("en", "es", "zh", "vi", "ar")
SEARCHES = 500
RADIUS_KM = 25.0


@figure("directory")
def directory(quick: bool) -> Iterator[Row]:
    """Import rate on PostgreSQL (baseline: COPY of the services table alone), and search p50 and
    p95 on PostgreSQL (baseline: earthdistance) and SQLite."""
    n = 20_000 if quick else 1_000_000
    server = _server()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "hsds"
        generate(folder, n)
        # Written out before the import is timed, as a package a user imports has been: left to
        # the kernel, the package's 0.6 GB went to disk during the import (measured, 0.4 s of it).
        os.sync()
        if _reachable(server):
            yield from _postgres(server, folder, n)
        else:
            print(
                f"directory: no PostgreSQL at {_where(server)}; PostgreSQL figures not measured",
                file=sys.stderr,
            )
        yield from _sqlite(Path(scratch) / "bench.sqlite3", folder, n)


def _postgres(server: str, folder: Path, n: int) -> Iterator[Row]:
    with _scratch(server, SCRATCH) as url:
        result = _step(url, folder, n)
    yield row(
        "directory.import_per_s",
        result["import_per_s"],
        "services/s",
        target="> 30000",
        baseline=result["copy_per_s"],
        n=n,
    )
    yield row(
        "directory.search_p95_ms",
        result["p95_ms"],
        "ms",
        target="< 10, ratio <= 3",
        baseline=result["baseline_p95_ms"],
        n=n,
    )
    yield row(
        "directory.search_median_ms",
        result["median_ms"],
        "ms",
        target="—",
        baseline=result["baseline_median_ms"],
        n=n,
    )


def _sqlite(path: Path, folder: Path, n: int) -> Iterator[Row]:
    result = _step(f"sqlite:///{path}", folder, n)
    yield row(
        "directory.sqlite_import_per_s", result["import_per_s"], "services/s", target="—", n=n
    )
    yield row("directory.sqlite_search_p95_ms", result["p95_ms"], "ms", target="—", n=n)
    yield row("directory.sqlite_search_median_ms", result["median_ms"], "ms", target="—", n=n)


def _step(url: str, folder: Path, n: int) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - this interpreter running this module
        [sys.executable, "-m", __name__, str(folder), str(n)],
        env=os.environ | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"directory bench failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"directory n={n} on {url.split(':')[0]}: {json.dumps(result)}", file=sys.stderr)
    return result


def generate(folder: Path, n: int, seed: int = 20261205) -> None:
    """An HSDS 3.0 CSV package of n services (see the module docstring)."""
    from trellis.core.hsds import schema

    folder.mkdir(parents=True)
    tables = schema.tables()
    rng = random.Random(seed)  # noqa: S311 - reproducible generated data, not secrets
    files = {k: (folder / tables[k].path).open("w", newline="", encoding="utf-8") for k in _KINDS}
    out = {k: csv.DictWriter(f, tables[k].fields) for k, f in files.items()}
    for writer in out.values():
        writer.writeheader()
    for i, (code, name) in enumerate(TERMS):
        out["taxonomy_term"].writerow(
            {
                "id": uid(7, i),
                "code": code,
                "name": name,
                "description": name,
                "taxonomy": "211 Taxonomy",
            }
        )
    for i in range(n):
        _service(out, rng, i)
    for f in files.values():
        f.close()


_KINDS = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "language",
    "attribute",
    "taxonomy_term",
)


def uid(kind: int, i: int) -> str:
    """HSDS 3.0 ids are UUIDs: a fixed one per kind of record and number."""
    return f"{kind:08x}-0000-4000-8000-{i:012x}"


def _service(out: dict[str, Any], rng: random.Random, i: int) -> None:
    org = uid(1, i // 10)
    if i % 10 == 0:
        out["organization"].writerow(
            {"id": org, "name": f"Organisation {i // 10}", "description": "Generated."}
        )
    out["service"].writerow(
        {
            "id": uid(2, i),
            "organization_id": org,
            "name": f"Service {i}",
            "status": "active",
            "fees_description": "Free" if i % 3 == 0 else "",
        }
    )
    lat, lon = rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)
    out["location"].writerow(
        {
            "id": uid(3, i),
            "location_type": "physical",
            "organization_id": org,
            "name": f"Place {i}",
            "latitude": f"{lat:.6f}",
            "longitude": f"{lon:.6f}",
        }
    )
    out["service_at_location"].writerow(
        {"id": uid(4, i), "service_id": uid(2, i), "location_id": uid(3, i)}
    )
    for k, code in enumerate(rng.sample(LANGUAGES, rng.choice((1, 2)))):
        out["language"].writerow(
            {"id": uid(5, i * 2 + k), "service_id": uid(2, i), "code": code, "name": code}
        )
    term = rng.randrange(len(TERMS))
    out["attribute"].writerow(
        {
            "id": uid(6, i),
            "link_id": uid(2, i),
            "link_entity": "service",
            "taxonomy_term_id": uid(7, term),
        }
    )


# In the scratch database's own process ----------------------------------------------------


def measure(folder: Path, n: int) -> dict[str, Any]:
    from trellis.commands import _django

    _django.setup()
    from django.db import connection

    from trellis.directory.importer import import_path

    started = time.perf_counter()
    report = import_path(folder)
    seconds = time.perf_counter() - started
    assert report.imported, report.as_json()["problems"][:3]
    assert report.counts["services"].created == n, report.as_json()["counts"]
    result = {"import_per_s": round(n / seconds), "import_s": round(seconds, 2)}
    queries = _queries()
    result |= _latency(queries, _search)
    if connection.vendor == "postgresql":
        result["copy_per_s"] = _copy_floor(folder, n)
        baseline = _latency(queries, _spatial_index_query(), prefix="baseline_")
        result |= baseline
    return result


def _queries() -> list[tuple[float, float, str, str]]:
    from trellis.knowledge.taxonomy import crosswalk  # noqa: F401 - loaded before timing

    rng = random.Random(7)  # noqa: S311
    categories = (
        "com.treatment_center",
        "com.housing",
        "com.food",
        "com.legal_financial",
        "com.vocational",
    )
    return [
        (
            rng.uniform(SOUTH + 1, NORTH - 1),
            rng.uniform(WEST + 1, EAST - 1),
            rng.choice(categories),
            rng.choice(LANGUAGES),
        )
        for _ in range(SEARCHES)
    ]


def _search(lat: float, lon: float, category: str, language: str) -> int:
    from trellis.directory.search import Query, search

    return len(search(Query(lat, lon, RADIUS_KM, category=category, language=language)))


def _latency(queries: list[Any], run: Any, prefix: str = "") -> dict[str, float]:
    for q in queries[:20]:
        run(*q)  # warm caches and connections
    times = []
    for q in queries:
        started = time.perf_counter()
        run(*q)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        f"{prefix}median_ms": round(statistics.median(times), 3),
        f"{prefix}p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
    }


def _spatial_index_query() -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS cube")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS earthdistance")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_listing_earth ON directory_listing "
            "USING gist (ll_to_earth(latitude, longitude))"
        )
        cursor.execute("ANALYZE directory_listing")
    sql = (
        "SELECT at_id, earth_distance(ll_to_earth(%s, %s), ll_to_earth(latitude, longitude)) AS d "
        "FROM directory_listing WHERE category = %s "
        "AND earth_box(ll_to_earth(%s, %s), %s) @> ll_to_earth(latitude, longitude) "
        "AND earth_distance(ll_to_earth(%s, %s), ll_to_earth(latitude, longitude)) <= %s "
        "ORDER BY d LIMIT 20"
    )

    def run(lat: float, lon: float, category: str, _language: str) -> int:
        metres = RADIUS_KM * 1000
        with connection.cursor() as cursor:
            cursor.execute(sql, [lat, lon, category, lat, lon, metres, lat, lon, metres])
            return len(cursor.fetchall())

    return run


def _copy_floor(folder: Path, n: int) -> float:
    """The floor: PostgreSQL COPY of services.csv alone into a bare table, no checks, no index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_services (line text)")
        started = time.perf_counter()
        with (
            (folder / "services.csv").open("rb") as f,
            cursor.cursor.copy(
                "COPY bench_services FROM STDIN WITH (FORMAT text, DELIMITER E'\\x01')"
            ) as copy,
        ):
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
    return round(n / seconds)


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))))
