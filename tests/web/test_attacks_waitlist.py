"""Attacks (issue 11): stored scripts in the waitlist's free text, field by field.

`test_attacks.py` puts one payload everywhere, the waiting person's name included, so a waitlist
page passes there even if it showed no other field. Here each field carries its own payload,
and each page that shows the field must show that payload, escaped, and never run it.
"""

from __future__ import annotations

import pytest
from django.utils.html import escape

from tests.conftest import sign_in
from tests.web.test_authorization_matrix import app_urls, concrete
from tests.web.waitlist.matrix_rows import waitlist_world


def payload(field: str) -> str:
    # Short enough for the service label (60 characters).
    return f"<script>{field}</script><img src=x onerror={field}>"


# The field: the pages that must show it.
SHOWN_ON = {
    "needs": {"waitlist:overview", "waitlist:entry_remove", "waitlist:run"},  # left waiting
    "gone_needs": {"waitlist:removed"},
    "gone_reason": {"waitlist:removed"},
    "change_reason": {"waitlist:run"},
    "service": {"waitlist:overview", "waitlist:program"},
}


def plant(values: dict[str, str], by: object) -> None:
    """A payload in each free-text field of the waitlist, through the actions where there is one."""
    from trellis.waitlist import actions
    from trellis.waitlist.models import AllocationRun, Capacity, WaitlistEntry

    entry = WaitlistEntry.objects.get(public_id=values["waitlist_entry_id"])
    entry.needs = payload("needs")
    entry.save(update_fields=["needs"])
    gone = WaitlistEntry.objects.get(public_id=values["removed_entry_id"])
    gone.needs, gone.removed_reason = payload("gone_needs"), payload("gone_reason")
    gone.save(update_fields=["needs", "removed_reason"])
    program = values["program_id"]
    Capacity.objects.filter(program__public_id=program).update(service=payload("service"))
    run = AllocationRun.objects.get(public_id=values["run_id"])
    actions.change_run(run, entry, to_program=None, reason=payload("change_reason"), by=by)


@pytest.fixture
def planted(quinn, sam):
    values = waitlist_world(quinn.person, sam.user)
    plant(values, sam.user)
    return values


def test_each_field_shows_escaped_on_every_page_that_shows_it(client, sam, planted):
    sign_in(client, sam)
    pages = {n: r for n, r in app_urls().items() if n.startswith("waitlist:")}

    raw, missing = set(), set()
    for name, route in pages.items():
        response = client.get(concrete(route, planted))
        if response.status_code != 200:
            continue  # POST-only addresses
        body = response.content.decode()
        for field, shown_on in SHOWN_ON.items():
            if f"<script>{field}" in body or f"onerror={field}>" in body:
                raw.add((name, field))
            if name in shown_on and escape(payload(field)) not in body:
                missing.add((name, field))

    assert raw == set()
    assert missing == set()
    assert set().union(*SHOWN_ON.values()) <= set(pages)


def test_a_reason_typed_on_the_remove_page_comes_back_escaped_on_the_removed_page(
    client, sam, planted
):
    from trellis.waitlist.models import WaitlistEntry

    sign_in(client, sam)
    entry_id = planted["waitlist_entry_id"]
    typed = payload("typed")

    client.post(f"/allocation/waitlist/{entry_id}/remove/", {"reason": typed})

    assert WaitlistEntry.objects.get(public_id=entry_id).removed_reason == typed
    body = client.get("/allocation/waitlist/removed/").content.decode()
    assert escape(typed) in body
    assert "<script>typed" not in body


def test_the_needs_of_someone_placed_show_escaped_with_their_placement(client, quinn, sam):
    from trellis.waitlist.models import WaitlistEntry

    values = waitlist_world(quinn.person, sam.user)  # quinn is placed by the run
    WaitlistEntry.objects.filter(public_id=values["waitlist_entry_id"]).update(
        needs=payload("placed")
    )
    sign_in(client, sam)

    body = client.get(f"/allocation/runs/{values['run_id']}/").content.decode()

    placed = body[body.index('data-testid="assignments"') : body.index('id="unplaced"')]
    assert escape(payload("placed")) in placed
    assert "<script>placed" not in body
