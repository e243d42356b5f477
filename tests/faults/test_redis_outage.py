"""Redis going away and coming back: nothing a request does waits on it, and what the task queue
would have run while it was away runs once when it returns.

The test starts its own redis-server (no persistence, so a restart comes back empty) and points
Trellis's task queue (its registered periodic tasks) at it; huey's own consumer runs the tasks.
Nothing durable lives in Redis: a reminder is due by its row (`last_sent_on`), an alert is a row,
and a night's evaluation is done when its `NightlyRun` row says so. Each periodic run sends or
raises what the rows say is still pending, and each is sent or raised once (a row lock, a unique
event key), so a queue that lost its contents loses nothing.
"""

from __future__ import annotations

import json
import queue as queues
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from huey.consumer import Scheduler
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR
from huey.storage import RedisStorage

from tests.conftest import sign_in
from tests.faults.services import WAIT, Redis
from tests.web.monitoring.conftest import checkin_row
from tests.web.test_task_queue_redis import consuming

# Times the test's scheduler ticks at, as huey reads them (UTC): which periodic tasks fall due.
ANY_MINUTE = datetime(2026, 11, 26, 9, 1)  # the reminders only
TWO_AM = datetime(2026, 11, 26, 2, 0)  # the nightly evaluation, and the reminders
HALF_PAST = datetime(2026, 11, 26, 3, 30)  # the nightly catch-up, and the reminders


