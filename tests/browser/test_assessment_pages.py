"""A clinician runs an intake to a placement; a person answers a questionnaire on a phone."""

from __future__ import annotations

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check
from tests.conftest import PASSWORD, confirmed_device
from trellis.alerts.models import Alert
from trellis.assessments.models import Intake, Score


def test_a_clinician_runs_an_intake_from_sections_through_questionnaires_to_a_placement(
    visit, pat, dana
):
    device = confirmed_device(dana.user)
    tab = visit(DESKTOP)
    tab.sign_in("dana", PASSWORD)
    tab.page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    tab.page.get_by_role("button", name="Verify").click()

    tab.page.get_by_role("link", name="Pat Example").click()
    tab.page.get_by_role("link", name="Assessments").click()
    tab.page.get_by_role("button", name="Start or resume the intake").click()
    tab.page.get_by_label("Sex assigned at birth").select_option("female")
    tab.page.get_by_role("button", name="Save and continue").click()
    tab.page.locator("select[name='substances-0-substance']").select_option("alcohol")
    tab.page.locator("input[name='substances-0-dsm5_criteria_count']").fill("5")
    check(tab, "intake-substances-desktop")
    tab.page.get_by_role("button", name="Save and continue").click()

    expect(
        tab.page.get_by_role("heading", name="Patient Health Questionnaire-2 (PHQ-2)")
    ).to_be_visible()
    check(tab, "intake-questionnaires-desktop")
    tab.page.locator("input[name='item_1'][value='0']").check()
    tab.page.locator("input[name='item_2'][value='0']").check()
    tab.page.get_by_role("button", name="Save answers").click()
    expect(tab.page.get_by_text("negative screen: full questionnaire skipped")).to_be_visible()
    expect(tab.page.get_by_test_id("items-ratio")).to_contain_text(
        "Questionnaire items asked: 2 of"
    )

    tab.page.get_by_role("link", name="Review").click()
    expect(tab.page.get_by_test_id("placement")).to_contain_text("2.1")
    tab.page.get_by_role("button", name="Complete the intake").click()
    expect(tab.page.get_by_role("heading", name="Assessment of Pat Example")).to_be_visible()
    check(tab, "intake-result-desktop")
    assert Intake.objects.get().status == "completed"


def test_a_person_answers_a_questionnaire_on_a_phone_and_is_offered_help_at_once(visit, pat, dana):
    tab = visit(PHONE)
    tab.sign_in("pat", PASSWORD)

    tab.page.get_by_role("link", name="My questionnaires").click()
    check(tab, "self-report-list-phone")
    tab.page.get_by_role("link", name="Patient Health Questionnaire-9 (PHQ-9)").click()
    for n in range(1, 9):
        tab.page.locator(f"input[name='item_{n}'][value='1']").check()
    tab.page.locator("input[name='item_9'][value='1']").check()
    check(tab, "self-report-phq9-phone")
    tab.page.get_by_role("button", name="Send my answers").click()

    expect(tab.page.get_by_role("heading", name="You do not have to wait")).to_be_visible()
    expect(tab.page.get_by_role("link", name="Call 988")).to_be_visible()
    check(tab, "self-report-done-phone")
    assert Score.objects.get().total == 9
    assert Alert.objects.open().filter(person=pat.person, severity="urgent").count() == 1


def test_dast10_items_2_to_10_appear_only_after_a_yes_to_item_1(visit, pat):
    tab = visit(PHONE)
    tab.sign_in("pat", PASSWORD)
    tab.page.get_by_role("link", name="My questionnaires").click()
    tab.page.get_by_role("link", name="Drug Abuse Screening Test (DAST-10)").click()
    second = tab.page.get_by_text("2. Do you abuse more than one drug at a time?")

    expect(second).to_be_hidden()
    tab.page.locator("input[name='item_1'][value='true']").check()
    expect(second).to_be_visible()
    tab.page.locator("input[name='item_1'][value='false']").check()
    expect(second).to_be_hidden()
    check(tab, "self-report-dast10-phone")
    tab.page.get_by_role("button", name="Send my answers").click()

    expect(tab.page.get_by_role("heading", name="Thank you")).to_be_visible()
    stored = Score.objects.get()
    assert (stored.instrument, stored.total, stored.band) == ("dast10", 0, "no problems reported")
