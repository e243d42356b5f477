"""A supervisor opens each quality dashboard at phone and desktop sizes and downloads a CSV;
a clinician records a visit on a person's record."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check, staff_tab
from tests.web.oversight.conftest import dashboard_world  # noqa: F401 (a fixture)

SHOTS = Path("/tmp/shots/oversight")
SECTIONS = ("fidelity", "variation", "outcomes", "access", "equity")


def keep(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.usefixtures("dashboard_world")
@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_supervisor_opens_each_dashboard_and_downloads_its_csv(visit, sam, size, label, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    tab = staff_tab(visit, sam.user, size)

    tab.page.get_by_role("link", name="Quality").click()
    expect(tab.page.get_by_role("heading", name="Quality and equity")).to_be_visible()
    check(tab, f"oversight-index-{label}")
    keep(tab, f"index-{label}")
    for section in SECTIONS:
        tab.page.goto(f"/oversight/{section}/")
        expect(tab.page.locator("svg.bar-chart").first).to_be_visible()
        check(tab, f"oversight-{section}-{label}")
        keep(tab, f"{section}-{label}")

    tab.page.goto("/oversight/access/")
    engagement = tab.page.get_by_test_id("table-engagement")
    expect(engagement).to_contain_text("20%")
    with tab.page.expect_download() as download:
        engagement.get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["Measure,People,Rate", "No-show rate (sessions),1,20%"]

    tab.page.goto("/oversight/access/?date_from=2026-02-30")
    expect(tab.page.get_by_text("From must be a date as YYYY-MM-DD.")).to_be_visible()
    keep(tab, f"bad-date-{label}")


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_clinician_records_a_visit(visit, pat, dana, size, label, settings):
    from trellis.oversight.models import Visit

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    tab = staff_tab(visit, dana.user, size)
    tab.page.goto(f"/people/{pat.public_id}/visits/")
    expect(tab.page.get_by_text("No visit recorded yet.")).to_be_visible()

    tab.page.get_by_label("Kind of visit").select_option("first_contact")
    tab.page.get_by_label("What happened").select_option("attended")
    tab.page.get_by_role("button", name="Record the visit").click()

    expect(tab.page.get_by_text("Visit recorded.")).to_be_visible()
    expect(tab.page.get_by_test_id("visits")).to_contain_text("First contact")
    check(tab, f"visits-{label}")
    keep(tab, f"visits-{label}")
    assert Visit.objects.get().kind == "first_contact"
