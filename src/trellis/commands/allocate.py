"""`trellis allocate REQUESTS.json CAPACITY.json [--policy fcfs|optimal|equitable]
[--equity-floor F]`: place waiting people into program places, print the JSON document of
contracts/allocation.md. Reads two files, stores nothing."""

from __future__ import annotations

import argparse
import json
import sys
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

    policy = check_policy(args.policy, "--policy")
    floor = check_floor(_number(args.equity_floor), "--equity-floor")
    requests = parse_requests(_read(args.requests), args.requests)
    programs = parse_capacity(_read(args.capacity), args.capacity)
    result = allocate(requests, programs, policy, equity_floor=floor)
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
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
    if result.policy == "equitable" and not result.feasible and result.floor_held is not None:
        print(
            f"trellis allocate: the equity floor {result.equity_floor:g} cannot be met by placing "
            f"anyone; returned the best allocation at the largest floor met, "
            f"{result.floor_held:.3f} (worst ratio {result.worst_ratio:g})",
            file=sys.stderr,
        )
    for attribute, groups in result.excluded_groups.items():
        print(
            f"trellis allocate: {attribute} groups left out of the rates (no member has an "
            f"appropriate program with an open place): {', '.join(groups)}",
            file=sys.stderr,
        )
