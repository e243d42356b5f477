"""The task queue on Redis, as production runs it: tasks stored, consumed, retried and scheduled.

Needs the Redis server at 127.0.0.1:6379 (CI runs one). Each run uses database 15 and a queue
named for its process, emptied before and after each test.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import redis
from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from huey.exceptions import TaskException

import trellis.settings

REDIS_URL = "redis://127.0.0.1:6379/15"
REQUIRED = "Redis at 127.0.0.1:6379 is required for these tests (CI runs one); start redis-server"
WAIT = 10  # seconds: an upper bound for a wait, not a pause


@pytest.fixture
def huey() -> Iterator[RedisHuey]:
    queue = RedisHuey(f"trellis_test_{os.getpid()}", url=REDIS_URL, read_timeout=0.1)
    problem = None
    try:
        queue.storage.conn.ping()
    except redis.exceptions.RedisError as error:
        problem = type(error).__name__
    if problem:  # failed outside the except block, so the report is one line, not a traceback
        pytest.fail(f"{REQUIRED} ({problem})", pytrace=False)
    queue.flush()
    yield queue
    queue.flush()
    queue.storage.pool.disconnect()


@contextmanager
def consuming(queue: RedisHuey) -> Iterator[Consumer]:
    """Run huey's own consumer (one worker thread and the scheduler) for the block, then stop it
    gracefully. The consumer installs signal handlers; pytest's own are put back afterwards."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    handlers = {s: signal.getsignal(s) for s in signals}
    consumer = queue.create_consumer(workers=1, worker_type="thread", check_worker_health=False)
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.mark.redis
def test_an_enqueued_task_waits_in_redis_until_a_worker_runs_it(huey):
    @huey.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)

    # Seen through a connection of its own: the task is in Redis, not in this process.
    outside = redis.Redis.from_url(REDIS_URL)
    assert outside.llen(huey.storage.queue_key) == 1
    assert huey.pending_count() == 1
    assert result.get() is None  # not run yet

    task = huey.dequeue()
    huey.execute(task)

    assert outside.llen(huey.storage.queue_key) == 0
    assert result.get() == 5
    outside.close()


@pytest.mark.redis
def test_a_running_consumer_executes_the_task_and_the_result_comes_back(huey):
    ran_in = []

    @huey.task()
    def add(a: int, b: int) -> int:
        ran_in.append(threading.current_thread().name)
        return a + b

    with consuming(huey) as consumer:
        result = add(20, 22)
        assert result.get(blocking=True, timeout=WAIT) == 42

    assert ran_in == ["Worker-1"]
    assert not any(thread.is_alive() for _, thread in consumer.worker_threads)
    assert huey.pending_count() == 0


@pytest.mark.redis
def test_a_task_that_fails_for_good_reports_its_error_to_the_caller(huey):
    @huey.task()
    def broken() -> None:
        raise RuntimeError("gateway down")

    with consuming(huey):
        result = broken()
        with pytest.raises(TaskException) as error:
            result.get(blocking=True, timeout=WAIT)

    assert error.value.metadata["error"] == "RuntimeError('gateway down')"


@pytest.mark.redis
def test_a_failing_task_is_retried_as_many_times_as_configured(huey):
    attempts = []

    @huey.task(retries=2)
    def flaky() -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 3:
            raise RuntimeError("not yet")
        return "sent"

    result = flaky()
    retries_left = []
    while (task := huey.dequeue()) is not None:  # the worker's loop, one task at a time
        retries_left.append(task.retries)
        huey.execute(task)

    assert attempts == [1, 2, 3]
    assert retries_left == [2, 1, 0]
    assert result.get() == "sent"


@pytest.mark.redis
def test_a_retry_with_a_delay_waits_in_the_schedule_and_the_last_failure_is_final(huey):
    @huey.task(retries=1, retry_delay=60)
    def broken() -> None:
        raise RuntimeError("gateway down")

    result = broken()
    huey.execute(huey.dequeue())

    [retry] = huey.scheduled()
    assert (huey.pending_count(), retry.retries) == (0, 0)
    assert retry.eta - datetime.now(UTC).replace(tzinfo=None) > timedelta(seconds=55)
    assert huey.read_schedule(retry.eta - timedelta(seconds=1)) == []

    # Once the delay is over, the scheduler moves the task to the queue and a worker runs it.
    [due] = huey.read_schedule(retry.eta)
    huey.execute(due, timestamp=retry.eta)

    assert huey.pending_count() == huey.scheduled_count() == 0
    with pytest.raises(TaskException):
        result.get()


@pytest.mark.redis
def test_a_periodic_task_is_registered_and_enqueued_at_its_time(huey):
    runs = []

    @huey.periodic_task(crontab(minute="7"))
    def hourly() -> None:
        runs.append("ran")

    at_seven_past, at_eight_past = datetime(2026, 11, 26, 9, 7), datetime(2026, 11, 26, 9, 8)

    assert huey.read_periodic(at_eight_past) == []
    [due] = huey.read_periodic(at_seven_past)
    huey.enqueue(due)  # what the consumer's scheduler does each minute
    assert huey.pending_count() == 1
    huey.execute(huey.dequeue())

    assert runs == ["ran"]


def test_trellis_registers_its_periodic_tasks_on_the_configured_queue():
    from huey.contrib.djhuey import HUEY

    import trellis.recovery.tasks
    import trellis.sharing.tasks

    at_seven_past = datetime(2026, 11, 26, 9, 7)
    due = {task.name for task in HUEY.read_periodic(at_seven_past)}
    every_minute = {task.name for task in HUEY.read_periodic(at_seven_past + timedelta(minutes=1))}

    assert {"send_checkin_reminders", "send_milestone_news"} <= due
    assert "send_checkin_reminders" in every_minute
    assert "send_milestone_news" not in every_minute
    assert trellis.recovery.tasks.send_checkin_reminders.huey is HUEY
    assert trellis.sharing.tasks.send_milestone_news.huey is HUEY


def test_the_task_queue_is_redis_when_redis_url_is_set(monkeypatch):
    monkeypatch.setattr(trellis.settings, "REDIS_URL", REDIS_URL)

    queue = trellis.settings._task_queue()

    assert isinstance(queue, RedisHuey)
    assert queue.name == "trellis"
    assert queue.storage.pool.connection_kwargs["db"] == 15


def test_the_task_queue_is_sqlite_under_the_state_folder_otherwise(monkeypatch, tmp_path):
    monkeypatch.setattr(trellis.settings, "REDIS_URL", "")
    monkeypatch.setattr(trellis.settings, "STATE_DIR", tmp_path / "state")

    queue = trellis.settings._task_queue()

    assert isinstance(queue, SqliteHuey)
    assert queue.storage.filename == str(tmp_path / "state" / "tasks.sqlite3")


@pytest.mark.parametrize("redis_url", [REDIS_URL, ""])
def test_periodic_tasks_keep_the_sites_clock_not_utc(redis_url, monkeypatch, tmp_path):
    """The nightly evaluation is due at 02:00 where the site is: the queue reads the time as
    Django's TIME_ZONE tells it (America/Chicago in tests), hours away from UTC."""
    from django.utils import timezone

    monkeypatch.setattr(trellis.settings, "REDIS_URL", redis_url)
    monkeypatch.setattr(trellis.settings, "STATE_DIR", tmp_path / "state")
    queue = trellis.settings._task_queue()

    site_now = timezone.localtime().replace(tzinfo=None)
    assert abs(queue._get_timestamp() - site_now) < timedelta(minutes=1)
    assert abs(site_now - datetime.now(UTC).replace(tzinfo=None)) >= timedelta(hours=1)
