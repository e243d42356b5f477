"""The nightly evaluation of everyone in care, against the same rules as one set-based query
(contracts/cli.md: monitoring.nightly_s, monitoring.peak_mb).

PostgreSQL only. Each size runs in a scratch database that this bench creates and drops
(`trellis_bench_monitoring`) on the server of TRELLIS_BENCH_DATABASE_URL when that is PostgreSQL,
else on the Makefile's 127.0.0.1:5432; no other database is touched. The rows are generated in
the database (INSERT ... SELECT generate_series, hashed so every run has the same ones). Each
step runs in a fresh process (`python -m trellis.bench.monitoring_bench`), so the peak resident
memory it reports (getrusage ru_maxrss: the whole process, Python, Django and the driver's
buffers alike) belongs to that night's evaluation alone.
"""

# ruff: noqa: S608 - the generating SQL is assembled from table names, this module's
# numbers and ciphertexts it made itself; nothing comes from outside.

from __future__ import annotations

import hashlib
import json
import os
import resource
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from trellis.bench.runner import Row, figure, row

SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
SCRATCH = "trellis_bench_monitoring"
DAYS = 90  # days of check-ins before the night
PLAN_AGE = 100  # days since each plan version began
MEASURES = (("phq9", 14), ("gad7", 14), ("bam", 30))  # generated every N days


