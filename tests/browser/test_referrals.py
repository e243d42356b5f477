"""A navigator finds a housing service near a person, sends a referral under the person's
consent, and follows it to attended; the directory pages pass the page checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check, staff_tab
from tests.web.directory.conftest import consent_to_refer, housing_service
from trellis.referrals.models import Referral


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_navigator_refers_a_person_to_housing_and_marks_it_attended(
    visit, pat, nia, housing_plan, size, label, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    service = housing_service("near", lat=41.90, lon=-87.65, name="Harbor Housing Help")
    consent_to_refer(pat, service)
    tab = staff_tab(visit, nia.user, size, landing="**/referrals/")
    page = tab.page
    check(tab, f"referrals-worklist-{label}")
    page.get_by_role("link", name=pat.person.full_name).click()

    match = page.get_by_test_id("match").filter(has_text="Harbor Housing Help")
    expect(match).to_contain_text("offered in es")
    check(tab, f"referrals-person-{label}")
    match.get_by_label("Reason for the referral").fill("Needs stable housing near work.")
    match.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text("Referral sent to Harbor Housing Help.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Sent")

    page.get_by_label("Next step").select_option("accepted")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("status")).to_have_text("Accepted")
    page.get_by_label("Next step").select_option("scheduled")
    when = timezone.localtime() + timedelta(days=2)
    page.get_by_label("Appointment (date and time)").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("status")).to_have_text("Scheduled")
    page.get_by_label("Next step").select_option("attended")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("status")).to_have_text("Attended")
    check(tab, f"referral-detail-{label}")

    referral = Referral.objects.get()
    assert referral.status == "attended"
    assert [s.status for s in referral.steps.all()] == ["sent", "accepted", "scheduled", "attended"]


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_public_directory_search_and_calendar(visit, size, label, db):
    housing_service("near", lat=41.90, lon=-87.65, name="Harbor Housing Help")
    tab = visit(size)
    page = tab.page
    page.goto("/services/?lat=41.8781&lon=-87.6298&radius_km=10&category=com.housing")
    expect(page.get_by_test_id("service-hit")).to_contain_text("Harbor Housing Help")
    check(tab, f"directory-search-{label}")
    page.goto("/events/")
    check(tab, f"events-{label}")


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_person_sees_suggested_services_and_allows_sharing_for_a_referral(
    visit, pat, housing_plan, size, label
):
    from tests.browser.test_person_app import person_tab

    housing_service("near", lat=41.90, lon=-87.65, name="Harbor Housing Help")
    tab = person_tab(visit, size)
    page = tab.page
    page.goto("/me/referrals/")
    suggestion = page.get_by_test_id("suggestion").filter(has_text="Harbor Housing Help")
    expect(suggestion).to_contain_text("offered in es")
    check(tab, f"my-referrals-{label}")
    suggestion.get_by_role("link", name="Allow sharing with Harbor Housing for a referral").click()
    expect(page.get_by_label("Why you share it (the purpose)")).to_be_visible()
    check(tab, f"consent-for-referral-{label}")


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_an_administrator_curates_a_service_and_sees_who_changed_what(
    visit, ada, size, label, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    service = housing_service("near", lat=41.90, lon=-87.65, name="Harbor Housing Help")
    tab = staff_tab(visit, ada.user, size, landing="**/")
    page = tab.page
    page.goto("/directory/curate/")
    check(tab, f"directory-curate-{label}")
    page.get_by_role("link", name="Harbor Housing Help").click()
    page.get_by_label("Phone").fill("555-0142")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("1 field(s) changed.")).to_be_visible()
    expect(page.get_by_test_id("edit").first).to_contain_text("phone")
    page.get_by_role("button", name="Mark closed").click()
    expect(page.get_by_role("button", name="Open again")).to_be_visible()
    check(tab, f"directory-service-edit-{label}")
    service.refresh_from_db()
    assert service.phone == "555-0142"
    assert service.closed_at is not None
