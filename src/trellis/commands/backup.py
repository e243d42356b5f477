"""`trellis backup FILE`: a consistent copy of the whole database, taken while Trellis runs.

FILE is a tar archive (format `trellis.backup/1`) holding `trellis-backup.json` (the manifest:
format, Trellis version, database vendor, when, rows per table, the ids of the encryption keys
the data needs) and then the database itself: `database.sqlite3` (SQLite online backup) or
`database.pgdump` (`pg_dump --format=custom`). Encryption keys are never inside: a restore needs
TRELLIS_ENCRYPTION_KEYS to hold them. `trellis restore FILE` reads it back (restore.py).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path
from typing import IO, Any

from trellis.commands import _django
from trellis.core.errors import InvalidInput

FORMAT = "trellis.backup/1"
MANIFEST = "trellis-backup.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# libpq settings that may travel from DATABASE_URL's query string to pg_dump / pg_restore.
# Secrets stay out of this list: they would show on the command line.
LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
    "gssencmode",
    "channel_binding",
    "service",
    "passfile",
)


class BackupError(RuntimeError):
    """A backup or restore that could not be done, for a reason outside the input (exit 1)."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("backup", help="back the database up into a new file")
    parser.add_argument(
        "file", metavar="FILE", help="a new file (an existing one is never overwritten)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    try:
        return back_up(Path(args.file))
    except BackupError as error:
        print(f"trellis backup: {error}", file=sys.stderr)
        return 1


def back_up(path: Path) -> int:
    from django.db import connection

    from trellis.audit import log as audit

    check_new_file(path)
    vendor = supported_vendor(connection.vendor)
    snapshot = snapshot_for(connection, vendor)  # checks pg_dump before anything is written
    # Written before the snapshot, so the backup holds its own entry and its chain verifies.
    audit.record(
        None,
        "backup",
        object_type="Database",
        object_id=vendor,
        purpose="operations",
        detail={"format": FORMAT, "file": str(path.resolve())},
    )
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".trellis-backup-") as work:
        database = Path(work) / MEMBERS[vendor]
        tables, key_ids = snapshot(database)
        write_archive(path, new_manifest(vendor, tables, key_ids), database, Path(work))
    print(f"ok: {sum(tables.values())} rows in {len(tables)} tables ({vendor}) backed up to {path}")
    return 0


