"""`trellis keys rotate`: re-encrypt every encrypted field with the newest key, without loss.

With keys from the environment, put the new key first in TRELLIS_ENCRYPTION_KEYS (keep the old
ones after it), run this, then drop the old keys. With the development key file, this makes
the new key itself. `trellis keys new` prints a fresh key.
"""

from __future__ import annotations

import argparse

from trellis.commands import _django


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("keys", help="field-encryption keys")
    parser.add_argument("action", choices=["rotate", "new"])
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "new":
        from trellis.core.encryption import new_key

        print(new_key())
        return 0
    _django.setup()
    from trellis.security import rotation

    report = rotation.rotate()
    print(f"re-encrypted {report.values} values in {report.rows} rows with key {report.key_id}")
    return 0
