"""`trellis demo load`: demo data with one login per role (passwords in README.md)."""

from __future__ import annotations

import argparse

from trellis.commands import _django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("demo", help="load demo data")
    parser.add_argument("action", choices=["load"])
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    from trellis.people import demo

    if not demo.database_is_empty():
        print("The database already has people; demo data was not loaded.")
        return 0
    print(demo.load().summary())
    return 0
