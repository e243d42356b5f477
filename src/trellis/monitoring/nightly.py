"""The nightly evaluation of everyone in care (monitoring.tasks runs it at 02:00).

The database finds, in one set-based query, the people with an event that has no alert yet, by
the rules of knowledge/monitoring.yaml written as SQL. The query only chooses whom to look at
and errs towards more: the people it finds are evaluated a batch at a time
(`batch.evaluate_many`) exactly as `actions.evaluate` evaluates one person: core/monitoring.py
decides, and the alerts are raised and audited. Their ids are streamed in batches, so memory does
not grow with the number of people.
"""

# ruff: noqa: S608 - the SQL is assembled from table names and from the rules' ids
# (checked against CODE) and numbers (int/float); every date is a query parameter.

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any

from django.db import connection
from django.utils import timezone

from trellis.alerts.models import Alert
from trellis.assessments.models import Score
from trellis.core import monitoring as core
from trellis.core.errors import InvalidInput
from trellis.core.reliable_change import TOTAL
from trellis.knowledge.monitoring import rules as monitoring_rules
from trellis.monitoring import actions, batch
from trellis.monitoring.models import NightlyRun, Schedule
from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.recovery.models import CheckIn, Goal, GoalProgress, GoalStatus

CODE = re.compile(r"[a-z0-9_]+")  # instrument and scale ids, written into the SQL as literals
# A night is missed when no evaluation has finished for this long: a day, and an hour's grace
# for a run that is late or still going.
MISSED_AFTER = timedelta(hours=25)


@dataclass(frozen=True, slots=True)
class Summary:
    checked: int  # people in the database
    candidates: int  # people it found something new for, and evaluated
    raised: int  # alerts raised tonight
    failed: int = 0  # evaluations that failed (logged); everyone else was still evaluated
    schedules: int = 0  # plan versions read into their Schedule row


def evaluate_everyone(today: date, *, batch_size: int = 50, by: Any = None) -> Summary:
    """Raise tonight's alerts for everyone: the alerts `actions.evaluate` raises, person by
    person, evaluated only for the people the database finds something new for.

    They are evaluated `batch_size` at a time, their histories held in memory together: a few
    queries per batch, and the memory of `batch_size` histories whatever the number of people.
    """
    schedules = refresh_schedules()
    candidates = raised = failed = 0
    for rows in _batches(stream(candidates_sql(), today, batch_size), batch_size):
        new, errors = batch.evaluate_many([pk for (pk,) in rows], today=today, by=by)
        candidates, raised, failed = candidates + len(rows), raised + new, failed + errors
    return Summary(Person.objects.count(), candidates, raised, failed, schedules)


def run_night(today: date) -> Summary:
    """Evaluate everyone for the night of `today` and record that the night is done."""
    summary = evaluate_everyone(today)
    NightlyRun.objects.update_or_create(
        night=today, defaults={"finished": timezone.now(), "raised": summary.raised}
    )
    return summary


def catch_up(now: datetime) -> Summary | None:
    """Evaluate everyone now if no evaluation has finished within `MISSED_AFTER` (the 02:00
    task was missed or failed); None otherwise. Evaluating twice is harmless (one alert per
    event), only slower."""
    if NightlyRun.objects.filter(finished__gt=now - MISSED_AFTER).exists():
        return None
    return run_night(timezone.localdate(now))


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(rows, size)):
        yield chunk


# Schedules ------------------------------------------------------------------------------------


