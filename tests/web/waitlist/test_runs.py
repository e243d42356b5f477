"""Allocation runs: proposed from the waitlist and capacity as they stand, changed with a
reason, accepted once (placements become episodes), refused when their inputs changed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import sign_in
from tests.web.waitlist.conftest import complete_program
from trellis.audit.models import AuditEvent
from trellis.people.models import Episode
from trellis.waitlist.models import AllocationChange, AllocationRun, Capacity


def propose(client, policy="fcfs", floor="0.8"):
    response = client.post("/allocation/runs/new/", {"policy": policy, "equity_floor": floor})
    assert response.status_code == 302, response.content.decode()[:2000]
    return AllocationRun.objects.get(), response["Location"]


def names(rows):
    return sorted(r["entry"].person.given_name for r in rows)


def test_a_run_proposes_and_reports_who_goes_where_with_the_three_policies(
    client, sam, three_waiting
):
    sign_in(client, sam)

    run, location = propose(client, "fcfs")
    page = client.get(location)

    assert run.status == "proposed"
    assert [r["id"] for r in run.snapshot["requests"]] == [str(e.public_id) for e in three_waiting]
    assert names(page.context["assignments"]) == ["Avery", "Blake"]
    assert names(page.context["unplaced"]) == ["Casey"]
    assert page.context["report"]["unmet"]["count"] == 1
    assert [c["policy"] for c in page.context["comparison"]] == ["fcfs", "optimal", "equitable"]
    text = page.content.decode()
    assert "Riverbend" in text
    assert "all appropriate programs full" in text
    program_id = run.snapshot["capacity"][0]["id"]
    assert text.count(program_id) == text.count(f'value="{program_id}"'), "ids are never shown"
    assert AuditEvent.objects.filter(action="create", object_type="AllocationRun").count() == 1


def test_the_run_shows_the_needs_of_who_is_placed_and_who_still_waits(client, sam, three_waiting):
    avery, _blake, casey = three_waiting
    for entry, needs in ((avery, "Evening groups"), (casey, "Wheelchair access")):
        entry.needs = needs
        entry.save(update_fields=["needs"])
    sign_in(client, sam)

    _run, location = propose(client, "fcfs")
    page = client.get(location).content.decode()

    placed = page[page.index('data-testid="assignments"') : page.index('id="unplaced"')]
    still_waiting = page[page.index('data-testid="unplaced"') : page.index('id="unmet"')]
    assert "Evening groups" in placed
    assert "Wheelchair access" in still_waiting


def test_an_infeasible_equity_floor_is_said_plainly_with_the_floor_held(client, sam, three_waiting):
    sign_in(client, sam)

    run, location = propose(client, "equitable", "1")
    page = client.get(location)

    chosen = run.result["runs"]["equitable"]
    assert chosen["feasible"] is False
    assert "cannot be met" in page.content.decode()
    assert page.context["chosen"]["floor_held"] == chosen["floor_held"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"policy": "fcfs", "equity_floor": "1.5"}, "Equity floor must be a number from 0 to 1."),
        ({"policy": "fcfs", "equity_floor": "most"}, "Equity floor must be a number from 0 to 1."),
        (
            {"policy": "random", "equity_floor": "0.8"},
            "Policy must be one of fcfs, optimal, equitable.",
        ),
    ],
)
def test_a_bad_run_request_names_the_field_and_stores_nothing(
    client, sam, three_waiting, data, message
):
    sign_in(client, sam)

    response = client.post("/allocation/runs/new/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AllocationRun.objects.exists()


def test_accepting_admits_each_placed_person_once(client, sam, three_waiting):
    sign_in(client, sam)
    run, location = propose(client)

    client.post(f"{location}accept/")
    again = client.post(f"{location}accept/", follow=True)

    run.refresh_from_db()
    episodes = Episode.objects.order_by("person__given_name")
    assert [(e.person.given_name, e.level_of_care, e.admitted_on) for e in episodes] == [
        ("Avery", "1.0", timezone.localdate()),
        ("Blake", "1.0", timezone.localdate()),
    ]
    assert [e.status for e in three_waiting[0].__class__.objects.order_by("waiting_since")] == [
        "placed",
        "placed",
        "waiting",
    ]
    assert (run.status, run.accepted_by) == ("accepted", sam.user)
    assert Capacity.objects.get().slots == 0
    assert "This run is no longer proposed" in again.content.decode()
    assert AuditEvent.objects.filter(action="create", object_type="Episode").count() == 2


def test_a_run_whose_people_changed_since_is_refused(client, sam, three_waiting):
    sign_in(client, sam)
    run, location = propose(client)
    client.post(f"/allocation/waitlist/{three_waiting[0].public_id}/remove/", {"reason": "moved"})

    response = client.post(f"{location}accept/", follow=True)

    assert "The waitlist changed since this run" in response.content.decode()
    assert not Episode.objects.exists()
    run.refresh_from_db()
    assert run.status == "proposed"


def test_a_run_whose_capacity_changed_since_is_refused(client, sam, three_waiting, riverbend):
    sign_in(client, sam)
    _run, location = propose(client)
    Capacity.objects.update(slots=1)

    response = client.post(f"{location}accept/", follow=True)

    assert "Capacity changed since this run" in response.content.decode()
    assert not Episode.objects.exists()
    assert Capacity.objects.get().slots == 1


def test_the_supervisor_changes_a_proposal_with_a_reason(client, sam, three_waiting):
    blake, casey = str(three_waiting[1].public_id), str(three_waiting[2].public_id)
    sign_in(client, sam)
    run, location = propose(client)
    program = run.snapshot["capacity"][0]["id"]

    no_reason = client.post(f"{location}change/", {"entry": blake, "to_program": "", "reason": ""})
    full = client.post(f"{location}change/", {"entry": casey, "to_program": program, "reason": "x"})
    client.post(
        f"{location}change/", {"entry": blake, "to_program": "", "reason": "Wants to wait."}
    )
    client.post(f"{location}change/", {"entry": casey, "to_program": program, "reason": "Urgent."})
    page = client.get(location)

    assert "Reason must be 1 to 500 characters." in no_reason.content.decode()
    assert "Move to must be a program with a free place left." in full.content.decode()
    assert names(page.context["assignments"]) == ["Avery", "Casey"]
    assert names(page.context["unplaced"]) == ["Blake"]
    assert "left waiting by the supervisor" in page.content.decode()
    changes = list(AllocationChange.objects.values_list("from_program", "to_program", "reason"))
    assert changes == [(program, "", "Wants to wait."), ("", program, "Urgent.")]
    client.post(f"{location}accept/")
    assert sorted(Episode.objects.values_list("person__given_name", flat=True)) == [
        "Avery",
        "Casey",
    ]


def test_a_move_to_an_inappropriate_program_is_refused(client, sam, three_waiting):
    complete_program("Hilltop", level="3.5", slots=3, service="residential")
    sign_in(client, sam)
    run, location = propose(client)
    hilltop = next(p["id"] for p in run.snapshot["capacity"] if p["name"] == "Hilltop")

    response = client.post(
        f"{location}change/",
        {"entry": str(three_waiting[2].public_id), "to_program": hilltop, "reason": "try"},
    )

    assert response.status_code == 400
    assert "Move to must be an appropriate program" in response.content.decode()
    assert not AllocationChange.objects.exists()


def test_a_clinician_can_neither_see_nor_accept_a_run(client, sam, dana, three_waiting):
    sign_in(client, sam)
    _run, location = propose(client)
    sign_in(client, dana)

    assert client.get(location).status_code == 404
    assert client.post(f"{location}accept/").status_code == 404
    assert not Episode.objects.exists()
