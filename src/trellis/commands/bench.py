"""`trellis bench [--quick] [--only NAME] [--json]`: the performance suite."""

from __future__ import annotations

import argparse
import json
import os
import tempfile


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("bench", help="run the performance suite")
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--only", help="one figure or group, e.g. score or plan.p95_ms")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Benchmarks write throwaway rows: never into the real database.
    scratch = tempfile.mkdtemp(prefix="trellis-bench-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "TRELLIS_BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3"
    )
    from trellis.bench.runner import run as run_suite

    rows = run_suite(args.only, args.quick)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], indent=2))
        return 0
    print(f"{'name':32} {'value':>12} {'unit':12} {'baseline':>12} {'ratio':>8} {'n':>8}  target")
    for r in rows:
        baseline = "" if r.baseline is None else f"{r.baseline:12.4g}"
        ratio = "" if r.ratio is None else f"{r.ratio:8.3g}"
        print(
            f"{r.name:32} {r.value:12.4g} {r.unit:12} {baseline:>12} {ratio:>8} {r.n or '':>8}  {r.target or ''}"
        )
    return 0
