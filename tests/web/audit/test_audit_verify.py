from __future__ import annotations

from itertools import pairwise

import pytest
from django.db import connection

from trellis.audit import log as audit
from trellis.audit.models import AuditEvent
from trellis.cli import main


@pytest.fixture
def chain(pat):
    for action in ("read", "update", "read", "export"):
        audit.record(pat.user, action, pat.person)
    return list(AuditEvent.objects.order_by("seq"))


def sql(statement: str, *params) -> None:
    """Tamper as a database superuser would: on PostgreSQL, past the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_on_postgresql_the_database_refuses_changes_to_the_log(chain):
    from django.db import DatabaseError, transaction

    if connection.vendor != "postgresql":
        assert (
            chain
        )  # SQLite has no trigger language for this; the hash chain still detects changes
        return
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE seq = %s", [chain[0].seq])


def test_an_intact_chain_verifies_with_exit_0(chain, capsys):
    assert main(["audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out


def test_a_changed_entry_is_named_with_exit_1(chain, capsys):
    sql("UPDATE audit_auditevent SET action = 'nothing' WHERE seq = %s", chain[2].seq)

    assert main(["audit", "verify"]) == 1
    assert (
        f"audit log broken at entry {chain[2].seq}: hash does not match" in capsys.readouterr().err
    )


def test_a_deleted_entry_is_named_with_exit_1(chain, capsys):
    sql("DELETE FROM audit_auditevent WHERE seq = %s", chain[1].seq)

    assert main(["audit", "verify"]) == 1
    assert f"audit log broken at entry {chain[1].seq}: entry missing" in capsys.readouterr().err


def test_a_cut_off_newest_entry_is_detected(chain, capsys):
    sql("DELETE FROM audit_auditevent WHERE seq = %s", chain[-1].seq)

    assert main(["audit", "verify"]) == 1
    assert "the newest entries were removed" in capsys.readouterr().err


def test_a_rewritten_chain_with_recomputed_hashes_is_still_caught_at_the_first_change(
    chain, capsys
):
    sql(
        "UPDATE audit_auditevent SET object_type = 'Other', hash = %s WHERE seq = %s",
        "f" * 64,
        chain[0].seq,
    )

    assert main(["audit", "verify"]) == 1
    assert f"entry {chain[0].seq}" in capsys.readouterr().err


def test_entries_cannot_be_changed_or_deleted_through_the_application(chain):
    entry = chain[0]
    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_each_entry_says_who_in_which_role_did_what_to_which_record(chain, pat):
    entry = chain[0]
    assert (entry.actor, entry.actor_role, entry.action) == (pat.user, "person", "read")
    assert (entry.object_type, entry.object_id) == ("Person", str(pat.public_id))
    assert entry.at is not None
    assert (
        entry.previous == "0" * 64
        or entry.previous == AuditEvent.objects.get(seq=entry.seq - 1).hash
    )


def test_entries_written_together_chain_exactly_as_entries_written_one_by_one(pat, dana):
    from trellis.people.models import Person

    audit.record(dana.user, "read", pat.person)
    audit.record_many(dana.user, "create", [(pat.person, {"n": 1}), (pat.person, {"n": 2})])
    audit.record(dana.user, "read", pat.person)
    events = list(AuditEvent.objects.order_by("seq"))[-4:]
    assert [e.action for e in events] == ["read", "create", "create", "read"]
    assert [e.detail for e in events[1:3]] == [{"n": 1}, {"n": 2}]
    assert events[1].object_type == type(pat.person).__name__ == Person.__name__
    assert all(later.previous == earlier.hash for earlier, later in pairwise(events))
    assert audit.verify() is None


def test_an_entry_reads_back_as_recorded_and_the_head_moves_on_to_it(pat, dana):
    from trellis.audit.models import AuditHead

    token = audit.current_ip.set("192.0.2.7")
    try:
        event = audit.record(dana.user, "read", pat.person, purpose="care", detail={"n": [1, "é"]})
    finally:
        audit.current_ip.reset(token)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.chained_fields() == event.chained_fields()
    assert stored.chained_fields()["ip"] == "192.0.2.7"
    assert (stored.previous, stored.hash) == (event.previous, event.hash)
    assert (AuditHead.objects.get().seq, AuditHead.objects.get().hash) == (event.seq, event.hash)
    assert audit.verify() is None
