"""The load test's users (bench/locustfile.py) against a live server: every request they make
gets the answer a person would, so `trellis bench --only load` measures working pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trellis.bench import load_bench
from trellis.people import synthetic

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_user_of_each_role_signs_in_and_works_without_a_failure(live_server, tmp_path, ada):
    logins = tmp_path / "logins.json"
    synthetic.generate(2, logins)
    log = tmp_path / "requests.tsv"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        TRELLIS_LOAD_CREDENTIALS=str(logins),
        TRELLIS_LOAD_USERS="3",
        TRELLIS_LOAD_LOG=str(log),
        TRELLIS_LOAD_ITERATIONS="3",  # the run ends when each user has done three tasks
    )

    done = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(load_bench.LOCUSTFILE), "--headless",
         "--users", "3", "--spawn-rate", "3", "--run-time", "300s", "--host", live_server.url,
         "--only-summary", "--loglevel", "WARNING"],
        env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip

    requests = load_bench.read_log(Path(log).read_text(), seconds=1)
    assert requests.failures == {}, done.stderr[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]
    # each role signed in; staff with their second factor
    assert len(requests.times["sign in"]) == 3
    assert len(requests.times["second factor"]) == 2
    assert len(requests.steady()) >= 3 * 3
