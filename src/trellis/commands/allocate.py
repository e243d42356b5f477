"""`trellis allocate REQUESTS.json CAPACITY.json [--policy fcfs|optimal|equitable]
[--equity-floor F]`: place waiting people into program places, print the JSON document of
contracts/allocation.md with the report (core.allocation.report, as of today) under one more
key, "report" (cli.md: "JSON assignments + report"). Reads two files, stores nothing."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from trellis.core.errors import InvalidInput

DEFAULT_POLICY = "equitable"  # the fair one, unless asked otherwise


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("allocate", help="place waiting people into program places")
    parser.add_argument("requests", help="REQUESTS.json: the people waiting")
    parser.add_argument("capacity", help="CAPACITY.json: the programs and their open places")
    # Checked by the core, not by argparse, so that a bad value gets the one-line message.
    parser.add_argument("--policy", default=DEFAULT_POLICY, help="fcfs, optimal or equitable")
    parser.add_argument("--equity-floor", default="0.8", help="F in 0-1 (default 0.8)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trellis.core.allocation import (
        allocate,
        check_floor,
        check_policy,
        parse_capacity,
        parse_requests,
    )
    from trellis.core.allocation.report import report

    policy = check_policy(args.policy, "--policy")
    floor = check_floor(_number(args.equity_floor), "--equity-floor")
    requests = parse_requests(_read(args.requests), args.requests)
    programs = parse_capacity(_read(args.capacity), args.capacity)
    result = allocate(requests, programs, policy, equity_floor=floor)
    document = result.as_dict()
    # The contract's keys stay exactly as they are; the report is one key more. No turnover
    # history is known from these two files, so expected waits are null.
    today = date.today()  # noqa: DTZ011 - a calendar date for days waited, not a timestamp
    document["report"] = report(requests, programs, result, today=today).as_dict()
    print(json.dumps(document, indent=2, ensure_ascii=False))
    _notes(result)
    return 0


def _number(text: str) -> object:
    try:
        return float(text)
    except ValueError:
        return text  # check_floor names the option and what it takes


def _read(name: str) -> Any:
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError:
        raise InvalidInput(name, "a readable file") from None
    except UnicodeDecodeError:
        raise InvalidInput(name, "UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            name, f"valid JSON (line {error.lineno}, column {error.colno})"
        ) from None


def _notes(result: Any) -> None:
    """What the document cannot say in its own fields, for the person at the terminal."""
    if result.policy != "equitable" or result.feasible or result.floor_held is None:
        return
    if result.floor_dropped:
        print(
            f"trellis allocate: the equity floor {result.equity_floor:g} cannot be met: a group "
            f"of {', '.join(result.floor_dropped)} has nobody with an appropriate program with "
            f"an open place; returned the best allocation with those attributes held to no "
            f"floor and the others to {result.floor_held:.3f} (worst ratio "
            f"{result.worst_ratio:g})",
            file=sys.stderr,
        )
        return
    print(
        f"trellis allocate: the equity floor {result.equity_floor:g} cannot be met by placing "
        f"anyone; returned the best allocation at the largest floor met, "
        f"{result.floor_held:.3f} (worst ratio {result.worst_ratio:g})",
        file=sys.stderr,
    )
