"""The benchmarks' scratch databases: each run gets one of its own, dropped afterwards."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from trellis.bench.monitoring_bench import _on, _scratch

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="scratch databases are PostgreSQL's"
)


def _server() -> str:
    settings = connection.settings_dict
    port = settings["PORT"] or 5432
    return f"postgresql://{settings['USER']}@{settings['HOST']}:{port}/postgres"


def _scratches(server: str) -> set[str]:
    """The scratch databases this test makes (other tests may make and drop their own)."""
    with psycopg.connect(_on(server, "postgres")) as maintenance:
        rows = maintenance.execute("SELECT datname FROM pg_database").fetchall()
    return {name for (name,) in rows if name.startswith("trellis_bench_same_")}


def test_two_runs_at_once_each_get_a_scratch_database_of_their_own_dropped_after():
    server = _server()
    assert not _scratches(server)
    with (
        _scratch(server, "trellis_bench_same") as first,
        _scratch(server, "trellis_bench_same") as second,
    ):
        assert first != second
        for url in (first, second):
            with psycopg.connect(url) as scratch:
                assert scratch.execute("SELECT 1").fetchone() == (1,)
        assert len(_scratches(server)) == 2
    assert not _scratches(server)


def test_a_scratch_database_left_by_a_run_that_is_gone_is_dropped_by_the_next():
    import os
    import subprocess

    from trellis.bench.monitoring_bench import _machine

    server = _server()
    here = f"trellis_bench_same_{_machine()}_"
    ended = subprocess.Popen(["true"])  # a process that has ended
    ended.wait()
    left = f"{here}{ended.pid}_0000abcd"  # killed before it could drop its database
    alive = f"{here}{os.getpid()}_0000dcba"  # a run still going (this one)
    with psycopg.connect(_on(server, "postgres"), autocommit=True) as maintenance:
        for name in (left, alive):
            maintenance.execute(f"CREATE DATABASE {name}")
    try:
        with _scratch(server, "trellis_bench_same"):
            assert left not in _scratches(server)
            assert alive in _scratches(server)
    finally:
        with psycopg.connect(_on(server, "postgres"), autocommit=True) as maintenance:
            for name in (left, alive):
                maintenance.execute(f"DROP DATABASE IF EXISTS {name}")
    assert not _scratches(server)
