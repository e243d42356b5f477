from __future__ import annotations

import os
import subprocess
import sys

from trellis.core.encryption import new_key


def test_every_page_carries_a_strict_content_security_policy(client, db):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "http" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "TRELLIS_ENV": "production",
        "TRELLIS_SECRET_KEY": "x" * 20 + "-production-secret-for-checking-only-" + "y" * 20,
        "TRELLIS_ENCRYPTION_KEYS": new_key(),
        "ALLOWED_HOSTS": "trellis.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=trellis.settings",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRELLIS_")}
    env.update(TRELLIS_ENV="production", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings=trellis.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert (
        "TRELLIS_SECRET_KEY (or TRELLIS_SECRET_KEY_FILE) must be set when TRELLIS_ENV=production"
        in result.stderr
    )
