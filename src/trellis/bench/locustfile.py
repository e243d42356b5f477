"""The load test's users (locust): clinicians opening caseloads and plans, people submitting
check-ins and journal entries, navigators searching the directory and reading their worklist.

Each simulated user signs in the way people do (the login form; staff then a code from their
authenticator) with a login of its role from the credentials file `trellis demo generate`
wrote (TRELLIS_LOAD_CREDENTIALS); no two simulated users share a login. A request counts as a
failure unless it gets the answer a person would: a page (200), or the redirect a saved form
gives (302). Of every `TRELLIS_LOAD_USERS` users, 40 % are clinicians, 10 % navigators and the
rest people in recovery. `TRELLIS_LOAD_FROM_END=k` takes logins from the end of each role's list,
skipping the last k - 1, so short runs before the main one never sign in with a login it uses: an
authenticator code is accepted once.

With TRELLIS_LOAD_LOG set, every request is also written to that file (name, milliseconds,
1 for success, when it ended, why it failed), so the benchmark computes exact percentiles rather
than locust's rounded ones.

Run by `trellis bench --only load` (bench/load_bench.py); it is also a plain locustfile:
    locust -f src/trellis/bench/locustfile.py --host http://127.0.0.1:8000
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django_otp.oath import TOTP
from locust import HttpUser, events, task
from locust.exception import StopUser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEAR = {"lat": "39.78", "lon": "-89.65", "radius_km": "40"}  # the demo directory's town
SEARCHES = (
    {"category": "com.housing"},
    {"category": "com.mutual_help", "language": "es"},
    {"category": "com.counseling", "language": "en"},
    {},
)
USERS = int(os.environ.get("TRELLIS_LOAD_USERS", "50"))
# With a number of tasks per user, the run ends once every user has done that many (tests);
# without, it runs until locust's --run-time is up.
ITERATIONS = int(os.environ.get("TRELLIS_LOAD_ITERATIONS", "0"))
THINK_SECONDS = (1.0, 3.0)  # between one task and the next, as a person reads the page
FINISHED: list[str] = []


def _credentials() -> dict[str, Any]:
    path = os.environ.get("TRELLIS_LOAD_CREDENTIALS")
    if not path:
        raise SystemExit("TRELLIS_LOAD_CREDENTIALS: the file `trellis demo generate` wrote")
    return json.loads(Path(path).read_text())


CREDENTIALS = _credentials()


def _logins(role: str) -> Iterator[dict[str, Any]]:
    logins = [user for user in CREDENTIALS["users"] if user["role"] == role]
    from_end = int(os.environ.get("TRELLIS_LOAD_FROM_END", "0"))
    if from_end:
        logins = logins[::-1][from_end - 1 :]
    yield from logins
    raise RuntimeError(f"the credentials file has too few {role} logins for {USERS} users")


POOLS = {role: _logins(role) for role in ("clinician", "navigator", "person")}
# Every request: name, time (ms), outcome, when it ended, why it failed.
LOG = os.environ.get("TRELLIS_LOAD_LOG")


if LOG:
    _log = open(LOG, "a", buffering=1)  # noqa: SIM115 - open while locust runs

    @events.request.add_listener
    def _record(name: str, response_time: float, exception: Any, **_: Any) -> None:
        why = " ".join(str(exception).split())[:200] if exception else ""
        ok = 0 if exception else 1
        _log.write(f"{name}\t{response_time:.3f}\t{ok}\t{time.time():.3f}\t{why}\n")


class SignedIn(HttpUser):
    abstract = True
    role = ""

    def wait_time(self) -> float:
        self.tasks_done += 1
        if ITERATIONS and self.tasks_done >= ITERATIONS:
            FINISHED.append(self.login["username"])
            if len(FINISHED) == USERS:
                self.environment.runner.quit()
            raise StopUser
        return random.uniform(*THINK_SECONDS)  # noqa: S311 - think time, not a secret

    def on_start(self) -> None:
        self.tasks_done = 0
        self.login = next(POOLS[self.role])
        self.form("/accounts/login/", {"username": self.login["username"]}, name="sign in", pw=True)
        if "totp_key" in self.login:
            code = TOTP(bytes.fromhex(self.login["totp_key"])).token()
            self.form("/accounts/two-factor/", {"code": f"{code:06d}"}, name="second factor")

    def page(self, path: str, name: str, **params: str) -> str:
        with self.client.get(path, params=params, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code} {answer.error or ''}")
            return answer.text

    def form(self, path: str, data: dict[str, Any], name: str, pw: bool = False) -> None:
        """Open the form's page, then submit it as a browser would; a saved form redirects."""
        token = CSRF.search(self.page(path, name=f"{name} (form)"))
        fields = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        if pw:
            fields["password"] = CREDENTIALS["password"]
        headers = {"Referer": f"{self.host}{path}"}
        with self.client.post(
            path, data=fields, headers=headers, name=name, allow_redirects=False,
            catch_response=True,
        ) as answer:  # fmt: skip
            if answer.status_code != 302:
                answer.failure(f"status {answer.status_code}: not accepted {answer.error or ''}")


