"""`trellis audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import argparse
import sys

from trellis.commands import _django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("audit", help="check the audit log")
    parser.add_argument("action", choices=["verify"])
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    from trellis.audit import log
    from trellis.audit.models import AuditEvent

    broken = log.verify()
    if broken is not None:
        print(f"audit log broken at entry {broken.seq}: {broken.reason}", file=sys.stderr)
        return 1
    print(f"ok: {AuditEvent.objects.count()} entries, chain intact")
    return 0
