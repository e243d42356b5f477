from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, confirmed_device
from trellis.audit.models import AuditEvent


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_with_password(client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_wrong_password_gets_a_clear_message_and_is_audited(client, pat):
    response = sign_in_with_password(client, "pat", "not-the-password")

    assert response.status_code == 200
    assert "That username and password do not match." in response.text
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login", outcome="denied").count() == 1


def test_a_person_signs_in_with_a_password_alone_and_lands_at_home(client, pat):
    response = sign_in_with_password(client, "pat")

    assert response["Location"] == "/"
    assert client.get("/", follow=True).request["PATH_INFO"] == "/me/"
    assert AuditEvent.objects.filter(action="login", outcome="allowed", actor=pat.user).exists()


def test_passwords_are_hashed_with_argon2(pat):
    assert pat.user.password.startswith("argon2$")


def test_the_sixth_wrong_password_locks_the_account_for_a_while(client, pat):
    for _ in range(5):
        sign_in_with_password(client, "pat", "guess")

    response = sign_in_with_password(client, "pat")

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_a_clinician_enrols_an_authenticator_and_gets_recovery_codes(client, dana):
    sign_in_with_password(client, "dana")
    setup = client.get("/accounts/two-factor/setup/")
    assert "<svg" in setup.text
    device = TOTPDevice.objects.get(user=dana.user, confirmed=False)

    response = client.post("/accounts/two-factor/setup/", {"code": code_for(device)})

    assert response.status_code == 200
    assert len(StaticToken.objects.filter(device__user=dana.user)) == 10
    assert client.get("/caseload/").status_code == 200


def test_a_wrong_enrolment_code_confirms_nothing(client, dana):
    sign_in_with_password(client, "dana")
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=dana.user)

    response = client.post(
        "/accounts/two-factor/setup/",
        {"code": "000000" if code_for(device) != "000000" else "111111"},
    )

    assert "That code does not match." in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/caseload/")["Location"] == "/accounts/two-factor/setup/"


def test_wrong_codes_slow_down_the_next_attempts(client, dana):
    device = confirmed_device(dana.user)
    sign_in_with_password(client, "dana")
    client.post("/accounts/two-factor/", {"code": "12345"})

    response = client.post("/accounts/two-factor/", {"code": code_for(device)})

    assert "Too many wrong codes." in response.text
    assert client.get("/caseload/").status_code == 302


def test_a_clinician_needs_a_valid_code_and_a_code_works_only_once(client, dana, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # throttling has its own test above
    device = confirmed_device(dana.user)
    sign_in_with_password(client, "dana")
    assert client.get("/caseload/")["Location"] == "/accounts/two-factor/"

    bad = client.post("/accounts/two-factor/", {"code": "12345"})
    assert "That code is not valid, or it was already used." in bad.text
    code = code_for(device)
    assert client.post("/accounts/two-factor/", {"code": code})["Location"] == "/"
    assert client.get("/caseload/").status_code == 200

    client.logout()
    sign_in_with_password(client, "dana")
    reused = client.post("/accounts/two-factor/", {"code": code})
    assert "already used" in reused.text
    assert AuditEvent.objects.filter(action="verify_second_factor", outcome="denied").count() == 2


def test_a_recovery_code_works_once_in_place_of_the_authenticator(client, dana, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    confirmed_device(dana.user)
    sign_in_with_password(client, "dana")
    client.post("/accounts/recovery-codes/")  # refused: not verified yet, redirected
    from trellis.accounts.twofactor import new_recovery_codes

    codes = new_recovery_codes(dana.user)

    assert client.post("/accounts/two-factor/", {"code": codes[0]})["Location"] == "/"
    client.logout()
    sign_in_with_password(client, "dana")
    assert "already used" in client.post("/accounts/two-factor/", {"code": codes[0]}).text
    assert client.post("/accounts/two-factor/", {"code": codes[1]})["Location"] == "/"


def test_an_expired_session_sends_the_user_back_to_sign_in(client, pat):
    sign_in_with_password(client, "pat")
    assert client.get("/me/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))

    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sessions_expire_when_idle_and_when_the_browser_closes(settings):
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_tampered_form_is_refused_and_changes_nothing(pat):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "pat", "password": PASSWORD})

    assert response.status_code == 403
    assert "nothing was saved" in response.text
    assert "_auth_user_id" not in strict.session
