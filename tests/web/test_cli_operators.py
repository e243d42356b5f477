from __future__ import annotations

import pytest
from django.db import connection

from trellis.accounts.models import ApiToken, hash_token
from trellis.cli import main
from trellis.core.encryption import KeyRing, new_key
from trellis.people.models import BreakGlassAccess
from trellis.security import fields


def test_token_create_prints_a_working_token_once(pat, capsys):
    assert main(["token", "create", "pat", "--name", "script"]) == 0

    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=pat.user)
    assert token.key_hash == hash_token(raw)
    assert token.name == "script"


def test_token_create_for_an_unknown_user_exits_2_and_stores_nothing(db, capsys):
    assert main(["token", "create", "nobody"]) == 2

    assert "USERNAME must be the username of an active account" in capsys.readouterr().err
    assert not ApiToken.objects.exists()


def test_an_unknown_verb_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["frobnicate"])
    assert exit_.value.code == 2


def stored_reasons() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM people_breakglassaccess ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def grants(pat, eli, settings, monkeypatch):
    old = new_key()
    settings.ENCRYPTION_KEYS = old
    monkeypatch.setenv("TRELLIS_ENCRYPTION_KEYS", old)
    from django.utils import timezone

    for text in ("first reason, written down", "second reason, written down"):
        BreakGlassAccess.objects.create(
            person=pat.person, user=eli.user, reason=text, expires_at=timezone.now()
        )
    return old


def test_keys_rotate_re_encrypts_everything_with_the_new_key_without_loss(grants, settings, capsys):
    new = new_key()
    settings.ENCRYPTION_KEYS = f"{new},{grants}"
    before = stored_reasons()

    assert main(["keys", "rotate"]) == 0

    after = stored_reasons()
    assert "re-encrypted 2 values in 2 rows" in capsys.readouterr().out
    assert all(a != b for a, b in zip(after, before, strict=True))
    only_new = KeyRing.parse(new)
    assert [only_new.decrypt(v) for v in after] == [
        "first reason, written down",
        "second reason, written down",
    ]
    settings.ENCRYPTION_KEYS = new
    assert (
        sorted(g.reason for g in BreakGlassAccess.objects.all())[0] == "first reason, written down"
    )


def test_values_written_with_a_removed_key_cannot_be_read(grants, settings):
    settings.ENCRYPTION_KEYS = new_key()
    fields._ring.cache_clear()

    with pytest.raises(ValueError, match="no key in TRELLIS_ENCRYPTION_KEYS"):
        list(BreakGlassAccess.objects.all())
