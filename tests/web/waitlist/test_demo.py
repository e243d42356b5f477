"""The demo capacity and waitlist give the supervisor's page something real to allocate."""

from __future__ import annotations

from django.utils import timezone

from trellis.waitlist import actions, demo, inputs
from trellis.waitlist.models import WaitlistEntry


def test_the_demo_waitlist_has_varied_groups_and_complete_programs(program, sam):
    today = timezone.localdate()

    count = demo.load(program, today, by=sam.user)

    entries = list(WaitlistEntry.objects.all())
    assert count == len(entries) == len(demo.WAITING)
    for attribute, at_least in (
        ("race_ethnicity", 5),
        ("sex", 2),
        ("rurality", 2),
        ("language", 2),
    ):
        assert len({e.groups[attribute] for e in entries}) >= at_least, attribute
    assert len(inputs.capacity_document()) == sum(len(p[4]) for p in demo.PROGRAMS)
    run = actions.propose_run(policy="equitable", equity_floor=0.8, by=sam.user, today=today)
    placed = run.result["runs"]["equitable"]["people_placed"]
    assert 0 < placed < count, "some are placed, some still wait"
