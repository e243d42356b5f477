"""`trellis score ID R1 R2 …` / `trellis score --json FILE`: score one instrument, print JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from trellis.core.errors import InvalidInput

WORDS = {
    "yes": True,
    "true": True,
    "y": True,
    "no": False,
    "false": False,
    "n": False,
    "null": None,
    "-": None,
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("score", help="score one instrument (contracts/instruments.md)")
    parser.add_argument("instrument", nargs="?", help="instrument id, e.g. phq9")
    parser.add_argument("responses", nargs="*", help="answers in item order: numbers, yes/no, null")
    parser.add_argument(
        "--json", dest="json_file", metavar="FILE", help='{"instrument", "responses", "context"}'
    )
    parser.add_argument("--sex", choices=["female", "male"], help="context for auditc")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trellis.core.instruments import score

    instrument_id, responses, context = (
        _from_file(args.json_file) if args.json_file else _from_args(args)
    )
    print(json.dumps(score(instrument_id, responses, context).as_dict(), indent=2, sort_keys=True))
    return 0


def _from_args(args: argparse.Namespace) -> tuple[str, list[Any], dict[str, Any]]:
    if not args.instrument:
        raise InvalidInput("ID", "an instrument id followed by its responses, or --json FILE")
    return (
        args.instrument,
        [_parse(i, text) for i, text in enumerate(args.responses, start=1)],
        {"sex": args.sex} if args.sex else {},
    )


def _parse(number: int, text: str) -> Any:
    if text.lower() in WORDS:
        return WORDS[text.lower()]
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise InvalidInput(
                f"response {number}", "a JSON list such as [0,2,0,0,0,0,0]"
            ) from None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"response {number}", "a whole number, yes/no, or null") from None


def _from_file(name: str) -> tuple[str, list[Any], dict[str, Any]]:
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError:
        raise InvalidInput(name, "a readable file") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            name, f"valid JSON (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("instrument"), str):
        raise InvalidInput(f"{name}: instrument", "an instrument id")
    if not isinstance(data.get("responses"), list):
        raise InvalidInput(f"{name}: responses", "a list of answers in item order")
    context = data.get("context") or {}
    if not isinstance(context, dict):
        raise InvalidInput(f"{name}: context", 'an object such as {"sex": "female"}')
    return data["instrument"], data["responses"], context
