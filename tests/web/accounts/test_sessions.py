"""Sessions are kept, renewed and ended as Django's database sessions keep them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.conftest import sign_in
from trellis.accounts.sessions import SessionStore


def stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_each_request_moves_the_idle_expiry_on_and_keeps_what_the_session_holds(client, pat):
    sign_in(client, pat)
    row = stored(client)
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(seconds=30))

    page = client.get("/me/")

    renewed = stored(client)
    assert page.status_code == 200
    assert renewed.expire_date > timezone.now() + timedelta(
        seconds=settings.SESSION_COOKIE_AGE - 60
    )
    assert renewed.get_decoded()["_auth_user_id"] == str(pat.user.pk)


def test_a_session_ended_meanwhile_is_not_written_again(pat):
    store = SessionStore()
    store["n"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).delete()
    store["n"] = 2

    with pytest.raises(UpdateError):
        store.save()

    assert not Session.objects.exists()


def test_a_session_reads_back_what_was_saved(pat):
    store = SessionStore()
    store.update({"n": 1, "text": "é & <b>"})
    store.create()
    store["n"] = 2
    store.save()

    again = SessionStore(store.session_key)

    assert (again["n"], again["text"]) == (2, "é & <b>")
    assert SessionStore("no-such-session-key")._get_session_from_db() is None
