from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter

from trellis.accounts.models import User
from trellis.people import demo
from trellis.people.models import Person
from trellis.waitlist import demo as waitlist_demo

ROLE_LOGINS = ["person", "clinician", "supervisor", "family", "navigator", "admin", "researcher"]


def test_demo_data_has_one_login_per_role_named_after_it_and_twenty_people(db):
    demo.load()

    for name in ROLE_LOGINS:
        user = User.objects.get(username=name)
        assert user.role == name
        assert user.check_password(demo.DEMO_PASSWORD)
    waiting = len(waitlist_demo.WAITING)  # people on the demo waitlist only, without a record
    assert Person.objects.count() == 20 + waiting
    levels = Counter(
        p.current_episode().level_of_care for p in Person.objects.all() if p.current_episode()
    )
    assert len(levels) >= 6, "varied situations span most levels of care"
    clinician = User.objects.get(username="clinician")
    assert 0 < Person.objects.filter(care_team__member=clinician).count() < 20
    from trellis.alerts.models import Alert
    from trellis.assessments.models import Intake

    intakes = Intake.objects.filter(status="completed")
    assert intakes.count() == 20
    assert len({i.level for i in intakes}) >= 4, "varied situations give varied placements"
    assert Alert.objects.open().filter(severity="urgent").exists(), (
        "one demo person screens positive for suicide risk"
    )


def test_demo_data_is_loaded_only_into_an_empty_database(db, capsys):
    from trellis.cli import main

    assert main(["demo", "load"]) == 0
    assert main(["demo", "load"]) == 0

    assert "demo data was not loaded" in capsys.readouterr().out
    assert Person.objects.count() == 20 + len(waitlist_demo.WAITING)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_trellis_run_migrates_loads_demo_data_and_serves(tmp_path):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["TRELLIS_HOME"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "trellis.cli", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in server.stdout:  # wait for the condition, not for a time
            lines.append(line)
            if "Trellis is at" in line:
                break
        health = json.loads(_get_when_up(f"http://127.0.0.1:{port}/api/v1/health"))
        assert health["status"] == "ok"
        assert ":root" in _get_when_up(f"http://127.0.0.1:{port}/static/trellis/trellis.css"), (
            "assets are served locally"
        )
        assert any("Loaded demo data: 20 people" in line for line in lines)
        assert (tmp_path / "trellis.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get_when_up(url: str, deadline_s: float = 30) -> str:
    """Poll until the server answers: it prints its address just before it binds the port."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the server did not answer within the deadline")


def test_demo_data_has_a_directory_near_the_people_and_a_referral_under_consent(db):
    from trellis.directory import matching
    from trellis.referrals.models import Referral

    demo.load()
    referral = Referral.objects.get()
    assert referral.consent.recipient_organization == referral.service.organization
    matched = [p for p in Person.objects.all() if matching.for_person(p).matches]
    assert matched, "someone's housing or other community need matches a demo service"
