"""`trellis hsds import PATH [--skip-invalid]` and `trellis hsds export DIR`: the community
directory in and out as Open Referral HSDS (contracts/cli.md).

An import prints its report as JSON (counts, each problem with file, record, field and reason,
and taxonomy terms no community category answers). With problems and without --skip-invalid
nothing is stored and the exit code is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trellis.commands import _django
from trellis.core.errors import InvalidInput

EXIT_BAD_INPUT = 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("hsds", help="Open Referral HSDS directory in and out")
    parser.add_argument("action", choices=["import", "export"])
    parser.add_argument("path", help="import: an HSDS file or folder; export: a folder")
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the sound records and list the rest (without it, a problem stores nothing)",
    )
    parser.add_argument(
        "--status-if-missing",
        choices=["active", "inactive", "defunct", "temporarily closed"],
        help="what the source means by a service without a status (HSDS requires one)",
    )
    parser.add_argument("--format", choices=["json", "csv"], default="json", help="export format")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    from trellis.directory import importer

    if args.action == "export":
        counts = (importer.export_csv if args.format == "csv" else importer.export_json)(args.path)
        print(
            json.dumps({"exported": counts, "format": args.format, "folder": args.path}, indent=2)
        )
        return 0
    if not Path(args.path).exists():
        raise InvalidInput("PATH", "an HSDS 3.0 JSON file or folder, or an HSDS CSV folder")
    report = importer.import_path(
        args.path, skip_invalid=args.skip_invalid, status_if_missing=args.status_if_missing
    )
    print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    if report.imported:
        return 0
    first = report.problems[0]
    where = ", ".join(str(x) for x in (first.file, first.record_id, first.field) if x)
    print(
        f"trellis hsds: {len(report.problems)} record(s) not importable (first: {where}: "
        f"{first.reason}); nothing was stored. --skip-invalid imports the rest.",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT
