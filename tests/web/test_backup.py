"""`trellis backup FILE` and `trellis restore FILE` (issue 11, faults).

A restore into a fresh database gives the same rows per table and an audit chain that verifies;
encryption keys are never inside a backup. Runs on SQLite and, with DATABASE_URL naming a
PostgreSQL server (`make test`), on PostgreSQL: the fresh database is then a scratch database
this file creates and drops on the same server, so the test database is never restored over.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from trellis.audit import log as audit
from trellis.audit.models import AuditEvent
from trellis.cli import main
from trellis.commands.backup import pg_connection
from trellis.core.encryption import key_id, new_key
from trellis.people.models import BreakGlassAccess

# A backup is read the way another process would read it: committed rows only.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key(settings, monkeypatch):
    """A key of this test's own, so the search for it in the backup means something."""
    key = new_key()
    settings.ENCRYPTION_KEYS = key
    monkeypatch.setenv("TRELLIS_ENCRYPTION_KEYS", key)
    return key


@pytest.fixture
def records(key, plan, pat, eli, dana):
    """Pat's plan (encrypted documents), a break-glass reason, and reads in the audit log."""
    BreakGlassAccess.objects.create(
        person=pat.person,
        user=eli.user,
        reason="covering the weekend shift",
        expires_at=timezone.now(),
    )
    for _ in range(3):
        audit.record(dana.user, "read", pat.person, purpose="treatment")