@pytest.fixture
def redis_server() -> Iterator[Redis]:
    server = Redis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def queue(redis_server: Redis, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Trellis's task queue, with its registered tasks, storing its tasks in this test's Redis."""
    from huey.contrib.djhuey import HUEY

    import trellis.monitoring.tasks
    import trellis.recovery.tasks
    import trellis.sharing.tasks  # noqa: F401 - registers the periodic tasks

    storage = RedisStorage(HUEY.name, url=redis_server.url, read_timeout=0.1)
    monkeypatch.setattr(HUEY, "storage", storage)
    yield HUEY
    storage.pool.disconnect()


@pytest.fixture
def finished(queue) -> Iterator[Callable[[str], None]]:
    """`finished(name)` returns once the consumer has run the task `name` (and fails the test
    if it raised)."""
    events: queues.Queue[tuple[str, str]] = queues.Queue()

    def on_signal(signal: str, task: object, *args: object, **kwargs: object) -> None:
        events.put((signal, task.name))

    queue.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)(on_signal)

    def wait(name: str) -> None:
        while True:
            try:
                signal, task = events.get(timeout=WAIT)
            except queues.Empty:
                pytest.fail(f"the consumer did not run {name} within {WAIT} s", pytrace=False)
            if task == name:
                assert signal == SIGNAL_COMPLETE, f"{name} failed"
                return

    yield wait
    queue.disconnect_signal(on_signal, SIGNAL_COMPLETE, SIGNAL_ERROR)


def tick(queue, consumer, at: datetime) -> None:
    """What the consumer's scheduler does each minute: queue the periodic tasks due `at`.
    huey's own Scheduler, which logs a Redis that cannot be reached and carries on."""
    Scheduler(queue, consumer.stop_flag, interval=1, periodic=True).enqueue_periodic_tasks(at)


def assert_alive(consumer) -> None:
    assert consumer.scheduler.is_alive()
    assert all(thread.is_alive() for _, thread in consumer.worker_threads)


def test_a_reminder_chosen_while_redis_is_down_is_sent_once_when_it_returns(
    transactional_db, client, pat, queue, redis_server, finished, sms_outbox
):
    from trellis import notify
    from trellis.recovery.models import Reminder

    redis_server.stop()
    sign_in(client, pat)
    choice = {
        "enabled": "on",
        "at": "00:00",  # due at once, whatever the hour the test runs
        "time_zone": "America/Chicago",
        "channel": "sms",
        "phone": "+15555550123",
    }

    response = client.post("/me/reminders/", choice)

    assert response.status_code == 302
    reminder = Reminder.objects.get(person=pat.person)
    assert (reminder.enabled, reminder.last_sent_on) == (True, None)

    with consuming(queue) as consumer:  # started while Redis is down
        tick(queue, consumer, ANY_MINUTE)  # nothing can be queued

        assert_alive(consumer)
        assert sms_outbox == []

        redis_server.start()  # back, and empty
        tick(queue, consumer, ANY_MINUTE)
        finished("send_checkin_reminders")

        assert [(m.to, m.body) for m in sms_outbox] == [
            ("+15555550123", str(notify.CHECKIN_DUE.body))
        ]
        today_there = timezone.localtime(timezone=ZoneInfo(reminder.time_zone)).date()
        reminder.refresh_from_db()
        assert reminder.last_sent_on == today_there

        tick(queue, consumer, ANY_MINUTE + timedelta(minutes=1))  # the next minute
        finished("send_checkin_reminders")

        assert len(sms_outbox) == 1  # sent once
        assert_alive(consumer)


def test_an_alert_raised_while_redis_is_down_is_stored_and_shown_to_the_care_team(
    client, pat, dana, queue, redis_server
):
    from trellis.alerts.models import Alert

    redis_server.stop()
    sign_in(client, pat)
    checkin = {
        "date": timezone.localdate().isoformat(),
        "craving": 2,
        "mood": 3,
        "sleep_hours": 6,
        "used": False,
        "self_harm": True,
    }

    response = client.post(
        f"/api/v1/people/{pat.public_id}/checkins",
        json.dumps(checkin),
        content_type="application/json",
    )

    assert response.status_code == 201
    [alert] = Alert.objects.filter(person=pat.person)
    assert (alert.kind, alert.severity) == ("suicidal_ideation", "urgent")

    client.logout()
    sign_in(client, dana)
    caseload = client.get("/caseload/")

    assert caseload.status_code == 200
    assert alert.kind_label in caseload.content.decode()


def test_a_nightly_evaluation_missed_while_redis_is_down_runs_once_when_it_returns(
    transactional_db, program, quinn, queue, redis_server, finished
):
    from trellis.alerts.models import Alert
    from trellis.monitoring.models import NightlyRun

    for n in range(20, 5, -1):  # checked in daily, then no more for five days
        checkin_row(quinn.person, n)
    redis_server.stop()

    with consuming(queue) as consumer:
        tick(queue, consumer, TWO_AM)  # the night's evaluation cannot be queued

        assert_alive(consumer)
        assert not Alert.objects.exists()
        assert not NightlyRun.objects.exists()

        redis_server.start()
        tick(queue, consumer, HALF_PAST)
        finished("nightly_catch_up")

        [alert] = Alert.objects.filter(person=quinn.person)
        assert alert.kind == "missed_checkins"
        assert NightlyRun.objects.count() == 1

        tick(queue, consumer, HALF_PAST + timedelta(hours=1))
        finished("nightly_catch_up")

        assert Alert.objects.count() == 1  # raised once
        assert NightlyRun.objects.count() == 1  # the night was done: not evaluated again


def test_the_catch_up_evaluates_only_when_no_evaluation_finished_within_a_day_and_an_hour(
    db, program, quinn
):
    from trellis.alerts.models import Alert
    from trellis.monitoring import nightly
    from trellis.monitoring.models import NightlyRun

    for n in range(20, 5, -1):
        checkin_row(quinn.person, n)
    now = timezone.now()
    last = NightlyRun.objects.create(
        night=timezone.localdate() - timedelta(days=1), finished=now - timedelta(hours=24)
    )

    assert nightly.catch_up(now) is None  # yesterday's run is a day old: tonight's is not late
    assert not Alert.objects.exists()

    NightlyRun.objects.filter(pk=last.pk).update(finished=now - timedelta(hours=25, minutes=1))
    summary = nightly.catch_up(now)

    assert summary is not None
    assert summary.raised == 1
    assert Alert.objects.get().kind == "missed_checkins"
    assert NightlyRun.objects.get(night=timezone.localdate(now)).raised == 1
    assert nightly.catch_up(now + timedelta(minutes=30)) is None


def test_the_catch_up_is_a_periodic_task_at_half_past_each_hour():
    from huey.contrib.djhuey import HUEY

    import trellis.monitoring.tasks  # noqa: F401 - registers the periodic tasks

    names = {task.name for task in HUEY.read_periodic(HALF_PAST)}
    on_the_hour = {task.name for task in HUEY.read_periodic(TWO_AM)}

    assert "nightly_catch_up" in names
    assert "nightly_catch_up" not in on_the_hour
    assert "nightly_evaluation" in on_the_hour
