"""A clinician works the caseload dashboard: sees the riskiest first, acknowledges and resolves an
alert, opens the progress page and accepts a stepped-care proposal."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check, staff_tab
from tests.web.monitoring.conftest import checkin_row, score_row
from trellis.alerts.actions import raise_alert
from trellis.alerts.models import Alert
from trellis.monitoring.actions import evaluate
from trellis.plans.models import Plan


def test_a_clinician_acknowledges_and_resolves_an_alert_from_the_dashboard(
    visit, pat, dana, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    for days_ago in range(8, 1, -1):
        checkin_row(pat.person, days_ago)
    checkin_row(pat.person, 1, used=True, use_amount="2 drinks", craving=8)
    evaluate(pat.person, by=None)
    alert = Alert.objects.get(person=pat.person, kind="return_to_use")
    tab = staff_tab(visit, dana.user, DESKTOP)

    case = tab.page.get_by_test_id("alert").filter(has_text="Return to use")
    expect(case).to_be_visible()
    check(tab, "caseload-desktop")
    case.get_by_label("What was done").fill("Called Pat; extra group session booked.")
    case.get_by_role("button", name="Acknowledge").click()
    expect(tab.page.get_by_text("Alert acknowledged.")).to_be_visible()

    case = tab.page.get_by_test_id("alert").filter(has_text="Return to use")
    expect(case).to_contain_text("acknowledged by dana")
    case.get_by_label("What was done").fill("Seen today; plan reviewed.")
    case.get_by_role("button", name="Resolve").click()
    expect(tab.page.get_by_text("Alert resolved.")).to_be_visible()
    expect(tab.page.get_by_test_id("alert").filter(has_text="Return to use")).to_have_count(0)

    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert alert.resolution == "Seen today; plan reviewed."


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_progress_page_and_accepting_a_proposal(
    visit, pat, dana, mood_plan, size, label, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    score_row(pat.person, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], 61, dana.user)
    score_row(pat.person, "phq9", [3, 2, 2, 2, 2, 2, 2, 2, 0], 0, dana.user)
    checkin_row(pat.person, 3, craving=4)
    raise_alert(
        pat.person,
        kind="craving_spike",
        severity="medium",
        reasons=["Craving 8."],
        event_key="c",
        by=None,
    )
    tab = staff_tab(visit, dana.user, size)
    check(tab, f"caseload-{label}")

    tab.page.get_by_role("link", name="Progress").first.click()
    expect(tab.page.get_by_role("heading", name="Stepped-care proposals")).to_be_visible()
    expect(tab.page.get_by_test_id("proposal")).to_contain_text("Depression is not responding")
    expect(tab.page.get_by_test_id("measure-phq9")).to_contain_text("moderately severe")
    check(tab, f"progress-{label}")
    tab.page.get_by_role("button", name="Accept: make a new plan version").click()

    expect(tab.page.get_by_text("Proposal accepted: plan version 2.")).to_be_visible()
    assert Plan.objects.filter(person=pat.person).current().version == 2
