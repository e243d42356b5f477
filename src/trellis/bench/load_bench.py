"""Many people using Trellis at once (contracts/cli.md: load.p95_ms, load.error_rate).

PostgreSQL only, against 127.0.0.1 only. In a scratch database of its own
(`trellis_bench_load`, on the server of TRELLIS_BENCH_DATABASE_URL or the Makefile's
127.0.0.1:5432): `trellis demo generate` makes 1,000 people with their histories and their care
teams; gunicorn serves the app as an operator would (several processes, persistent database
connections); locust (headless, bounded in time) plays 50 users at once, arriving five a
second, with the mix of locustfile.py: clinicians opening caseloads and plans, people submitting
check-ins and journal entries, navigators searching the directory.

Signing in is reported on its own (`load.signin_p95_ms`): it hashes the password with Argon2, slow
on purpose, once a session; every other request counts in `load.p95_ms`. Baseline, in the same run
on the same server: the same mix played by one user of each role, so the ratio is what 50 users
at once cost each request.
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from trellis.bench.monitoring_bench import _reachable, _scratch, _server, _where
from trellis.bench.runner import Row, figure, row

SCRATCH = "trellis_bench_load"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SIGN_IN = ("sign in", "sign in (form)", "second factor", "second factor (form)")
WORKERS, THREADS = 3, 4  # gunicorn: processes x threads for a 2-core machine (3 x 4 measured
# best here: 2 x 6 and 6 x 2 doubled the p95)
# Longer than a simulated user's pause between requests (locustfile.THINK_SECONDS): with
# gunicorn's 2 s a connection could be closed just as the next request was sent on it, which
# the client sees as "connection reset" (status 0) though the server never read the request.
KEEP_ALIVE = 10
READY_SECONDS = 60
WARM_UP_SECONDS = 15  # one user of each role first, unmeasured: every page compiled and cached


@dataclass(frozen=True)
class Size:
    people: int
    users: int
    seconds: int
    baseline_seconds: int


FULL = Size(people=1000, users=50, seconds=90, baseline_seconds=45)
QUICK = Size(people=100, users=10, seconds=20, baseline_seconds=10)


@dataclass(frozen=True)
class Requests:
    """What locust's request log says, with exact percentiles."""

    times: dict[str, list[float]]
    failures: dict[str, int]
    seconds: float
    reasons: dict[str, int] = field(default_factory=dict)  # "page: why" -> how many

    def steady(self) -> list[float]:
        return [t for name, ts in self.times.items() if name not in SIGN_IN for t in ts]

    def signing_in(self) -> list[float]:
        return [t for name in SIGN_IN for t in self.times.get(name, [])]

    def error_rate(self) -> float:
        total = sum(len(ts) for ts in self.times.values())
        return sum(self.failures.values()) / total if total else 1.0


@figure("load")
def load(quick: bool) -> Iterator[Row]:
    """p95 and median latency, requests per second and error rate of 50 users at once
    (baseline: one user of each role), signing in apart, and p95 per page."""
    server = _server()
    if not _reachable(server):
        print(
            f"load: no PostgreSQL at {_where(server)}; load.* not measured "
            "(set TRELLIS_BENCH_DATABASE_URL to a PostgreSQL server)",
            file=sys.stderr,
        )
        return
    size = QUICK if quick else FULL
    with _scratch(server, SCRATCH) as url, tempfile.TemporaryDirectory() as home:
        env = _environment(url, Path(home))
        _generate(env, size.people)
        with _serving(env) as host:
            _locust(env, host, users=3, seconds=WARM_UP_SECONDS, from_end=1)  # not measured
            alone = _locust(env, host, users=3, seconds=size.baseline_seconds, from_end=2)
            many = _locust(env, host, users=size.users, seconds=size.seconds, from_end=0)
    yield from _rows(many, alone, size)


