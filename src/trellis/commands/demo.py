"""`trellis demo load`: demo data with one login per role (passwords in README.md).
`trellis demo generate --people N --credentials FILE`: N more people with their histories and
their care teams, for load tests (people/synthetic.py); the logins go to FILE (mode 0600)."""

from __future__ import annotations

import argparse
from pathlib import Path

from trellis.commands import _django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo", help="load demo data, or generate people for load tests")
    parser.add_argument("action", choices=["load", "generate"])
    parser.add_argument(
        "--people", type=int, default=1000, help="generate: how many people (1-100000)"
    )
    parser.add_argument(
        "--credentials",
        type=Path,
        help="generate: where to write the generated logins (JSON, readable by you only)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "generate":
        return _generate(args)
    _django.setup()
    from trellis.people import demo

    if not demo.database_is_empty():
        print("The database already has people; demo data was not loaded.")
        return 0
    print(demo.load().summary())
    return 0


def _generate(args: argparse.Namespace) -> int:
    import sys

    if not 1 <= args.people <= 100_000:
        print(
            f"--people: {args.people} is not allowed; give a whole number from 1 to 100000",
            file=sys.stderr,
        )
        return 2
    if args.credentials is None or not args.credentials.parent.is_dir():
        print(
            "--credentials: give a file in an existing folder for the generated logins",
            file=sys.stderr,
        )
        return 2
    _django.setup()
    from trellis.people import synthetic

    print(synthetic.generate(args.people, args.credentials).summary())
    return 0
