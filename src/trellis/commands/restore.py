"""`trellis restore FILE [--force]`: put back a backup made by `trellis backup`.

Nothing changes when FILE is not a Trellis backup, is a backup of the other database vendor,
needs an encryption key TRELLIS_ENCRYPTION_KEYS lacks, or the database already holds data and
--force is not given (all exit 2). SQLite: the copy is checked against its manifest, then
written into the database by SQLite's backup API in one transaction, so other connections see
the old database or the new one, never a mix. PostgreSQL: `pg_restore --clean --if-exists
--no-owner --single-transaction`. The schema comes from the backup, so `migrate` runs after the
restore (it upgrades an older backup); then the restore is audited and the chain verified.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from trellis.commands import _django
from trellis.commands.backup import (
    VENDOR_NAMES,
    Backup,
    BackupError,
    open_backup,
    pg_connection,
    pg_run,
    pg_tool,
    quote,
    row_counts,
    supported_vendor,
    table_names,
)
from trellis.core.errors import InvalidInput

# Tables `migrate` fills by itself: rows there do not mean the database holds data.
BOOKKEEPING = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "audit_audithead"}
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("restore", help="replace the database with a backup")
    parser.add_argument("file", metavar="FILE", help="a backup made by `trellis backup`")
    parser.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup(migrate=False)  # the schema comes from the backup; migrate runs after it
    try:
        return restore(Path(args.file), force=args.force)
    except BackupError as error:
        print(f"trellis restore: {error}", file=sys.stderr)
        return 1


def restore(path: Path, *, force: bool) -> int:
    from django.core.management import call_command
    from django.db import connection

    vendor = supported_vendor(connection.vendor)
    with open_backup(path) as backup:
        check_fits(backup, vendor)
        put_back = restorer_for(connection, vendor)  # checks pg_restore before anything changes
        if not force and holds_data(connection, vendor):
            raise InvalidInput(
                "--force",
                "given to replace it",
                message=f"the database already holds data; restore FILE {path} into an empty "
                "database, or give --force to replace its data",
            )
        put_back(backup)
    call_command("migrate", interactive=False, verbosity=0)
    return record_and_verify(backup)


def check_fits(backup: Backup, vendor: str) -> None:
    from trellis.core.encryption import key_id
    from trellis.security.fields import key_ring

    if backup.vendor != vendor:
        made, used = VENDOR_NAMES[backup.vendor], VENDOR_NAMES[vendor]
        raise InvalidInput(
            f"FILE {backup.path}",
            f"a {used} backup",
            message=f"FILE {backup.path} is a backup of a {made} database; this Trellis uses "
            f"{used}, so it must be a {used} backup",
        )
    missing = set(backup.manifest["encryption_key_ids"]) - {key_id(k) for k in key_ring().keys}
    if missing:
        raise InvalidInput(
            f"FILE {backup.path}",
            "restored with its keys",
            message=f"FILE {backup.path} holds values encrypted with key id "
            f"{', '.join(sorted(missing))}; TRELLIS_ENCRYPTION_KEYS must include that key "
            "(keys are never inside a backup)",
        )


def restorer_for(connection: Any, vendor: str) -> Callable[[Backup], None]:
    if vendor == "sqlite":
        return partial(restore_sqlite, Path(connection.settings_dict["NAME"]))
    return partial(
        restore_postgresql, connection, pg_tool("pg_restore", connection.pg_version // 10_000)
    )


def holds_data(connection: Any, vendor: str) -> bool:
    if vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return False  # and connecting would create the file
    with connection.cursor() as cursor:
        for table in table_names(cursor, vendor):
            if table in BOOKKEEPING:
                continue
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
            if cursor.fetchone()[0]:
                return True
    return False


def restore_sqlite(target: Path, backup: Backup) -> None:
    from django.db import connections

    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".trellis-restore-") as work:
        source = sqlite3.connect(backup.extract_database(Path(work)))
        try:
            check_copy(backup, source)
            connections.close_all()
            database = sqlite3.connect(target, timeout=20)
            try:
                source.backup(database)
            except sqlite3.Error as error:
                raise BackupError(
                    f"writing the database failed, nothing changed: {error}"
                ) from None
            finally:
                database.close()
        finally:
            source.close()


def check_copy(backup: Backup, source: sqlite3.Connection) -> None:
    """The copy is sound and holds exactly the rows its manifest counted."""
    try:
        sound = source.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        counts = row_counts(source.cursor(), "sqlite")
    except sqlite3.DatabaseError:
        sound, counts = False, {}
    if not sound or counts != backup.manifest["tables"]:
        raise damaged(backup, first_difference(counts, backup.manifest["tables"]))


def restore_postgresql(connection: Any, tool: str, backup: Backup) -> None:
    from django.db import connections

    with tempfile.TemporaryDirectory(prefix="trellis-restore-") as work:
        archive = backup.extract_database(Path(work))
        with archive.open("rb") as data:
            if data.read(5) != b"PGDMP":  # pg_dump's custom-format signature
                raise damaged(backup, "")
        conninfo, env = pg_connection(connection.settings_dict)
        connections.close_all()
        arguments = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        pg_run(tool, [*arguments, str(archive)], conninfo, env)
    with connection.cursor() as cursor:
        restored = row_counts(cursor, "postgresql")
    expected = backup.manifest["tables"]
    differs = first_difference({t: restored.get(t) for t in expected}, expected)
    if differs:
        raise BackupError(
            f"restored table {differs} does not match the manifest of FILE {backup.path}; "
            "the backup may be damaged"
        )


def first_difference(counts: dict[str, Any], expected: dict[str, int]) -> str:
    return next(
        (t for t in sorted(counts.keys() | expected.keys()) if counts.get(t) != expected.get(t)), ""
    )


def damaged(backup: Backup, table: str) -> InvalidInput:
    where = f" (table {table} does not match its manifest)" if table else ""
    return InvalidInput(
        f"FILE {backup.path}",
        "a backup as `trellis backup` wrote it",
        message=f"FILE {backup.path} is damaged{where}; it must be a backup as "
        "`trellis backup` wrote it",
    )


def record_and_verify(backup: Backup) -> int:
    """Audit the restore in the restored log, after its last entry, then check the chain."""
    from trellis.audit import log as audit
    from trellis.audit.models import AuditEvent

    manifest = backup.manifest
    audit.record(
        None,
        "restore",
        object_type="Database",
        object_id=backup.vendor,
        purpose="operations",
        detail={
            "file": str(backup.path.resolve()),
            "backup_created_at": manifest.get("created_at"),
            "backup_trellis_version": manifest.get("trellis_version"),
        },
    )
    broken = audit.verify()
    if broken is not None:
        print(
            f"trellis restore: restored, but the audit log is broken at entry {broken.seq}: "
            f"{broken.reason}",
            file=sys.stderr,
        )
        return 1
    tables = manifest["tables"]
    print(
        f"ok: {sum(tables.values())} rows in {len(tables)} tables restored from {backup.path} "
        f"(backed up {manifest.get('created_at')}); audit log: "
        f"{AuditEvent.objects.count()} entries, chain intact"
    )
    return 0
