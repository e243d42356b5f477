"""The `trellis` command (shared/contracts/cli.md): parse arguments, call core or actions, print.

Each verb lives in `trellis.commands.<verb>` and exposes `register(subparsers)`, which adds
its parser and sets `func(args) -> int`. Exit codes: 0 done, 2 bad input, 1 anything else.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from trellis.core.errors import InvalidInput

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"trellis: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _verbs() -> list[str]:
    import trellis.commands

    return sorted(
        m.name
        for m in pkgutil.iter_modules(trellis.commands.__path__)
        if not m.name.startswith("_")
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="trellis", description="Customized addiction-recovery care.")
    sub = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    for verb in _verbs():
        importlib.import_module(f"trellis.commands.{verb}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    # `trellis score auditc --sex female 1 1 1`: answers may follow an option.
    if (
        extra
        and isinstance(getattr(args, "responses", None), list)
        and not any(e.startswith("--") for e in extra)
    ):
        args.responses.extend(extra)
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # here, where a reader gone is met, not at exit
        return code
    except InvalidInput as error:
        print(f"trellis {args.verb}: {error.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The output's reader stopped reading (`trellis … | head`): exit 1 without a trace, as
    other commands do. What is still buffered goes nowhere, so that Python's own flush at exit
    does not fail again."""
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, sys.stdout.fileno())
    os.close(quiet)
    return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