def _rows(many: Requests, alone: Requests, size: Size) -> Iterator[Row]:
    n = size.users
    steady, baseline = many.steady(), alone.steady()
    yield row(
        "load.p95_ms", percentile(steady, 95), "ms", target="< 300",
        baseline=percentile(baseline, 95), n=n,
    )  # fmt: skip
    yield row(
        "load.median_ms", percentile(steady, 50), "ms", baseline=percentile(baseline, 50), n=n
    )
    yield row("load.requests_per_s", len(steady) / many.seconds, "req/s", n=n)
    yield row("load.error_rate", many.error_rate(), "share", target="0", n=n)
    yield row("load.signin_p95_ms", percentile(many.signing_in(), 95), "ms", n=n)
    for name in sorted(many.times):
        if name not in SIGN_IN:
            times = many.times[name]
            yield row(f"load.page_p95_ms {name}", percentile(times, 95), "ms", n=len(times))
    for reason, count in sorted(many.reasons.items()):
        print(f"load: {count} x {reason}", file=sys.stderr)


def percentile(samples: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest sample with at least q % of them at or below."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]


def _environment(url: str, home: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": url,
        "TRELLIS_HOME": str(home),  # its keys are made there once and shared by every process
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "ERROR",
        "TRELLIS_LOAD_CREDENTIALS": str(home / "logins.json"),
    }


def _generate(env: dict[str, str], people: int) -> None:
    trellis = Path(sys.executable).with_name("trellis")
    _run([str(trellis), "demo", "generate", "--people", str(people),
          "--credentials", env["TRELLIS_LOAD_CREDENTIALS"]], env)  # fmt: skip


@contextmanager
def _serving(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable, "-m", "gunicorn", "trellis.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", str(THREADS),
        "--worker-class", "gthread", "--timeout", "120", "--log-level", "warning",
        "--keep-alive", str(KEEP_ALIVE),
    ]  # fmt: skip
    log = Path(env["TRELLIS_HOME"]) / "gunicorn.log"
    with log.open("w") as errors:
        server = subprocess.Popen(command, env=env, stderr=errors, text=True)  # noqa: S603
        host = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(server, host, log)
            yield host
        finally:
            server.terminate()
            server.wait(timeout=30)
            if said := log.read_text().strip():
                print(f"load: the server said:\n{said[-3000:]}", file=sys.stderr)


def _wait_until_serving(server: subprocess.Popen[str], host: str, log: Path) -> None:
    """Until every worker answers the sign-in page (each loads Django on its first request)."""
    import urllib.request

    deadline = time.monotonic() + READY_SECONDS
    answered = 0
    while answered < 4 * WORKERS:
        if server.poll() is not None or time.monotonic() > deadline:
            said = log.read_text()[-2000:]
            raise RuntimeError(f"load: gunicorn did not start serving {host}:\n{said}")
        try:
            with urllib.request.urlopen(f"{host}/accounts/login/", timeout=10) as answer:  # noqa: S310 - our own server
                answered += answer.status == 200
        except OSError:
            time.sleep(0.2)  # not listening yet: the condition is polled, not waited out


def _locust(env: dict[str, str], host: str, *, users: int, seconds: int, from_end: int) -> Requests:
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "requests.tsv"
        log.touch()
        started = time.monotonic()
        _run(
            [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
             "--users", str(users), "--spawn-rate", str(max(users // 10, 1)),
             "--run-time", f"{seconds}s",
             "--host", host, "--only-summary", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
            env | {"TRELLIS_LOAD_USERS": str(users), "TRELLIS_LOAD_LOG": str(log),
                   "TRELLIS_LOAD_FROM_END": str(from_end)},
        )  # fmt: skip
        return read_log(log.read_text(), seconds=min(seconds, time.monotonic() - started))


def read_log(text: str, *, seconds: float) -> Requests:
    times: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    reasons: dict[str, int] = defaultdict(int)
    for line in text.splitlines():
        name, milliseconds, ok, _at, why = line.split("\t")
        times[name].append(float(milliseconds))
        if ok != "1":
            failures[name] += 1
            reasons[f"{name}: {why}"] += 1
    return Requests(dict(times), dict(failures), seconds, dict(reasons))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"load: {command[2:4]} failed:\n{done.stderr[-4000:]}")