def check_new_file(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise InvalidInput(
            f"FILE {path}",
            "a new file name",
            message=f"FILE {path} already exists; it must be a new file name "
            "(a backup never overwrites a file)",
        )
    if not path.parent.is_dir():
        raise InvalidInput(
            f"FILE {path}",
            "a path in an existing folder",
            message=f"FILE {path} is in a folder that does not exist; "
            "it must be a path in an existing folder",
        )


def supported_vendor(vendor: str) -> str:
    if vendor not in MEMBERS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


# Snapshots ----------------------------------------------------------------------------------

Snapshot = Callable[[Path], tuple[dict[str, int], list[str]]]


def snapshot_for(connection: Any, vendor: str) -> Snapshot:
    """The function that copies the database into a file and returns (rows per table, key ids)."""
    if vendor == "sqlite":
        return partial(snapshot_sqlite, connection)
    return partial(
        snapshot_postgresql, connection, pg_tool("pg_dump", connection.pg_version // 10_000)
    )


def snapshot_sqlite(connection: Any, database: Path) -> tuple[dict[str, int], list[str]]:
    """Copy the live database with SQLite's online backup API: one read transaction, so the
    copy is consistent while others keep writing. The copy leaves write-ahead logging so it is
    one self-contained file."""
    connection.ensure_connection()
    target = sqlite3.connect(database)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        return row_counts(cursor, "sqlite"), encryption_key_ids(cursor)
    finally:
        target.close()


def snapshot_postgresql(
    connection: Any, tool: str, database: Path
) -> tuple[dict[str, int], list[str]]:
    """Count the rows in one exported snapshot and have pg_dump dump that same snapshot."""
    import psycopg

    conninfo, env = pg_connection(connection.settings_dict)
    with closing(psycopg.connect(conninfo, password=env.get("PGPASSWORD"))) as raw:
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        tables, key_ids = row_counts(cursor, "postgresql"), encryption_key_ids(cursor)
        # The snapshot lives as long as this transaction: pg_dump runs inside it.
        pg_run(
            tool, ["--format=custom", f"--snapshot={snapshot}", f"--file={database}"], conninfo, env
        )
    return tables, key_ids


def table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT c.relname FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)"
            " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        )
    cursor.execute(sql)
    return sorted(row[0] for row in cursor.fetchall())


def row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - a catalog name
        counts[table] = int(cursor.fetchone()[0])
    return counts


def encryption_key_ids(cursor: Any) -> list[str]:
    """The ids of the keys that encrypted the stored values (an id is a short hash, never a key)."""
    from trellis.core.encryption import PREFIX
    from trellis.security.rotation import encrypted_fields

    start, length = len(PREFIX) + 2, 12  # `enc1:<12-character key id>:…`
    found: set[str] = set()
    for model, names in encrypted_fields():
        for name in names:
            column = quote(model._meta.get_field(name).column)
            cursor.execute(
                f"SELECT DISTINCT substr({column}, {start}, {length}) "  # noqa: S608
                f"FROM {quote(model._meta.db_table)} WHERE {column} LIKE '{PREFIX}:%'"
            )
            found.update(row[0] for row in cursor.fetchall())
    return sorted(found)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# The archive --------------------------------------------------------------------------------


def new_manifest(vendor: str, tables: dict[str, int], key_ids: list[str]) -> dict[str, Any]:
    from django.utils import timezone

    import trellis

    return {
        "format": FORMAT,
        "trellis_version": trellis.__version__,
        "vendor": vendor,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "tables": tables,
        "encryption_key_ids": key_ids,
    }


def write_archive(path: Path, manifest: dict[str, Any], database: Path, work: Path) -> None:
    """Write the tar beside FILE, readable by its owner only, then move it into place whole."""
    unfinished = work / "backup.tar"
    descriptor = os.open(unfinished, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            text = json.dumps(manifest, indent=2).encode()
            _add(tar, MANIFEST, len(text), io.BytesIO(text))
            with database.open("rb") as data:
                _add(tar, database.name, database.stat().st_size, data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(unfinished, path)


def _add(tar: tarfile.TarFile, name: str, size: int, data: IO[bytes]) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    tar.addfile(info, data)


class Backup:
    """An opened backup FILE whose manifest has been read and checked."""

    def __init__(self, path: Path, tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
        self.path, self.tar, self.manifest = path, tar, manifest

    @property
    def vendor(self) -> str:
        return str(self.manifest["vendor"])

    def extract_database(self, folder: Path) -> Path:
        """Copy the database member out by name, never through tar's own paths."""
        member = self.tar.next()
        if member is None or member.name != MEMBERS[self.vendor] or not member.isfile():
            raise not_a_backup(self.path)
        target = folder / member.name
        try:
            source = self.tar.extractfile(member)
            assert source is not None  # a regular file, checked above
            with source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile):
            raise not_a_backup(self.path) from None  # cut short or corrupted
        return target


@contextmanager
def open_backup(path: Path) -> Iterator[Backup]:
    """Open FILE and check it is a Trellis backup; InvalidInput naming FILE when it is not."""
    if not path.exists():
        raise InvalidInput(
            f"FILE {path}",
            "a backup made by `trellis backup`",
            message=f"FILE {path} does not exist; it must be a backup made by `trellis backup`",
        )
    try:
        # Closed by the `with` below; gzip'd copies of a backup read as well.
        tar = tarfile.open(path, "r:*")  # noqa: SIM115
    except (tarfile.TarError, OSError, EOFError):
        raise not_a_backup(path) from None
    with tar:
        yield Backup(path, tar, read_manifest(path, tar))


def read_manifest(path: Path, tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.next()
        if (
            member is None
            or member.name != MANIFEST
            or not member.isfile()
            or member.size > 1 << 20
        ):
            raise not_a_backup(path)
        data = tar.extractfile(member)
        manifest = json.loads(data.read()) if data else None
    except (tarfile.TarError, OSError, EOFError, ValueError):
        raise not_a_backup(path) from None
    if not is_manifest(manifest):
        raise not_a_backup(path)
    return manifest  # type: ignore[no-any-return]


def is_manifest(manifest: Any) -> bool:
    return (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and manifest.get("vendor") in MEMBERS
        and isinstance(manifest.get("tables"), dict)
        and all(isinstance(n, int) for n in manifest["tables"].values())
        and isinstance(manifest.get("encryption_key_ids"), list)
    )


def not_a_backup(path: Path) -> InvalidInput:
    return InvalidInput(
        f"FILE {path}",
        "a backup made by `trellis backup`",
        message=f"FILE {path} is not a Trellis backup; it must be a file made by "
        f"`trellis backup` (format {FORMAT})",
    )


# PostgreSQL client tools ---------------------------------------------------------------------


def pg_tool(name: str, server_major: int) -> str:
    """The path of pg_dump / pg_restore, at least as new as the server (pg_dump's own rule)."""
    path = shutil.which(name)
    install = (
        f"install the PostgreSQL {server_major} client (Debian: apt-get install postgresql-client)"
    )
    if path is None:
        raise BackupError(f"{name} not found; {install}")
    version = subprocess.run(  # noqa: S603 - a PostgreSQL tool found on PATH
        [path, "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"(\d+)(?:\.\d+)*", version)
    if found is None or int(found.group(1)) < server_major:
        raise BackupError(f"{name} is older than the server ({version.strip()}); {install}")
    return path


def pg_connection(settings_dict: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the configured database, and the environment for the
    tools: the password goes in PGPASSWORD, never on the command line."""
    from psycopg.conninfo import make_conninfo

    options = settings_dict.get("OPTIONS") or {}
    params = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
        **{key: str(options[key]) for key in LIBPQ_OPTIONS if key in options},
    }
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env


def pg_run(tool: str, arguments: list[str], conninfo: str, env: dict[str, str]) -> None:
    """Run pg_dump / pg_restore on the configured database; it never prompts for a password."""
    done = subprocess.run(  # noqa: S603 - a PostgreSQL tool, arguments as a list
        [tool, "--no-password", f"--dbname={conninfo}", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise BackupError(f"{Path(tool).name} failed: {done.stderr.strip()[-2000:]}")
