"""Authorization-matrix rows for the capacity, waitlist and allocation pages (`trellis.waitlist`),
and the rows they need in the matrix's world.

Only the supervisor gets in; everyone else gets the same 404 as a missing page, and anyone
signed out is sent to sign in. POST-only addresses answer 405 to the supervisor's GET.
"""

from __future__ import annotations

from typing import Any

ROLES = (
    "anonymous",
    "person",
    "other_person",
    "clinician",
    "supervisor",
    "family",
    "navigator",
    "admin",
    "researcher",
)


def _supervisor(answer: int = 200) -> dict[str, int]:
    return {role: {"anonymous": 302, "supervisor": answer}.get(role, 404) for role in ROLES}


WAITLIST_MATRIX: dict[str, dict[str, int]] = {
    "waitlist:overview": _supervisor(),
    "waitlist:program": _supervisor(),  # program_id
    "waitlist:capacity": _supervisor(405),
    "waitlist:entry_new": _supervisor(),
    "waitlist:entry_remove": _supervisor(),  # waitlist_entry_id
    "waitlist:removed": _supervisor(),
    "waitlist:run_new": _supervisor(405),
    "waitlist:run": _supervisor(),  # run_id
    "waitlist:run_change": _supervisor(405),
    "waitlist:run_accept": _supervisor(405),
}


def waitlist_world(waiting_person: Any, supervisor: Any) -> dict[str, str]:
    """`waiting_person`'s program made complete with capacity, the person waiting (and removed
    once before), and a run."""
    from django.utils import timezone

    from tests.web.waitlist.conftest import complete_program, waiting
    from trellis.waitlist import actions

    program = complete_program(waiting_person.program.name)
    earlier = waiting(waiting_person, supervisor, days=200)
    actions.remove_entry(earlier, reason="Moved away; back since.", by=supervisor)
    entry = waiting(waiting_person, supervisor)
    run = actions.propose_run(
        policy="equitable", equity_floor=0.8, by=supervisor, today=timezone.localdate()
    )
    return {
        "program_id": str(program.public_id),
        "waitlist_entry_id": str(entry.public_id),
        "removed_entry_id": str(earlier.public_id),
        "run_id": str(run.public_id),
    }
