"""`trellis demo generate`: people with their histories and care teams for the load test."""

import json
import os
import stat
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trellis.accounts.models import User
from trellis.assessments.models import Intake
from trellis.audit import log as audit
from trellis.audit.models import AuditEvent
from trellis.core.access import Role
from trellis.people import synthetic
from trellis.people.access import caseload
from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.recovery.models import CheckIn, JournalEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(tmp_path, ada):  # a database with a program and an administrator already
    path = tmp_path / "logins.json"
    synthetic.generate(3, path)
    return json.loads(path.read_text()), path


def test_it_adds_the_people_and_their_staff_on_top_of_what_is_there(generated):
    logins, _ = generated

    assert [u["role"] for u in logins["users"]].count("person") == 3
    assert Person.objects.filter(user__username__startswith="load-person-").count() == 3
    assert not User.objects.filter(username="clinician").exists()  # no demo data added


def test_on_an_empty_database_it_loads_the_demo_first(tmp_path):
    synthetic.generate(1, tmp_path / "logins.json")

    assert User.objects.filter(username="clinician").exists()
    assert Person.objects.filter(user__username__startswith="load-person-").count() == 1


def test_each_person_has_an_intake_a_plan_an_episode_and_a_history(generated):
    logins, _ = generated
    today = timezone.localdate()
    for login in (u for u in logins["users"] if u["role"] == "person"):
        person = Person.objects.get(public_id=login["person_id"])
        days = list(CheckIn.objects.filter(person=person).values_list("day", flat=True))

        assert Intake.objects.get(person=person).status == "completed"
        assert Plan.objects.filter(person=person).exists()
        assert person.current_episode() is not None
        assert len(days) == synthetic.HISTORY_DAYS
        # the last month is left free for the load test's own check-ins
        assert max(days) == today - timedelta(days=synthetic.FREE_DAYS + 1)
        assert JournalEntry.objects.filter(person=person).count() == 4


def test_each_person_is_on_the_caseload_of_the_clinician_the_file_names(generated):
    logins, _ = generated
    for login in (u for u in logins["users"] if u["role"] == "person"):
        clinician = User.objects.get(username=login["clinician"])

        assert caseload(clinician).filter(public_id=login["person_id"]).exists()


def test_every_login_signs_in_with_the_password_and_staff_with_their_authenticator(generated):
    logins, _ = generated
    for login in logins["users"]:
        user = User.objects.get(username=login["username"])
        assert check_password(logins["password"], user.password)
        if login["role"] != "person":
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            code = TOTP(bytes.fromhex(login["totp_key"])).token()
            assert device.verify_token(f"{code:06d}")
    staff = {login["role"] for login in logins["users"]} - {"person"}
    assert staff == {Role.CLINICIAN, Role.NAVIGATOR}


def test_the_credentials_file_is_readable_by_its_owner_only(generated):
    _, path = generated

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_what_it_wrote_is_audited_and_the_chain_holds(generated):
    assert audit.verify() is None
    assert AuditEvent.objects.filter(action="complete", object_type="Intake").count() >= 3


def test_a_second_run_adds_new_logins_beside_the_first(generated, tmp_path):
    first, _ = generated
    synthetic.generate(2, tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())

    names = {u["username"] for u in first["users"]}
    assert names.isdisjoint(u["username"] for u in again["users"])
    assert Person.objects.filter(user__username__startswith="load-person-").count() == 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--people", "0"], "--people"),
        (["--people", "100001"], "--people"),
        (["--credentials", "/nonexistent-folder/logins.json"], "--credentials"),
        ([], "--credentials"),
    ],
)
def test_bad_arguments_exit_2_naming_the_option_and_store_nothing(tmp_path, arguments, message):
    database = tmp_path / "untouched.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=f"sqlite:///{database}", TRELLIS_HOME=str(tmp_path))

    done = subprocess.run(
        [sys.executable, "-m", "trellis.cli", "demo", "generate", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not database.exists()