@pytest.fixture
def fresh_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the vendor in use."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    server = urlsplit(os.environ["DATABASE_URL"])
    # Named after the run's own database, so runs that share a server with their own
    # DATABASE_URL (trellis_<something>) keep their databases under their own prefix.
    name = f"{server.path.strip('/')}_restore_{os.getpid()}"

    def maintenance(statement: str) -> None:
        url = urlunsplit(server._replace(path="/postgres"))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(statement)

    maintenance(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    maintenance(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(server._replace(path=f"/{name}"))
    finally:
        maintenance(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def trellis(*args: str, url: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The `trellis` command in its own process, on the database at `url`."""
    env = os.environ | {"DATABASE_URL": url, "TRELLIS_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "trellis.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def rows(cursor, vendor: str) -> dict[str, int]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    names = [name for (name,) in cursor.fetchall() if not name.startswith("sqlite_")]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT count(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def rows_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        return rows(cursor, connection.vendor)


def rows_at(url: str) -> dict[str, int]:
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            return rows(conn.cursor(), "sqlite")
    import psycopg

    with psycopg.connect(url) as conn:
        return rows(conn.cursor(), "postgresql")


def members(file: Path) -> dict[str, bytes]:
    with tarfile.open(file) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def rewritten(file: Path, out: Path, **manifest_changes) -> Path:
    """A copy of the backup `file` whose manifest says something else."""
    parts = members(file)
    manifest = json.loads(parts["trellis-backup.json"]) | manifest_changes
    parts["trellis-backup.json"] = json.dumps(manifest).encode()
    with tarfile.open(out, "w") as tar:
        for name, data in parts.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


@committed
def test_a_restore_into_a_fresh_database_gives_the_same_rows_and_a_chain_that_verifies(
    records, fresh_database, tmp_path
):
    file = tmp_path / "trellis.backup"
    assert main(["backup", str(file)]) == 0
    at_backup = rows_here()
    BreakGlassAccess.objects.all().delete()
    audit.record(None, "read", object_type="Person", purpose="operations")
    assert rows_here() != at_backup

    restored = trellis("restore", str(file), url=fresh_database, home=tmp_path)

    assert restored.returncode == 0, restored.stderr
    # The backup's own entry is in it; the restore adds one entry after it.
    expected = at_backup | {"audit_auditevent": at_backup["audit_auditevent"] + 1}
    assert rows_at(fresh_database) == expected
    verified = trellis("audit", "verify", url=fresh_database, home=tmp_path)
    assert verified.returncode == 0, verified.stderr

    again = trellis("restore", str(file), url=fresh_database, home=tmp_path)
    assert again.returncode == 2
    assert again.stderr == (
        f"trellis restore: the database already holds data; restore FILE {file} into an "
        "empty database, or give --force to replace its data\n"
    )

    forced = trellis("restore", str(file), "--force", url=fresh_database, home=tmp_path)

    assert forced.returncode == 0, forced.stderr
    assert rows_at(fresh_database) == expected  # replaced, not added to
    assert trellis("audit", "verify", url=fresh_database, home=tmp_path).returncode == 0


@committed
def test_the_backup_and_the_restore_are_audited_for_operations(records, fresh_database, tmp_path):
    file = tmp_path / "trellis.backup"

    assert main(["backup", str(file)]) == 0

    entry = AuditEvent.objects.order_by("-seq").first()
    assert (entry.actor, entry.action, entry.purpose) == (None, "backup", "operations")
    assert (entry.object_type, entry.object_id) == ("Database", connection.vendor)
    assert audit.verify() is None
    restored = trellis("restore", str(file), url=fresh_database, home=tmp_path)
    assert "audit log: " in restored.stdout
    assert "chain intact" in restored.stdout


@committed
def test_the_manifest_names_format_version_vendor_time_rows_and_key_ids(records, key, tmp_path):
    file = tmp_path / "trellis.backup"

    assert main(["backup", str(file)]) == 0

    manifest = json.loads(members(file)["trellis-backup.json"])
    assert manifest["format"] == "trellis.backup/1"
    assert manifest["trellis_version"] == "0.1.0"
    assert manifest["vendor"] == connection.vendor
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["tables"] == rows_here()
    assert manifest["encryption_key_ids"] == [key_id(base64.urlsafe_b64decode(key))]
    assert file.stat().st_mode & 0o777 == 0o600


@committed
def test_encryption_keys_are_never_inside_a_backup(records, key, settings, tmp_path):
    file = tmp_path / "trellis.backup"

    assert main(["backup", str(file)]) == 0

    content = file.read_bytes()
    if connection.vendor == "postgresql":
        # pg_dump compresses its archive: search the SQL it restores, too.
        archive = tmp_path / "database.pgdump"
        archive.write_bytes(members(file)["database.pgdump"])
        content += subprocess.run(
            ["pg_restore", "--file=-", str(archive)], capture_output=True, check=True
        ).stdout
    assert f"enc1:{key_id(base64.urlsafe_b64decode(key))}:".encode() in content  # ciphertext is
    assert key.encode() not in content
    assert base64.urlsafe_b64decode(key) not in content
    assert settings.SECRET_KEY.encode() not in content


@committed
def test_a_restore_refuses_what_is_not_a_backup_of_this_database_and_changes_nothing(
    records, tmp_path, settings, capsys
):
    file = tmp_path / "trellis.backup"
    assert main(["backup", str(file)]) == 0
    capsys.readouterr()
    before = rows_here()
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    elsewhere = rewritten(file, tmp_path / "other.backup", vendor=other)
    cases = [
        (
            ["restore", str(tmp_path / "missing.backup")],
            f"FILE {tmp_path / 'missing.backup'} does not exist; "
            "it must be a backup made by `trellis backup`",
        ),
        (
            ["restore", str(text)],
            f"FILE {text} is not a Trellis backup; it must be a file made by "
            "`trellis backup` (format trellis.backup/1)",
        ),
        (
            ["restore", str(elsewhere)],
            f"FILE {elsewhere} is a backup of a {names[other]} database; this Trellis uses "
            f"{names[connection.vendor]}, so it must be a {names[connection.vendor]} backup",
        ),
        (
            ["restore", str(file)],
            f"the database already holds data; restore FILE {file} into an empty database, "
            "or give --force to replace its data",
        ),
    ]
    for argv, message in cases:
        assert main(argv) == 2
        assert capsys.readouterr().err == f"trellis restore: {message}\n"

    settings.ENCRYPTION_KEYS = new_key()  # the backup's key is not configured
    assert main(["restore", str(file)]) == 2
    missing = json.loads(members(file)["trellis-backup.json"])["encryption_key_ids"][0]
    assert capsys.readouterr().err == (
        f"trellis restore: FILE {file} holds values encrypted with key id {missing}; "
        "TRELLIS_ENCRYPTION_KEYS must include that key (keys are never inside a backup)\n"
    )
    assert rows_here() == before


@committed
def test_a_backup_whose_rows_differ_from_its_manifest_is_reported(
    records, fresh_database, tmp_path
):
    file = tmp_path / "trellis.backup"
    assert main(["backup", str(file)]) == 0
    tables = json.loads(members(file)["trellis-backup.json"])["tables"]
    tampered = rewritten(file, tmp_path / "tampered.backup", tables=tables | {"people_person": 9})

    result = trellis("restore", str(tampered), url=fresh_database, home=tmp_path)

    if connection.vendor == "sqlite":  # checked before anything is written
        assert result.returncode == 2
        assert result.stderr == (
            f"trellis restore: FILE {tampered} is damaged (table people_person does not match "
            "its manifest); it must be a backup as `trellis backup` wrote it\n"
        )
        assert not Path(fresh_database.removeprefix("sqlite:///")).exists()
    else:  # pg_restore's archive holds no row counts: checked once restored
        assert result.returncode == 1
        assert result.stderr == (
            f"trellis restore: restored table people_person does not match the manifest of "
            f"FILE {tampered}; the backup may be damaged\n"
        )


@committed
def test_a_backup_never_overwrites_a_file(records, tmp_path, capsys):
    file = tmp_path / "taken.backup"
    file.write_text("something else")

    assert main(["backup", str(file)]) == 2

    assert capsys.readouterr().err == (
        f"trellis backup: FILE {file} already exists; it must be a new file name "
        "(a backup never overwrites a file)\n"
    )
    assert file.read_text() == "something else"
    assert main(["backup", str(tmp_path / "no" / "such" / "folder.backup")]) == 2


def test_the_postgresql_password_reaches_pg_dump_only_through_its_environment():
    conninfo, env = pg_connection(
        {
            "NAME": "trellis",
            "HOST": "db.internal",
            "PORT": 5432,
            "USER": "trellis",
            "PASSWORD": "s3cret-pass",
            "OPTIONS": {"sslmode": "require", "isolation_level": 1},
        }
    )

    assert conninfo == "dbname=trellis host=db.internal port=5432 user=trellis sslmode=require"
    assert env["PGPASSWORD"] == "s3cret-pass"
