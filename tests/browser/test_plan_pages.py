"""The person goes through the options of their plan on a phone and records a choice."""

from __future__ import annotations

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check
from tests.conftest import PASSWORD, confirmed_device
from trellis.plans.models import PlanDecision


def test_a_person_reads_the_options_in_plain_language_and_consents_with_a_teach_back(
    visit, plan, pat
):
    tab = visit(PHONE)
    tab.sign_in("pat", PASSWORD)

    tab.page.get_by_role("link", name="My plan").click()
    check(tab, "plan-person-phone")
    tab.page.get_by_role("link", name="Go through my options").click()
    option = tab.page.locator("#option-med\\.buprenorphine")
    expect(option).to_contain_text("A medicine that eases withdrawal and cravings for opioids")
    check(tab, "plan-decide-phone")
    option.get_by_label("Yes, I agree to this").check()
    option.get_by_label("In your own words").fill(
        "A daily film under the tongue that stops cravings"
    )
    option.get_by_role("button", name="Record my choice").click()

    expect(tab.page.locator("#option-med\\.buprenorphine")).to_contain_text("Informed consent")
    assert PlanDecision.objects.get().decision == "consent"


def test_a_clinician_sees_the_plan_with_its_options_and_versions(visit, plan, dana):
    device = confirmed_device(dana.user)
    tab = visit(DESKTOP)
    tab.sign_in("dana", PASSWORD)
    tab.page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    tab.page.get_by_role("button", name="Verify").click()

    tab.page.goto(f"/plans/{plan.public_id}/")

    expect(tab.page.get_by_test_id("interventions")).to_contain_text("Buprenorphine")
    check(tab, "plan-clinician-desktop")
