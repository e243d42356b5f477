from dataclasses import replace

from trellis.core.auditchain import GENESIS, Link, entry_hash, verify


def chain(n: int) -> list[Link]:
    links, previous = [], GENESIS
    for seq in range(1, n + 1):
        fields = {"seq": seq, "action": "read", "object_id": f"p{seq}"}
        link = Link(seq, fields, previous, entry_hash(previous, fields))
        links.append(link)
        previous = link.hash
    return links


def test_an_untouched_chain_has_no_break():
    assert verify(chain(5)) is None


def test_a_changed_field_breaks_at_that_entry():
    links = chain(5)
    links[2] = replace(links[2], fields={**links[2].fields, "action": "write"})

    assert verify(links).seq == 3


def test_a_deleted_entry_breaks_at_the_gap():
    links = chain(5)
    del links[1]

    broken = verify(links)
    assert (broken.seq, broken.reason) == (2, "entry missing (deleted)")


def test_the_hash_depends_on_the_previous_hash():
    fields = {"seq": 1}
    assert entry_hash(GENESIS, fields) != entry_hash("1" * 64, fields)
