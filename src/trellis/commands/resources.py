"""`trellis resources search --near LAT,LON [--radius-km N] [--category C] [--language L] …`:
directory search, printed as a JSON list, nearest first (contracts/cli.md)."""

from __future__ import annotations

import argparse
import json

from trellis.commands import _django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("resources", help="search the community directory")
    parser.add_argument("action", choices=["search"])
    parser.add_argument("--near", required=True, help="LAT,LON in decimal degrees")
    parser.add_argument("--radius-km", type=float, default=25.0)
    parser.add_argument("--category", help="a com.* code of interventions.csv")
    parser.add_argument("--language", help="a language code, e.g. es")
    parser.add_argument("--cost", help="comma-separated: free, sliding_scale, insurance")
    parser.add_argument("--age", type=int)
    parser.add_argument("--sex", choices=["female", "male"])
    parser.add_argument("--veteran", action="store_true", default=None)
    parser.add_argument("--open-now", action="store_true")
    parser.add_argument("--accessible", action="store_true")
    parser.add_argument("--limit", type=int, default=20)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    from trellis.api.directory import SearchIn, query_from
    from trellis.directory.search import search

    params = SearchIn(
        near=args.near,
        radius_km=args.radius_km,
        category=args.category,
        language=args.language,
        cost=args.cost,
        age=args.age,
        sex=args.sex,
        veteran=args.veteran,
        open_now=args.open_now,
        accessible=args.accessible,
        limit=args.limit,
    )
    hits = search(query_from(params))
    print(json.dumps([h.as_json() for h in hits], indent=2, ensure_ascii=False))
    return 0
