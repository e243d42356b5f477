"""Write and check the audit log. `record` is called by every access_* read and every action."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import models, transaction
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
    with transaction.atomic():
        head = _locked_head()
        event = _entry(head, actor, action, object_type, object_id, outcome, purpose, detail)
        event.save()
        head.save(update_fields=["seq", "hash"])
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
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, seq=0, hash=auditchain.GENESIS)
    return head


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
