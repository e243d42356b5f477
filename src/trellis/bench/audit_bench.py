"""Audit-log writes per second against plain inserts of the same rows (the hash chain's cost)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from trellis.bench.runner import Row, figure, row


@figure("audit")
def audit_writes(quick: bool) -> Iterator[Row]:
    from trellis.commands import _django

    _django.setup()
    from django.db import transaction

    from trellis.audit import log
    from trellis.audit.models import AuditEvent

    n = 200 if quick else 2000
    start = time.perf_counter()
    for i in range(n):
        log.record(None, "bench", object_type="Bench", object_id=str(i))
    chained = n / (time.perf_counter() - start)
    start = time.perf_counter()
    with transaction.atomic():
        for i in range(n):
            AuditEvent.objects.create(
                seq=10**12 + i, action="bench-plain", object_id=str(i), previous="", hash=""
            )
        transaction.set_rollback(
            True
        )  # the plain rows would break the chain; measured, then discarded
    plain = n / (time.perf_counter() - start)
    yield row("audit.writes_per_s", chained, "writes/s", baseline=plain, n=n)
