"""A clinician answers a training vignette and sees the comparison with the reference; the
supervisor reads the agreement table. Phone and desktop sizes, with the page checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_page_checks import check, staff_tab
from trellis.training import actions
from trellis.training.models import TrainingAnswer

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_clinician_answers_a_vignette_and_sees_where_they_differ(
    visit, dana, size, label, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    tab = staff_tab(visit, dana.user, size)
    page = tab.page
    page.get_by_role("link", name="Training").click()
    expect(page.get_by_test_id("agreement-kappa")).to_contain_text("not enough answers")
    check(tab, f"training-home-{label}")

    page.get_by_role("link", name="Two overdoses this year").click()
    expect(page.get_by_test_id("narrative")).to_contain_text("revived with naloxone twice")
    page.get_by_label("2.5 Partial hospitalization").check()
    page.get_by_label("Overdose education and naloxone kit").check()
    page.get_by_label("Sleep hygiene").check()
    page.get_by_label("Note (optional)").fill("Would want a buprenorphine start.")
    check(tab, f"training-vignette-{label}")
    page.get_by_role("button", name="Submit and compare").click()

    expect(page.get_by_test_id("reference-level")).to_have_text(
        "3.5 Clinically managed high-intensity residential"
    )
    expect(page.get_by_test_id("level-verdict")).to_have_text(
        "Less intensive than the reference, by 2 levels."
    )
    expect(page.get_by_test_id("codes-both")).to_contain_text("safety.naloxone")
    expect(page.get_by_test_id("codes-extra")).to_contain_text("hol.sleep")
    expect(page.get_by_test_id("codes-missed")).to_contain_text("med.buprenorphine")
    check(tab, f"training-answer-{label}")
    assert TrainingAnswer.objects.get().reference_level == "3.5"


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_supervisor_reads_the_agreement_table(visit, dana, sam, size, label, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    actions.record_answer(dana.user, vignette_id="early-risky-drinking", level="0.5", codes=[])
    actions.record_answer(dana.user, vignette_id="mild-alcohol-anxiety", level="2.1", codes=[])
    tab = staff_tab(visit, sam.user, size)
    page = tab.page
    page.get_by_role("link", name="Training").click()
    page.get_by_role("link", name="Agreement of every trainee").click()

    row = page.get_by_test_id("agreement-row")
    expect(row).to_contain_text("Dana")
    expect(row).to_contain_text("0.33")
    check(tab, f"training-agreement-{label}")