class Clinician(SignedIn):
    fixed_count = round(USERS * 0.4)
    role = "clinician"

    def on_start(self) -> None:
        super().on_start()
        mine = [u for u in CREDENTIALS["users"] if u.get("clinician") == self.login["username"]]
        self.caseload = [user["person_id"] for user in mine]

    @task(3)
    def caseload_page(self) -> None:
        self.page("/caseload/", name="/caseload/")

    @task(3)
    def person_and_plan(self) -> None:
        person = random.choice(self.caseload)  # noqa: S311 - which record to open, not a secret
        self.page(f"/people/{person}/", name="/people/[id]/")
        self.page(f"/people/{person}/plan/", name="/people/[id]/plan/")

    @task(1)
    def progress(self) -> None:
        person = random.choice(self.caseload)  # noqa: S311
        self.page(f"/people/{person}/progress/", name="/people/[id]/progress/")


class Navigator(SignedIn):
    fixed_count = max(1, round(USERS * 0.1))
    role = "navigator"

    @task(4)
    def search(self) -> None:
        criteria = random.choice(SEARCHES)  # noqa: S311
        self.page("/services/", name="/services/ (search)", **NEAR, **criteria)

    @task(1)
    def worklist(self) -> None:
        self.page("/referrals/", name="/referrals/")


class Person(SignedIn):
    fixed_count = USERS - Clinician.fixed_count - Navigator.fixed_count
    role = "person"

    def on_start(self) -> None:
        super().on_start()
        # The generated history leaves the last 30 days free; yesterday is never in the
        # server's future, whatever its time zone.
        self.days = iter([_today() - timedelta(days=ago) for ago in range(1, 29)])

    @task(2)
    def home(self) -> None:
        self.page("/me/", name="/me/")

    @task(2)
    def check_in(self) -> None:
        day = next(self.days, None)
        if day is None:  # a month of check-ins already sent in this run
            self.page("/me/check-ins/", name="/me/check-ins/")
            return
        craving = random.randint(0, 6)  # noqa: S311
        self.form("/me/check-in/", _checkin(day, craving), name="/me/check-in/")

    @task(1)
    def journal(self) -> None:
        entry = {
            # Two days back: yesterday evening in UTC can still be ahead of the server's clock
            # in its own time zone (America/Chicago by default), and the form refuses a future.
            "at": f"{_today() - timedelta(days=2)}T20:30",
            "craving": random.randint(0, 8),  # noqa: S311
            "triggers": ["stress"],
            "text": "Busy day; went for a walk after dinner.",
            "coping_1": "exercise",
            "helped_1": "7",
        }
        self.form("/me/journal/", entry, name="/me/journal/")

    @task(1)
    def checkins(self) -> None:
        self.page("/me/check-ins/", name="/me/check-ins/")


def _today() -> date:
    return datetime.now(UTC).date()


def _checkin(day: date, craving: int) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "craving": craving,
        "mood": 6,
        "sleep_hours": "7",
        "used": "no",
        "self_harm": "no",
        "triggers": ["stress"],
        "coping_1": "paced-breathing",
        "helped_1": "6",
    }
