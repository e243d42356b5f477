"""A supervisor adds someone to the waitlist from their intake, runs the equitable allocation,
reads the report and accepts it: the placements become episodes. A supervisor reads what
people need and removes someone with a reason. Phone and desktop sizes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check, staff_tab
from tests.web.waitlist.conftest import complete_program, completed_intake, someone, waiting
from trellis.people.models import Episode
from trellis.waitlist.models import AllocationRun

SHOTS = Path("/tmp/shots/allocation")
NEEDS = {
    "Avery": "Evening groups after work; childcare on Tuesdays and Thursdays; no stairs "
    "(knee surgery in March).",
    "Casey": "Spanish-speaking counsellor preferred.",
}


def shot(tab, name: str) -> None:
    check(tab, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tab.shot(name), SHOTS / f"{name}.png")


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_supervisor_adds_someone_runs_equitable_reads_the_report_and_accepts(
    visit, sam, pat, dana, program, size, label, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    complete_program(program.name, slots=2)
    hilltop = complete_program(
        "Hilltop House", level="3.5", slots=1, service="residential", insurance=["medicare"]
    )
    for given, days in (("Avery", 30), ("Blake", 20), ("Casey", 10)):
        waiting(someone(program, given), sam.user, days=days, needs=NEEDS.get(given, ""))
    completed_intake(pat.person, dana.user, urgent=True)
    tab = staff_tab(visit, sam.user, size)
    page = tab.page

    page.get_by_role("link", name="Allocation").click()
    expect(page.get_by_test_id("waiting-row")).to_have_count(3)
    shot(tab, f"allocation-overview-{label}")
    page.get_by_role("link", name="Hilltop House").click()
    expect(page.get_by_test_id("capacity")).to_contain_text("residential")
    shot(tab, f"allocation-program-{label}")
    page.get_by_role("link", name="Allocation", exact=True).first.click()

    page.get_by_role("link", name="Add someone to the waitlist").click()
    page.get_by_label("Person").select_option(label="Example, Pat")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("urgent-hint")).to_be_visible()
    expect(page.get_by_label("Level of care")).to_have_value("3.5")
    expect(page.get_by_label("Maximum travel (km)")).to_have_value("35")
    shot(tab, f"allocation-add-{label}")
    page.get_by_role("button", name="Add to the waitlist").click()
    expect(page.get_by_text("Pat Example added to the waitlist.")).to_be_visible()
    expect(page.get_by_test_id("waiting-row")).to_have_count(4)

    page.get_by_label("Policy").select_option("equitable")
    page.get_by_label("Equity floor").fill("0.8")
    page.get_by_role("button", name="Propose an allocation").click()
    expect(page.get_by_test_id("policy")).to_have_text("equitable")
    assignments = page.get_by_test_id("assignment")
    expect(assignments).to_have_count(3)
    expect(assignments.filter(has_text="Pat Example")).to_contain_text("Hilltop House")
    expect(page.get_by_test_id("unplaced-row")).to_have_count(1)
    everyone = page.locator("[data-testid=assignment], [data-testid=unplaced-row]")
    expect(everyone.filter(has_text="Avery Waiting")).to_contain_text(NEEDS["Avery"])
    expect(page.get_by_test_id("comparison")).to_contain_text("fcfs")
    expect(page.get_by_test_id("fairness-sex")).to_be_visible()
    shot(tab, f"allocation-run-{label}")

    page.get_by_role("button", name="Accept this allocation").click()
    expect(page.get_by_text("Allocation accepted: 3 people admitted.")).to_be_visible()
    expect(page.get_by_test_id("run-status")).to_contain_text("Accepted")
    shot(tab, f"allocation-accepted-{label}")

    assert AllocationRun.objects.get().status == "accepted"
    assert Episode.objects.filter(program=hilltop, person=pat.person, level_of_care="3.5").exists()
    assert Episode.objects.count() == 3


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_supervisor_reads_the_needs_removes_someone_and_finds_the_reason_later(
    visit, sam, program, size, label, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    complete_program(program.name, slots=2)
    for given, days in (("Avery", 30), ("Blake", 20), ("Casey", 10)):
        waiting(someone(program, given), sam.user, days=days, needs=NEEDS.get(given, ""))
    tab = staff_tab(visit, sam.user, size)
    page = tab.page

    page.get_by_role("link", name="Allocation").click()
    expect(page.get_by_test_id("needs")).to_have_count(2)
    expect(page.get_by_test_id("needs").first).to_contain_text(NEEDS["Avery"])
    page.get_by_test_id("waiting-row").filter(has_text="Casey").get_by_role(
        "link", name="Remove"
    ).click()
    expect(page.get_by_test_id("needs")).to_contain_text(NEEDS["Casey"])
    shot(tab, f"allocation-remove-{label}")
    page.get_by_label("Reason").fill("Found a place at a program closer to home.")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Casey Waiting removed from the waitlist.")).to_be_visible()
    expect(page.get_by_test_id("waiting-row")).to_have_count(2)
    shot(tab, f"allocation-overview-needs-{label}")

    page.get_by_role("link", name="People removed from the waitlist").click()
    row = page.get_by_test_id("removed-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Casey Waiting")
    expect(row).to_contain_text("Found a place at a program closer to home.")
    expect(row).to_contain_text(NEEDS["Casey"])
    shot(tab, f"allocation-removed-{label}")
