"""Servers a fault test starts, stops and starts again on ports of its own: a PostgreSQL cluster
and a Redis server. Each fails the test with one line when its binary is missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("TRELLIS_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = Path(os.environ.get("TRELLIS_REDIS_SERVER", "/usr/bin/redis-server"))
WAIT = 15  # seconds: an upper bound for a wait, not a pause


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    """Check `condition` until it holds, for at most `timeout` seconds; fail naming `what`."""
    gate = threading.Event()
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        gate.wait(0.05)  # the gap between two checks, not a guess at how long anything takes
    pytest.fail(f"waited {timeout} s for {what}", pytrace=False)


def _require(binary: Path, package: str) -> None:
    if not binary.exists():
        pytest.fail(f"{binary} is missing: install {package}", pytrace=False)


class Postgres:
    """A throw-away cluster: trust authentication on 127.0.0.1 only, no other listener.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
    """

    def __init__(self) -> None:
        _require(PG_BIN / "initdb", "postgresql-15")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="trellis-faults-pg-"))
        self.data = self.folder / "data"
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/trellis"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_owner, *command], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        (self.data / "pg_hba.conf").write_text("host all postgres 127.0.0.1/32 trust\n")
        self.start()
        self.sql("postgres", "CREATE DATABASE trellis")

    def start(self) -> None:
        # No fsync: a stop kills the server, not the machine, so what was written stays written.
        # (synchronous_commit stays on: off would lose the last commits at an immediate stop.)
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
            " -c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
            "-o", options, "-w", "-t", str(WAIT), "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop at once, as a crash would: open connections are cut mid-statement."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def connect(self, database: str = "trellis", **options: object):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, **options
        )

    def sql(self, database: str, statement: str) -> list[tuple]:
        with self.connect(database, autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            stop = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
            subprocess.run([*self.as_owner, *stop], check=False, capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """redis-server on its own port, without persistence: a restart comes back empty."""

    def __init__(self) -> None:
        _require(REDIS_SERVER, "redis-server")
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.exceptions.ConnectionError:
                return False

        wait_until(answers, f"redis-server to answer on port {self.port}")
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=WAIT)
        self.process = None
