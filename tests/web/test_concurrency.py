"""Twenty clients sending the same check-in with the same Idempotency-Key at the same moment,
against the live server: exactly one is stored and every client gets the same answer."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

CLIENTS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_retries_of_one_checkin_store_exactly_one(live_server, pat):
    from trellis.accounts import actions
    from trellis.recovery.models import CheckIn

    token = actions.create_token(pat.user, "concurrency")
    url = f"{live_server.url}/api/v1/people/{pat.public_id}/checkins"
    body = json.dumps(
        {
            "date": timezone.localdate().isoformat(),
            "craving": 3,
            "mood": 6,
            "sleep_hours": 7,
            "used": False,
        }
    ).encode()
    start = threading.Barrier(CLIENTS)

    def send(_: int) -> tuple[int, dict]:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": "same-checkin",
            },
        )
        start.wait()  # all twenty leave together
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(send, range(CLIENTS)))

    assert {status for status, _ in answers} == {201}
    assert len({json.dumps(answer, sort_keys=True) for _, answer in answers}) == 1
    assert CheckIn.objects.filter(person=pat.person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clinicians_saving_the_same_plan_at_once_cannot_overwrite_each_other(
    live_server, plan, dana
):
    """Both edit version 1 at the same moment: one change makes version 2, the other is told the
    plan changed since it was opened, and nothing is lost or duplicated."""
    import re

    from django.test import Client

    from tests.conftest import make_user, sign_in
    from trellis.core.access import Role
    from trellis.plans.models import Plan, PlanDeviation

    dora = make_user("dora", Role.CLINICIAN)
    plan.person.care_team.create(member=dora)
    changes = {
        "dana": {"code": "hol.exercise", "action": "remove", "reason": "not wanted now"},
        "dora": {"code": "hol.nutrition", "action": "add", "status": "consider", "reason": "diet"},
    }
    sessions = {}
    for name, user in (("dana", dana.user), ("dora", dora)):
        client = Client()
        sign_in(client, user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        page = urllib.request.Request(
            f"{live_server.url}/plans/{plan.public_id}/", headers={"Cookie": cookie}
        )
        with urllib.request.urlopen(page, timeout=30) as response:
            csrf_cookie = response.headers.get_all("Set-Cookie")
            html = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        csrf = next(c.split(";")[0] for c in csrf_cookie if c.startswith("csrftoken="))
        sessions[name] = (f"{cookie}; {csrf}", token)
    start = threading.Barrier(2)

    def save(name: str) -> tuple[int, str]:
        cookie, token = sessions[name]
        body = urllib.parse.urlencode({**changes[name], "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            f"{live_server.url}/plans/{plan.public_id}/changes/",
            data=body,
            method="POST",
            headers={
                "Cookie": cookie,
                "Referer": live_server.url,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, ""
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode()

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(save, changes))

    assert [status for status, _ in answers] == [200, 400]  # the winner sees version 2
    assert "someone changed the plan since you opened it" in answers[1][1]
    assert Plan.objects.filter(person=plan.person).count() == 2
    assert PlanDeviation.objects.count() == 1
