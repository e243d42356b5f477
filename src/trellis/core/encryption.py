"""Field-level encryption: AES-256-GCM with a key ring, so keys can rotate without loss.

A stored value reads `enc1:<key id>:<base64 nonce+ciphertext>`. The first key of the ring
encrypts; every key of the ring decrypts. The key id is a short hash of the key, never the key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1"
NONCE_BYTES = 12


class KeyRingError(ValueError):
    """A key ring that cannot be used, or a value no key of the ring can open."""


def new_key() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class KeyRing:
    keys: tuple[bytes, ...]

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """Read comma-separated base64 keys; the first one encrypts."""
        keys = tuple(_decode_key(part.strip()) for part in text.split(",") if part.strip())
        if not keys:
            raise KeyRingError("TRELLIS_ENCRYPTION_KEYS must hold at least one key")
        return cls(keys)

    @property
    def primary_id(self) -> str:
        return key_id(self.keys[0])

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[0]).encrypt(nonce, plaintext.encode(), None)
        payload = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{PREFIX}:{self.primary_id}:{payload}"

    def decrypt(self, token: str) -> str:
        _prefix, kid, payload = _split(token)
        key = next((k for k in self.keys if key_id(k) == kid), None)
        if key is None:
            raise KeyRingError(f"no key in TRELLIS_ENCRYPTION_KEYS has id {kid}")
        raw = base64.urlsafe_b64decode(payload)
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()

    def needs_rotation(self, token: str) -> bool:
        return _split(token)[1] != self.primary_id


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise KeyRingError("the stored value is not an encrypted Trellis value")
    return parts[0], parts[1], parts[2]


def _decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, altchars=b"-_", validate=True)
    except ValueError as error:
        raise KeyRingError("TRELLIS_ENCRYPTION_KEYS holds a key that is not base64") from error
    if len(key) != 32:
        raise KeyRingError("TRELLIS_ENCRYPTION_KEYS keys must be 32 bytes (base64 of 256 bits)")
    return key
