"""A supervisor downloads the TEDS admissions file; a researcher builds the de-identified
export, then is refused once a group falls below five people. Both pages at phone and desktop
sizes pass the page checks."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check, staff_tab
from tests.web.reporting.conftest import cohort_member
from trellis.core.episode_export import ADMISSION_FIELDS

DASHBOARD = re.compile(r"^http://[^/]+/$")


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_supervisor_downloads_the_admissions_file(visit, program, sam, size, label, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    for n in range(3):
        cohort_member(program, sam.user, n)
    tab = staff_tab(visit, sam.user, size)
    page = tab.page
    page.get_by_role("link", name="Exports").click()
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To").fill("2026-12-31")
    page.get_by_label("Program").select_option(label=program.name)
    page.get_by_role("button", name="Show counts").click()
    expect(page.get_by_test_id("admissions")).to_contain_text("3 episodes admitted in the range")
    expect(page.get_by_test_id("discharges")).to_contain_text("2 episodes discharged")
    check(tab, f"reporting-episodes-{label}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Admissions (TEDS-A), CSV").click()
    text = Path(download.value.path()).read_text()
    assert text.splitlines()[0].split(",") == list(ADMISSION_FIELDS)
    assert len(text.splitlines()) == 4


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_researcher_builds_the_export_and_then_is_refused(
    visit, program, rae, size, label, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    for n in range(5):
        cohort_member(program, rae.user, n)
    tab = staff_tab(visit, rae.user, size, landing=DASHBOARD)
    page = tab.page
    page.get_by_role("link", name="Research export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De-identified research export")
    check(tab, f"reporting-research-{label}")

    with page.expect_download() as download:
        page.get_by_role("button", name="Build export").click()
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as archive:
        assert archive.read("episodes.csv").decode().count("\n") == 6

    cohort_member(program, rae.user, 8, sex_at_birth="male")
    page.get_by_role("button", name="Build export").click()
    expect(page.get_by_test_id("refusal")).to_contain_text(
        "Export refused: 1 record falls in a group of fewer than 5 people"
    )
    check(tab, f"reporting-research-refused-{label}")
