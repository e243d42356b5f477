"""The database going away mid-request, and coming back.

The test starts its own PostgreSQL cluster and runs Trellis against it in a server process of its
own: one thread, one persistent connection (DB_CONN_MAX_AGE), as a production worker keeps it.
The cluster is stopped as a crash would stop it (`pg_ctl stop -m immediate`) and started again;
the same server process must answer 503 while it is away and work again once it is back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.faults.services import WAIT, Postgres, wait_until

PASSWORD = "correct-horse-battery-9"
GIVEN_NAME = "Marisol"  # what the page shows once signed in; never in an error answer
TIME_ZONE = "America/Chicago"

# Run in the server process: migrate, create the person and a token, report, serve.
SERVE = """
import json, os
from datetime import date
from wsgiref.simple_server import WSGIRequestHandler, make_server

from trellis.commands import _django
_django.setup()
from trellis.accounts import actions
from trellis.accounts.models import IdempotentRequest, User
from trellis.audit.models import AuditEvent
from trellis.people.models import Person, Program
from trellis.recovery.models import CheckIn
from trellis.wsgi import application

user = User(username="marisol", role="person", email="marisol@example.org")
user.set_password(os.environ["FAULT_PASSWORD"])
user.save()
person = Person.objects.create(program=Program.objects.create(name="Riverbend"), user=user, given_name=os.environ["FAULT_NAME"],
    family_name="Example", birth_date=date(1990, 5, 17))
token = actions.create_token(user, "fault test")
tables = {m.__name__: m._meta.db_table for m in (CheckIn, IdempotentRequest, AuditEvent)}

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, application, handler_class=Quiet)
print(json.dumps({"port": server.server_port, "token": token, "person": str(person.public_id),
    "tables": tables}), flush=True)
server.serve_forever()
"""


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    token: str
    person: str
    tables: dict[str, str]

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.base}/api/v1{path}", headers=headers, timeout=WAIT, **kwargs
        )


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    cluster = Postgres()
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def server(postgres: Postgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "DB_CONN_MAX_AGE": "600",
        "TRELLIS_HOME": str(tmp_path_factory.mktemp("home")),  # keys and task queue of its own
        "DJANGO_SETTINGS_MODULE": "trellis.settings",
        "FAULT_PASSWORD": PASSWORD,
        "FAULT_NAME": GIVEN_NAME,
        "DEBUG": "False",
        "TIME_ZONE": TIME_ZONE,
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line:
            pytest.fail("the Trellis server process ended before serving", pytrace=False)
        ready = json.loads(line)
        yield Server(
            process,
            f"http://127.0.0.1:{ready['port']}",
            ready["token"],
            ready["person"],
            ready["tables"],
        )
    finally:
        process.terminate()
        process.wait(timeout=WAIT)


@pytest.fixture(scope="module")
def browser(server: Server) -> requests.Session:
    """The person signed in on the page, as a browser would be."""
    session = requests.Session()
    form = session.get(f"{server.base}/accounts/login/", timeout=WAIT)
    session.post(
        f"{server.base}/accounts/login/",
        data={
            "username": "marisol",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": form.url},
        timeout=WAIT,
    )
    return session


def home(server: Server, browser: requests.Session) -> requests.Response:
    return browser.get(f"{server.base}/me/", timeout=WAIT, allow_redirects=False)


def assert_works(server: Server, browser: requests.Session) -> None:
    page = home(server, browser)
    assert page.status_code == 200
    assert f"Hello, {GIVEN_NAME}" in page.text
    listing = server.api("GET", f"/people/{server.person}/checkins")
    assert listing.status_code == 200
    assert isinstance(listing.json(), list)


def assert_unavailable(server: Server, browser: requests.Session) -> None:
    page = home(server, browser)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert "Trellis is briefly unavailable" in page.text
    assert "call or text 988" in page.text
    for leak in (GIVEN_NAME, "marisol", "Traceback", "OperationalError", "psycopg", "SELECT"):
        assert leak not in page.text
    answer = server.api("GET", f"/people/{server.person}/checkins")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    assert answer.json() == {
        "error": {
            "code": "unavailable",
            "message": "Trellis cannot reach its records just now. Please try again in a "
            "minute; nothing is ever saved in part.",
            "field": None,
        }
    }


def checkin(server: Server, key: str) -> requests.Response:
    today = datetime.now(ZoneInfo(TIME_ZONE)).date().isoformat()
    body = {"date": today, "craving": 2, "mood": 6, "sleep_hours": 7, "used": False}
    return server.api(
        "POST", f"/people/{server.person}/checkins", json=body, headers={"Idempotency-Key": key}
    )


def test_the_page_and_the_api_answer_503_while_the_database_is_away_and_work_again_after(
    postgres, server, browser
):
    assert_works(server, browser)

    postgres.stop()
    assert_unavailable(server, browser)
    assert_unavailable(server, browser)  # and again: the failed connection did not stick

    postgres.start()
    assert_works(server, browser)
    assert server.process.poll() is None  # the same process: nothing was restarted


def test_a_connection_left_open_across_a_restart_is_dropped_and_replaced(postgres, server, browser):
    assert_works(server, browser)  # the worker now holds a persistent connection

    postgres.stop()  # no request while it is away: the held connection is stale, unnoticed
    postgres.start()

    assert_works(server, browser)
    assert server.process.poll() is None


def test_a_write_cut_off_mid_transaction_leaves_nothing_behind_and_can_be_retried(
    postgres, server, browser
):
    tables = server.tables
    # Test-only instrumentation in this throw-away cluster: after the check-in row is inserted,
    # the write waits for a lock the test holds, so the cluster dies in the middle of it.
    postgres.sql(
        "trellis",
        """CREATE FUNCTION hold_write() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$""",
    )
    postgres.sql(
        "trellis",
        f"""CREATE TRIGGER hold_write AFTER INSERT ON {tables["CheckIn"]}
            FOR EACH ROW EXECUTE FUNCTION hold_write()""",
    )
    holder = postgres.connect(autocommit=True)
    holder.execute("SELECT pg_advisory_lock(4242)")
    key = str(uuid.uuid4())

    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(checkin, server, key)
        waiting = (
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted"
        )
        wait_until(
            lambda: pending.done() or bool(postgres.sql("trellis", waiting)),
            "the check-in to wait inside its transaction",
        )
        assert not pending.done(), pending.result().text
        postgres.stop()
        cut_off = pending.result(timeout=WAIT)

    assert cut_off.status_code == 503
    assert cut_off.json()["error"]["code"] == "unavailable"
    holder.close()

    postgres.start()
    count = "SELECT count(*) FROM {}"
    assert postgres.sql("trellis", count.format(tables["CheckIn"])) == [(0,)]
    assert postgres.sql("trellis", count.format(tables["IdempotentRequest"])) == [(0,)]
    created = (
        f"{count.format(tables['AuditEvent'])} WHERE object_type = 'CheckIn' AND action = 'create'"
    )
    assert postgres.sql("trellis", created) == [(0,)]

    postgres.sql("trellis", f"DROP TRIGGER hold_write ON {tables['CheckIn']}")
    retried = checkin(server, key)

    assert retried.status_code == 201
    assert postgres.sql("trellis", count.format(tables["CheckIn"])) == [(1,)]
    assert server.process.poll() is None
