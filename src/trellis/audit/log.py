"""Write and check the audit log. `record` is called by every access_* read and every action."""

# ruff: noqa: S608 - the SQL is assembled from the models' table and column names only; every
# value is a query parameter.

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from trellis.audit.models import AuditEvent, AuditHead, Outcome
from trellis.core import auditchain

# The address of the request being served, set by RequestContextMiddleware.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    outcome: str = Outcome.ALLOWED,
    purpose: str = "",
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    """Append one entry: who (and in which role), did what, to which record, why, from where."""
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    # Without a savepoint of its own: inside a write's transaction, the write and its entry are
    # stored together or not at all.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event = _entry(head, actor, action, object_type, object_id, outcome, purpose, detail)
        _append(event, head)
    return event


def record_many(
    actor: Any, action: str, entries: Sequence[tuple[models.Model, dict[str, object]]]
) -> None:
    """`record(actor, action, obj, detail=detail)` for each (obj, detail), in order: the same
    entries chained the same way, with the head locked once and one insert for all of them."""
    if not entries:
        return
    with transaction.atomic():
        head = _locked_head()
        events = [
            _entry(
                head,
                actor,
                action,
                type(obj).__name__,
                str(getattr(obj, "public_id", None) or obj.pk),
                Outcome.ALLOWED,
                "",
                detail,
            )
            for obj, detail in entries
        ]
        AuditEvent.objects.bulk_create(events)
        head.save(update_fields=["seq", "hash"])


def _entry(
    head: AuditHead,
    actor: Any,
    action: str,
    object_type: str,
    object_id: str,
    outcome: str,
    purpose: str,
    detail: dict[str, object] | None,
) -> AuditEvent:
    """The next entry after `head`, chained to it; `head` moves on to it (not yet saved)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=user,
        actor_username=getattr(user, "username", ""),
        actor_role=getattr(user, "role", ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        purpose=str(purpose),
        detail=detail or {},
        ip=current_ip.get(),
        previous=head.hash,
    )
    event.hash = auditchain.entry_hash(event.previous, event.chained_fields())
    head.seq, head.hash = event.seq, event.hash
    return event


def _locked_head() -> AuditHead:
    # Every audited request passes here: plain SQL, a third of the CPU of the ORM's query.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {_table(AuditHead)} WHERE id = 1{lock}")
        row = cursor.fetchone()
    if row is None:
        return AuditHead.objects.create(pk=1, seq=0, hash=auditchain.GENESIS)
    return AuditHead(pk=1, seq=row[0], hash=row[1])


def _append(event: AuditEvent, head: AuditHead) -> None:
    """Insert the entry and move the head on to it, as `event.save()` and `head.save()` would:
    in one statement on PostgreSQL, two elsewhere."""
    insert, move = _statements(connection.vendor)
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in _columns()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH moved AS ({move}) {insert} RETURNING id", [head.seq, head.hash, *values]
            )
            event.pk = cursor.fetchone()[0]
        else:
            cursor.execute(insert, values)
            event.pk = cursor.lastrowid
            cursor.execute(move, [head.seq, head.hash])
    event._state.adding, event._state.db = False, connection.alias


@cache
def _statements(vendor: str) -> tuple[str, str]:
    names = ", ".join(connection.ops.quote_name(f.column) for f in _columns())
    places = ", ".join(["%s"] * len(_columns()))
    insert = f"INSERT INTO {_table(AuditEvent)} ({names}) VALUES ({places})"
    return insert, f"UPDATE {_table(AuditHead)} SET seq = %s, hash = %s WHERE id = 1"


@cache
def _columns() -> list[models.Field]:
    return [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def links() -> Iterator[auditchain.Link]:
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        yield auditchain.Link(event.seq, event.chained_fields(), event.previous, event.hash)


def verify() -> auditchain.Break | None:
    """Check the whole chain, including that the newest entries were not cut off the end."""
    broken = auditchain.verify(links())
    if broken is not None:
        return broken
    head = AuditHead.objects.filter(pk=1).first()
    last = AuditEvent.objects.order_by("-seq").first()
    if head is not None and (last is None or last.seq != head.seq or last.hash != head.hash):
        return auditchain.Break(head.seq, "entry missing (the newest entries were removed)")
    return None
