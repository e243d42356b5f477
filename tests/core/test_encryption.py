import pytest

from trellis.core.encryption import KeyRing, KeyRingError, new_key


def test_a_value_round_trips_and_is_not_readable_in_the_stored_form():
    ring = KeyRing.parse(new_key())

    token = ring.encrypt("I drank last night after the argument")

    assert "drank" not in token
    assert ring.decrypt(token) == "I drank last night after the argument"


def test_the_same_text_encrypts_differently_each_time():
    ring = KeyRing.parse(new_key())
    assert ring.encrypt("same") != ring.encrypt("same")


def test_an_old_key_kept_in_the_ring_still_decrypts_and_the_value_is_marked_for_rotation():
    old, new = new_key(), new_key()
    token = KeyRing.parse(old).encrypt("note")
    ring = KeyRing.parse(f"{new},{old}")

    assert ring.decrypt(token) == "note"
    assert ring.needs_rotation(token)
    assert not ring.needs_rotation(ring.encrypt("note"))


def test_a_changed_ciphertext_is_refused():
    ring = KeyRing.parse(new_key())
    token = ring.encrypt("note")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    with pytest.raises(Exception):  # noqa: B017, PT011 - cryptography's InvalidTag or a base64 error
        ring.decrypt(tampered)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "must hold at least one key"),
        ("c2hvcnQ=", "keys must be 32 bytes"),
        ("!!!", "not base64"),
    ],
)
def test_a_bad_key_ring_is_refused_with_a_clear_message(keys, message):
    with pytest.raises(KeyRingError, match=message):
        KeyRing.parse(keys)
