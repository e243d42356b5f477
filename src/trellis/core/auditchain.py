"""The audit log's hash chain: each entry's hash covers its own fields and the previous hash,
so changing or deleting any entry breaks every hash after it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64


def entry_hash(previous: str, fields: Mapping[str, object]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Link:
    seq: int
    fields: Mapping[str, object]
    previous: str
    hash: str


@dataclass(frozen=True, slots=True)
class Break:
    seq: int
    reason: str


def verify(links: Iterable[Link]) -> Break | None:
    """Return the first broken link, or None when the chain is intact.

    A gap in sequence numbers means a deleted entry; a wrong `previous` means a deleted or
    reordered entry; a wrong `hash` means a changed entry.
    """
    expected_previous, expected_seq = GENESIS, None
    for link in links:
        if expected_seq is not None and link.seq != expected_seq:
            return Break(expected_seq, "entry missing (deleted)")
        if link.previous != expected_previous:
            return Break(link.seq, "previous hash does not match (an entry before it was removed)")
        if entry_hash(link.previous, link.fields) != link.hash:
            return Break(link.seq, "hash does not match its contents (entry changed)")
        expected_previous, expected_seq = link.hash, link.seq + 1
    return None
