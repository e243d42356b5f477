"""Twenty clients sending the same check-in with the same Idempotency-Key at the same moment,
against the live server: exactly one is stored and every client gets the same answer."""

from __future__ import annotations

import json
import threading
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