@figure("monitoring")
def nightly(quick: bool) -> Iterator[Row]:
    """Nightly evaluation at n people (baseline: the rules as one query) and peak memory at n
    and n/10."""
    server = _server()
    if not _reachable(server):
        print(
            f"monitoring: no PostgreSQL at {_where(server)}; monitoring.* not measured "
            "(set TRELLIS_BENCH_DATABASE_URL to a PostgreSQL server)",
            file=sys.stderr,
        )
        return
    n = 10_000 if quick else 100_000
    today = datetime.now(UTC).date()
    small, full = (_run(server, size, today) for size in (n // 10, n))
    for result, size in ((full, n), (small, n // 10)):
        yield row(
            "monitoring.nightly_s",
            result["nightly_s"],
            "s",
            target="< 10, ratio <= 10",
            baseline=result["baseline_s"],
            n=size,
        )
    for result, size in ((full, n), (small, n // 10)):
        yield row("monitoring.peak_mb", result["peak_mb"], "MB", target="flat in n", n=size)


def _server() -> str:
    url = os.environ.get("TRELLIS_BENCH_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else SERVER


def _on(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}"


def _reachable(server: str) -> bool:
    import psycopg

    try:
        psycopg.connect(_on(server, "postgres"), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


@contextmanager
def _scratch(server: str, name: str = SCRATCH) -> Iterator[str]:
    """A database of its own on `server`, named `name`, this machine, this process and a random
    suffix, so that two runs at once (or a run beside a test) never share or drop each other's;
    dropped afterwards whatever happens. One that a run on this machine left behind (killed
    before it could drop it: its process is gone) is dropped first."""
    import psycopg
    from psycopg import sql

    def run(statement: Any, *values: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(_on(server, "postgres"), autocommit=True) as maintenance:
            found = maintenance.execute(statement, values or None)
            return found.fetchall() if found.description else []

    here = f"{name}_{_machine()}_"
    for (left,) in run("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", here):
        if not _alive(left.removeprefix(here).split("_")[0]):
            run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(left)))
    made = f"{here}{os.getpid()}_{secrets.token_hex(4)}"
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(made)))
    try:
        yield _on(server, made)
    finally:
        run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(made)))


def _machine() -> str:
    """This machine, in eight letters and digits fit for a database name."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def _alive(pid: str) -> bool:
    """Whether a process of this number runs here (an unreadable number counts as alive: its
    database is left alone)."""
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    return True


def _run(server: str, n: int, today: date) -> dict[str, Any]:
    with _scratch(server) as url:
        made = _step(url, "prepare", n, today)
        night = _step(url, "measure", n, today)
    print(f"monitoring n={n}: {json.dumps(made | night)}", file=sys.stderr)
    return night


def _step(url: str, step: str, n: int, today: date) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - this interpreter running this module
        [sys.executable, "-m", __name__, step, str(n), today.isoformat()],
        env=os.environ | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"monitoring bench {step} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# In the scratch database's own process ----------------------------------------------------


def prepare(n: int, today: date) -> dict[str, Any]:
    """n people with 90 days of check-ins, measures, a plan and a goal each; then what the
    previous nights and the day's requests left: every schedule read, and an alert for every
    event up to yesterday."""
    from trellis.monitoring import nightly

    start = time.perf_counter()
    _generate(n, today)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    read = nightly.refresh_schedules()
    schedules = time.perf_counter() - start
    _last_nights_alerts(today)
    _execute("VACUUM ANALYZE")
    return {
        "generate_s": round(generated, 1),
        "first_schedule_read_s": round(schedules, 2),
        "plans_read": read,
        **{table: _count(table) for table in ("recovery_checkin", "assessments_score")},
        "alerts_before": _count("alerts_alert"),
    }


def measure(n: int, today: date) -> dict[str, Any]:
    """The same rules as one query (the floor), then tonight's evaluation: time and peak memory.

    Both read the same rows, warmed into the cache by one untimed run of the floor first.
    """
    from trellis.monitoring import nightly

    floor = nightly.events_sql(new=True)
    for _ in nightly.stream(floor, today):
        pass
    start = time.perf_counter()
    pairs = sum(1 for _ in nightly.stream(floor, today))
    baseline = time.perf_counter() - start
    before = _peak_mb()
    start = time.perf_counter()
    summary = nightly.evaluate_everyone(today)
    return {
        "nightly_s": time.perf_counter() - start,
        "baseline_s": baseline,
        "peak_mb": _peak_mb(),
        "mb_before": before,
        "checked": summary.checked,
        "candidates": summary.candidates,
        "raised": summary.raised,
        "failed": summary.failed,
        "baseline_pairs": pairs,
    }


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _execute(sql: str, params: Any = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _hash(salt: int) -> str:
    """0-999, the same for the same person, day and salt in every run."""
    return f"(abs(hashint8(p.id * 1000 + d + {salt}::bigint * 1000000007)) % 1000)"


def _uuid(number: str) -> str:
    """A public id that grows with `number`: appended to its index instead of scattered in it."""
    return f"lpad(to_hex({number}), 32, '0')::uuid"


def _trait(salt: int) -> str:
    """0-999 for the person, the same in every run (independent of their id's digits)."""
    return f"(abs(hashint8(p.id + {salt}::bigint * 1000000007)) % 1000)"


def _generate(n: int, today: date) -> None:
    from trellis.accounts.models import User
    from trellis.core.access import Role
    from trellis.people.models import Program

    user = User.objects.create(username="bench", role=Role.CLINICIAN).pk
    program = Program.objects.create(name="Bench").pk
    began = datetime.combine(today - timedelta(days=PLAN_AGE), datetime.min.time(), UTC)
    _execute(
        "INSERT INTO people_person (public_id, program_id, given_name, family_name, birth_date,"
        " preferred_language, created)"
        f" SELECT {_uuid('i')}, {program}, 'Person', 'Bench ' || i,"
        f" DATE '1970-01-01' + i % 15000, 'en', '{began.isoformat()}'"
        f" FROM generate_series(1, {n}) i"
    )
    for day in range(DAYS, 0, -1):  # day by day, as they arrive
        _execute(_checkins(today, day))
    for k, (instrument, every) in enumerate(MEASURES):
        _execute(_scores(k, instrument, every, today, user))
    _plans(today, user, began)
    _goals(today, began)


def _checkins(today: date, d: int) -> str:
    """Daily check-ins, in the order they arrive (day by day). People miss 1% to 25% of days
    (8% on average); one in 50 stopped checking in at some point; craving is low with a spike
    on 0.5% of days; use is rare (0.3% of days) except for one in 20 (15%); thoughts of
    self-harm on 0.1% of days."""
    miss = f"(ARRAY[10, 20, 30, 40, 50, 60, 80, 100, 150, 250])[{_trait(101)} % 10 + 1]"
    stopped = f"{_trait(102)} < 20 AND d <= {_trait(103)} % {DAYS}"
    return f"""
        INSERT INTO recovery_checkin (public_id, person_id, created, day, craving, mood,
            sleep_hours, used, use_amount, triggers, coping, note, support_offered, source,
            self_harm)
        SELECT {_uuid(f"{DAYS - d}::bigint * 100000000 + p.id")}, p.id,
            ((DATE '{today}' - {d}) + TIME '20:00') AT TIME ZONE 'UTC',
            DATE '{today}' - {d},
            CASE WHEN {_hash(3)} < 5 THEN 7 + {_hash(4)} % 4
                ELSE {_trait(104)} % 4 + {_hash(2)} % 3 END,
            3 + {_hash(7)} % 5, 7.0,
            {_hash(5)} < CASE WHEN {_trait(105)} < 50 THEN 150 ELSE 3 END,
            '', '[]', '[]', '', false, 'page', {_hash(6)} = 0
        FROM people_person p CROSS JOIN (SELECT {d} AS d) day
        WHERE {_hash(1)} >= {miss} AND NOT ({stopped})
        ORDER BY p.id"""


def _scores(k: int, instrument: str, every: int, today: date, user: int) -> str:
    """Every `every` days; one person in 20 stopped at some point (each of their measures
    falls overdue once). A rise of 6 points on 3% of PHQ-9s and GAD-7s."""
    from trellis.assessments.models import Score

    responses = Score._meta.get_field("responses").get_prep_value([])
    result = Score._meta.get_field("result").get_prep_value({})
    if instrument == "bam":
        total, subscales = (
            "NULL",
            f"""jsonb_build_object('use', {_hash(20 * k + 11)} % 10,
            'risk', 5 + {_hash(20 * k + 12)} % 10, 'protective', 15 + {_hash(20 * k + 13)} % 10)""",
        )
    else:
        top = 27 if instrument == "phq9" else 21
        total = f"""LEAST({top}, GREATEST(0, {_trait(108)} % 15 + {_hash(20 * k + 11)} % 5 - 2
            + CASE WHEN {_hash(20 * k + 12)} < 30 THEN 6 ELSE 0 END))"""
        subscales = "NULL"
    return f"""
        INSERT INTO assessments_score (public_id, person_id, instrument, total, band, urgent,
            responses, result, source, entered_by_id, created, taken_at, subscales,
            entered_in_error)
        SELECT {_uuid(f"p.id * 1000 + {100 * k} + d")}, p.id, '{instrument}', {total}, '',
            false, '{responses}', '{result}', 'api', {user}, t, t, {subscales}, false
        FROM people_person p CROSS JOIN generate_series(1, {DAYS}) d
            CROSS JOIN LATERAL (SELECT ((DATE '{today}' - d) + TIME '15:00') AT TIME ZONE 'UTC') AS
            taken(t)
        WHERE (d - 1) % {every} = {_trait(106)} % {every}
            AND NOT ({_trait(107)} < 50 AND d < {_trait(109)} % {DAYS})"""


def _plans(today: date, user: int, began: datetime) -> None:
    """One plan each, from the demo intakes' plans, with review dates from 10 days ago to 79
    days ahead. The documents keep what monitoring reads (placement, interventions, review
    date, reasons); each variant is encrypted once."""
    from trellis.plans.models import Plan

    field = Plan._meta.get_field("document")
    variants = _plan_documents(today - timedelta(days=PLAN_AGE))
    _execute(
        "CREATE TEMPORARY TABLE bench_plan (variant int, review int, document text, level text)"
    )
    rows = [
        (i, r, field.get_prep_value(doc | {"review_on": str(today + timedelta(r - 10))}), level)
        for i, (doc, level) in enumerate(variants)
        for r in range(DAYS)
    ]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_plan VALUES (%s, %s, %s, %s)", rows)
    _execute(f"""
        INSERT INTO plans_plan (public_id, person_id, version, document, kb_version, level,
            change, created_by_id, created)
        SELECT {_uuid("p.id")}, p.id, 1, v.document, 'bench', v.level, 'bench', {user},
            '{began.isoformat()}'
        FROM people_person p JOIN bench_plan v
            ON v.variant = {_trait(110)} % {len(variants)} AND v.review = {_trait(111)} % {DAYS}""")


def _plan_documents(on: date) -> list[tuple[dict[str, Any], str]]:
    from trellis.core.planning import generate
    from trellis.knowledge import placement_rules, plan_rules
    from trellis.knowledge.interventions import knowledge_base
    from trellis.people.demo_intakes import SITUATIONS, document_for

    kb, placement, rules = knowledge_base(), placement_rules(), plan_rules()
    documents = []
    for i in range(len(SITUATIONS)):
        intake = document_for(i, f"p{i}", 40, "female" if i % 2 else "male")[0]
        plan = generate(intake, kb, placement_rules=placement, plan_rules=rules, today=on)
        kept = {
            "placement": plan["placement"],
            "interventions": [{k: x[k] for k in ("code", "status")} for x in plan["interventions"]],
            "dimensions": [{"reasons": x.get("reasons", [])} for x in plan["dimensions"]],
            "problems": [{"evidence": x.get("evidence", [])} for x in plan["problems"]],
        }
        documents.append((kept, plan["placement"]["level"]))
    return documents


def _goals(today: date, began: datetime) -> None:
    """One active goal each; seven in ten have moved since the plan began."""
    from trellis.recovery.models import Goal

    text = Goal._meta.get_field("statement").get_prep_value("Walk every morning")
    _execute(f"""
        INSERT INTO recovery_goal (public_id, person_id, created, plan_goal_id, statement,
            measure, target, confidence, reason, due, status)
        SELECT {_uuid("p.id")}, p.id, '{began.isoformat()}', '', '{text}', '{text}', '{text}',
            7, '{text}', DATE '{today}' + 60, 'active'
        FROM people_person p""")
    _execute(f"""
        INSERT INTO recovery_goalprogress (goal_id, "on", percent, note, created)
        SELECT g.id, DATE '{today}' - 20, 40, '', '{today - timedelta(days=20)}T12:00:00Z'
        FROM recovery_goal g JOIN people_person p ON p.id = g.person_id
        WHERE {_trait(112)} >= 300""")


def _last_nights_alerts(today: date) -> None:
    """An alert for every event up to yesterday, as last night's run and the requests that
    stored each check-in and score left them (the reasons are not read tonight)."""
    from trellis.knowledge.monitoring import rules
    from trellis.monitoring import nightly

    events = nightly.events_sql()
    severity = " ".join(f"WHEN '{k}' THEN '{s}'" for k, s in rules().signals.severity.items())
    _execute(
        f"""
        INSERT INTO alerts_alert (public_id, person_id, kind, severity, reasons, event_key,
            created, note, resolution)
        SELECT gen_random_uuid(), person_id, kind, CASE kind {severity} END, '', event_key,
            now(), '', ''
        FROM ({events.sql}) yesterday""",
        events.params | nightly.night(today - timedelta(days=1)),
    )


def main(argv: list[str]) -> None:
    step, n, today = argv[0], int(argv[1]), date.fromisoformat(argv[2])
    from trellis.commands import _django

    _django.setup(migrate=step == "prepare")
    done = prepare(n, today) if step == "prepare" else measure(n, today)
    print(json.dumps(done))


if __name__ == "__main__":
    main(sys.argv[1:])