def refresh_schedules(*, batch_size: int = 1000) -> int:
    """Read every current plan version not read yet (under these rules) into its Schedule."""
    rules = monitoring_rules()
    digest = rules_digest(rules)
    # Joined on the person, whose row is unique: the plan stays good even while the statistics
    # still describe the rows before a change of rules.
    plan_table, schedule_table = Plan._meta.db_table, Schedule._meta.db_table
    unread = f"""SELECT p.id FROM {plan_table} p
        LEFT JOIN {schedule_table} s ON s.person_id = p.person_id
        WHERE NOT EXISTS (SELECT 1 FROM {plan_table} n
            WHERE n.person_id = p.person_id AND n.version > p.version)
        AND (s.id IS NULL OR s.plan_id <> p.id OR s.rules <> %s)"""
    count = 0
    for rows in _batches(_stream(unread, [digest], batch_size), batch_size):
        plans = Plan.objects.filter(pk__in=[pk for (pk,) in rows]).only("person_id", "document")
        Schedule.objects.bulk_create(
            [_schedule(plan, rules, digest) for plan in plans],
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["plan", "measures", "review_on", "rules", "refreshed"],
        )
        count += len(rows)
    return count


def rules_digest(rules: core.Rules) -> str:
    """Which schedule and conditions a Schedule row was read under: new rules, read again."""
    read = {"schedule": rules.schedule, "conditions": rules.conditions}
    text = json.dumps(read, default=_plain, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    # Sets sorted, so that the digest is the same in every process (str hashes are salted).
    return sorted(value) if isinstance(value, frozenset) else asdict(value)


def _schedule(plan: Plan, rules: core.Rules, digest: str) -> Schedule:
    document = plan.document or {}
    measures = [e.instrument for e in rules.schedule if rules.conditions[e.when].holds(document)]
    try:
        review = core.review_on(document)
    except InvalidInput:  # the evaluation of this person fails too, and says so in the log
        review = None
    return Schedule(
        person_id=plan.person_id,
        plan_id=plan.pk,
        measures=f" {' '.join(measures)} ",
        review_on=review,
        rules=digest,
        refreshed=timezone.now(),
    )


# The rules as SQL -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    sql: str
    params: dict[str, Any]  # those that do not depend on the night


@dataclass(frozen=True, slots=True)
class _Dialect:
    text: str  # a date as YYYY-MM-DD
    plus: str  # a date plus a whole number of days
    json_int: str  # an integer member of a JSON column


DIALECTS = {
    "postgresql": _Dialect("to_char({0}, 'YYYY-MM-DD')", "({0} + {1})", "(({0}) ->> '{1}')::int"),
    "sqlite": _Dialect("{0}", "date({0}, '{1} days')", "json_extract({0}, '$.{1}')"),
}


def events_sql(*, new: bool = False) -> Query:
    """One query of (person_id, kind, event_key): every event the rules may raise tonight, or
    with `new` only those without an alert yet.

    A superset of the core's signals, keyed as the core keys them, over the rows the per-person
    evaluation reads. Alone, it is the set-based floor the benchmark holds the nightly
    evaluation against.
    """
    builder = _Builder(monitoring_rules())
    sql = f"{builder.events()} SELECT person_id, kind, event_key FROM events e"
    return Query(f"{sql} WHERE {_UNALERTED}" if new else sql, builder.params)


def candidates_sql() -> Query:
    """The ids of the people with an event that has no alert yet, or an overdue alert whose
    re-assessment has since been taken (their evaluation resolves it)."""
    builder = _Builder(monitoring_rules())
    sql = f"""{builder.events()}
        SELECT e.person_id FROM events e WHERE {_UNALERTED}
        UNION
        SELECT a.person_id FROM {Alert._meta.db_table} a
        WHERE a.kind = '{core.SignalKind.OVERDUE_REASSESSMENT}' AND a.resolved_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM events e
                WHERE e.person_id = a.person_id AND e.event_key = a.event_key)
        ORDER BY 1"""
    return Query(sql, builder.params)


_UNALERTED = f"""NOT EXISTS (SELECT 1 FROM {Alert._meta.db_table} a
    WHERE a.person_id = e.person_id AND a.event_key = e.event_key)"""


def stream(query: Query, today: date, size: int = 1000) -> Iterator[tuple]:
    """The query's rows for the night of `today`, fetched `size` at a time."""
    return _stream(query.sql, query.params | night(today), size)


def _stream(sql: str, params: Any, size: int = 1000) -> Iterator[tuple]:
    """PostgreSQL keeps the result in a server-side cursor. Elsewhere (SQLite, the test and demo
    database, whose cursors do not stay apart from the writes made in between; or a pooler that
    forbids server-side cursors) it is read whole first."""
    server_side = connection.vendor == "postgresql" and not connection.settings_dict.get(
        "DISABLE_SERVER_SIDE_CURSORS"
    )
    with _planned_for_a_scan(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        if not server_side:
            yield from cursor.fetchall()
            return
        while rows := cursor.fetchmany(size):
            yield from rows


@contextmanager
def _planned_for_a_scan() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    # The whole result is wanted, not its first rows fast (a cursor's default); the per-row
    # subqueries make the estimate large enough for PostgreSQL to compile the query (JIT), which
    # takes longer than running it; the check-ins sort in memory with some room.
    settings = {"cursor_tuple_fraction": "1.0", "jit": "off", "work_mem": "'128MB'"}
    with connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET {name} = {value}" for name, value in settings.items()))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("; ".join(f"RESET {name}" for name in settings))


def night(today: date) -> dict[str, Any]:
    """The dates and times the rules compare with, as the database compares them."""
    ops, rules = connection.ops, monitoring_rules()

    def start(day: date) -> Any:
        return ops.adapt_datetimefield_value(timezone.make_aware(datetime.combine(day, time.min)))

    since = today - timedelta(days=rules.signals.lookback_days)
    late = {
        f"late_{e.instrument}": start(today - timedelta(days=e.every_days + e.grace_days))
        for e in rules.schedule
        if e.every_days is not None
    }
    return late | {
        "today": ops.adapt_datefield_value(today),
        "since": ops.adapt_datefield_value(since),
        "horizon": ops.adapt_datefield_value(today - timedelta(days=actions.HISTORY_DAYS)),
        "since_start": start(since),
        "tomorrow": start(today + timedelta(days=1)),
    }


class _Builder:
    """The SQL of each rule. Numbers from the rules are written in as literals (window frames
    and LIMIT take no parameters); dates are parameters."""

    def __init__(self, rules: core.Rules) -> None:
        self.rules, self.d = rules, DIALECTS[connection.vendor]
        sql, values = connection.ops.datetime_cast_date_sql(
            "{0}", (), timezone.get_current_timezone_name()
        )
        self.params = {f"tz{i}": value for i, value in enumerate(values)}
        names = iter(range(len(values)))
        self.local_date = re.sub("%s", lambda _: f"%(tz{next(names)})s", sql)

    def events(self) -> str:
        due = [e for e in self.rules.schedule if e.instrument != core.CHECKIN]
        ctes = [*self.checkins(), *([self.last_taken(due)] if due else [])]
        branches = [*self.checkin_events(), *self.worsening(), *map(self.overdue, due)]
        union = "\n UNION ALL ".join([*branches, self.stalled()])
        return f"WITH {', '.join(ctes)}, events AS ({union})"

    def checkins(self) -> list[str]:
        """The look-back's check-ins that may raise something, in two cheap passes: its days
        alone (in the index) for the runs of missed days, and its few check-ins with use,
        craving or self-harm, whose previous check-ins are read one by one, however far back."""
        s, table, plus = self.rules.signals, CheckIn._meta.db_table, self.d.plus
        at_least, used = int(s.craving_at_least), "SUM(CASE WHEN used THEN 1 ELSE 0 END)"
        spike = f"""CASE WHEN COUNT(*) >= {int(s.craving_min_previous)} AND r.craving * COUNT(*)
            - SUM(craving) >= {float(s.craving_above_mean_by)!r} * COUNT(*) - 1e-9 THEN 1 END"""
        lapse = f"CASE WHEN COUNT(*) = {int(s.abstinent_checkins)} AND {used} = 0 THEN 1 END"
        look_back = "day >= %(since)s AND day <= %(today)s"
        return [
            f"""gaps AS (SELECT person_id, day, CASE WHEN prev_day IS NOT NULL THEN prev_day
                ELSE (SELECT MAX(c.day) FROM {table} c WHERE c.person_id = d.person_id
                    AND c.day >= %(horizon)s AND c.day < %(since)s) END AS prev_day
                FROM (SELECT person_id, day, LAG(day) OVER (PARTITION BY person_id ORDER BY day
                    ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prev_day
                    FROM {table} WHERE {look_back}) d
                WHERE day > %(since)s
                    AND (prev_day IS NULL OR {plus.format("prev_day", int(s.missed_days))} < day))""",
            f"""h AS (SELECT person_id, day, self_harm,
                CASE WHEN craving >= {at_least} THEN {self.before(spike, s.craving_window)} END
                    AS spike,
                CASE WHEN used THEN {self.before(lapse, s.abstinent_checkins)} END AS lapse
                FROM {table} r WHERE {look_back} AND (self_harm OR used OR craving >= {at_least}))""",
            f"""last_checkin AS (SELECT p.id AS person_id, (SELECT MAX(c.day) FROM {table} c
                WHERE c.person_id = p.id AND c.day >= %(horizon)s AND c.day <= %(today)s) AS day
                FROM {Person._meta.db_table} p)""",
        ]

    def before(self, what: str, n: int) -> str:
        """`what` over the n check-ins before the row r, however far back in the history."""
        return f"""(SELECT {what} FROM (SELECT craving, used FROM {CheckIn._meta.db_table} c
            WHERE c.person_id = r.person_id AND c.day < r.day AND c.day >= %(horizon)s
            ORDER BY c.day DESC LIMIT {int(n)}) f)"""

    def checkin_events(self) -> list[str]:
        kind, d, missed = core.SignalKind, self.d, int(self.rules.signals.missed_days)
        day = d.text.format("day")
        return [
            f"""SELECT person_id, '{kind.SUICIDAL_IDEATION}' AS kind,
                'checkin:' || {day} || ':self_harm' AS event_key FROM h WHERE self_harm""",
            f"SELECT person_id, '{kind.RETURN_TO_USE}', 'use:' || {day} FROM h WHERE lapse = 1",
            f"SELECT person_id, '{kind.CRAVING_SPIKE}', 'craving:' || {day} FROM h WHERE spike = 1",
            # A run of missed days ends before a check-in, or yesterday after the last one.
            f"""SELECT person_id, '{kind.MISSED_CHECKINS}',
                'missed:' || {d.text.format(d.plus.format("prev_day", 1))} FROM gaps
                WHERE {d.plus.format("prev_day", missed)} < day""",
            f"""SELECT person_id, '{kind.MISSED_CHECKINS}',
                'missed:' || {d.text.format(d.plus.format("day", 1))} FROM last_checkin
                WHERE {d.plus.format("day", missed)} < %(today)s AND %(today)s > %(since)s""",
        ]

    def worsening(self) -> list[str]:
        """The latest measure of each scale with figures, if it lies in the look-back, against
        the one before it (read back past the look-back when none lies in it)."""
        return [
            self._worsening(instrument, scale, figures)
            for (instrument, scale), figures in sorted(self.rules.reliabilities.items())
        ]

    def _worsening(self, instrument: str, scale: str, figures: Any) -> str:
        name, table = _code(instrument), Score._meta.db_table
        value = "total" if scale == TOTAL else self.d.json_int.format("subscales", _code(scale))
        points = math.ceil(self.rules.threshold * figures.s_diff - 1e-9)
        change = "value - prior" if figures.worse == "up" else "prior - value"
        key = f"rc:{name}:{'' if scale == TOTAL else f'{scale}:'}"
        measured = f"instrument = '{name}' AND NOT entered_in_error AND {value} IS NOT NULL"
        return f"""SELECT person_id, '{core.SignalKind.RELIABLE_WORSENING}',
            '{key}' || {self.d.text.format(self.local_date.format("taken_at"))} FROM (
            SELECT person_id, taken_at, value, COALESCE(before, (SELECT {value} FROM {table} p
                WHERE p.person_id = x.person_id AND {measured} AND p.taken_at < %(since_start)s
                ORDER BY p.taken_at DESC, p.id DESC LIMIT 1)) AS prior FROM (
                SELECT person_id, taken_at, {value} AS value, ROW_NUMBER() OVER m AS latest,
                    LEAD({value}) OVER m AS before FROM {table}
                WHERE {measured} AND taken_at >= %(since_start)s AND taken_at < %(tomorrow)s
                WINDOW m AS (PARTITION BY person_id ORDER BY taken_at DESC, id DESC)) x
            WHERE latest = 1) y
            WHERE {change} >= {points}"""

    def last_taken(self, due: list[core.Scheduled]) -> str:
        """When each scheduled measure was last taken, kept only if it may be overdue."""
        names = [_code(e.instrument) for e in due]
        late = " OR ".join(
            f"(instrument = '{name}' AND MAX(taken_at) < %(late_{name})s)"
            if e.every_days is not None
            else f"instrument = '{name}'"
            for name, e in zip(names, due, strict=True)
        )
        return f"""last_taken AS (SELECT person_id, instrument,
            {self.local_date.format("MAX(taken_at)")} AS last_on FROM {Score._meta.db_table}
            WHERE instrument IN ({", ".join(f"'{name}'" for name in names)})
                AND NOT entered_in_error
            GROUP BY person_id, instrument HAVING {late})"""

    def overdue(self, entry: core.Scheduled) -> str:
        """Overdue where the plan schedules it: from the last one, or at the plan's review."""
        d, name = self.d, _code(entry.instrument)
        if entry.every_days is not None:
            due_on, late = d.plus.format("l.last_on", int(entry.every_days)), "1 = 1"
        else:
            due_on = "sc.review_on"
            late = f"""sc.review_on IS NOT NULL
                AND {d.plus.format("l.last_on", int(entry.window_days))} < sc.review_on
                AND {d.plus.format("sc.review_on", int(entry.grace_days))} < %(today)s"""
        return f"""SELECT l.person_id, '{core.SignalKind.OVERDUE_REASSESSMENT}',
            'due:{name}:' || {d.text.format(due_on)}
            FROM last_taken l JOIN {Schedule._meta.db_table} sc ON sc.person_id = l.person_id
            WHERE l.instrument = '{name}' AND sc.measures LIKE '%% {name} %%' AND {late}"""

    def stalled(self) -> str:
        """On or after the review date, an active goal without progress since the plan began."""
        began = f"(SELECT p.created FROM {Plan._meta.db_table} p WHERE p.id = sc.plan_id)"
        latest, start = _progress(""), _progress(f"AND gp.created <= {began}")
        return f"""SELECT sc.person_id, '{core.SignalKind.GOALS_STALLED}',
            'goals:' || {self.d.text.format("sc.review_on")} FROM {Schedule._meta.db_table} sc
            WHERE sc.review_on <= %(today)s AND EXISTS (SELECT 1 FROM {Goal._meta.db_table} g
                WHERE g.person_id = sc.person_id AND g.status = '{GoalStatus.ACTIVE.value}'
                    AND ({latest} IS NULL OR ({latest} < 100 AND {latest} <= COALESCE({start}, 0))))"""


def _progress(condition: str) -> str:
    on = connection.ops.quote_name("on")
    return f"""(SELECT gp.percent FROM {GoalProgress._meta.db_table} gp
        WHERE gp.goal_id = g.id {condition} ORDER BY gp.{on} DESC, gp.created DESC LIMIT 1)"""


def _code(value: str) -> str:
    if not CODE.fullmatch(value):
        raise InvalidInput("monitoring rules id", "lower-case letters, digits and _")
    return value
