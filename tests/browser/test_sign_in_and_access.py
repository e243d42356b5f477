"""A clinician signs in with two factors and sees only the caseload; a person is refused
another person's record; break-glass asks for a reason and is audited."""

from __future__ import annotations

import base64
import re

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.conftest import PASSWORD, confirmed_device
from trellis.audit.models import AuditEvent
from trellis.people.models import BreakGlassAccess


def current_code(key: bytes) -> str:
    return f"{totp(key):06d}"


def test_a_clinician_signs_in_with_a_second_factor_and_sees_only_their_caseload(
    visit, pat, quinn, dana
):
    device = confirmed_device(dana.user)
    tab = visit()

    tab.sign_in("dana", PASSWORD)
    expect(tab.page.get_by_role("heading", name="Enter your code")).to_be_visible()
    tab.page.get_by_label("Code from your authenticator app").fill(current_code(device.bin_key))
    tab.page.get_by_role("button", name="Verify").click()

    expect(tab.page.get_by_role("heading", name="Your caseload")).to_be_visible()
    caseload = tab.page.get_by_test_id("caseload")
    expect(caseload.get_by_role("link", name="Pat Example")).to_be_visible()
    expect(caseload.get_by_role("link", name="Quinn Example")).to_have_count(0)
    tab.shot("caseload-desktop")


def test_a_new_staff_member_enrols_an_authenticator_and_receives_recovery_codes(visit, dana):
    tab = visit()

    tab.sign_in("dana", PASSWORD)
    expect(tab.page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    tab.shot("two-factor-setup-desktop")
    secret = tab.page.get_by_test_id("totp-secret").inner_text().strip()
    tab.page.get_by_label("Code from your authenticator app").fill(
        current_code(base64.b32decode(secret))
    )
    tab.page.get_by_role("button", name="Confirm").click()

    expect(tab.page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    tab.page.get_by_role("link", name="I saved them, continue").click()
    expect(tab.page.get_by_role("heading", name="Your caseload")).to_be_visible()


def test_a_person_is_refused_another_persons_record(visit, pat, quinn):
    tab = visit(PHONE)

    tab.sign_in("pat", PASSWORD)
    expect(tab.page.get_by_role("heading", name="Hello, Pat")).to_be_visible()
    tab.shot("person-home-phone")
    tab.page.goto(f"/people/{quinn.public_id}/")

    expect(tab.page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(tab.page.get_by_text("Quinn")).to_have_count(0)
    expect(tab.page.get_by_role("link", name="Break the glass")).to_have_count(0)
    assert AuditEvent.objects.filter(
        actor=pat.user, outcome="denied", object_id=str(quinn.public_id)
    ).exists()


def test_break_glass_asks_for_a_reason_is_audited_and_reviewed(visit, pat, eli, sam):
    confirmed_device(eli.user)
    confirmed_device(sam.user)
    tab = visit()
    tab.sign_in("eli", PASSWORD)
    tab.page.get_by_label("Code from your authenticator app").fill(
        current_code(eli.user.totpdevice_set.get().bin_key)
    )
    tab.page.get_by_role("button", name="Verify").click()

    tab.page.goto(f"/people/{pat.public_id}/")
    expect(tab.page.get_by_role("heading", name="Not found")).to_be_visible()
    tab.page.get_by_role("link", name="Break the glass").click()
    tab.page.get_by_role("button", name="Open the record").click()
    expect(tab.page.get_by_role("alert")).to_contain_text("This field is required.")
    assert not BreakGlassAccess.objects.exists()
    tab.page.get_by_label("Why do you need this record now?").fill(
        "Seen in the emergency department tonight; needs medication history."
    )
    tab.page.get_by_role("button", name="Open the record").click()

    expect(tab.page.get_by_role("heading", name="Pat Example")).to_be_visible()
    expect(tab.page.get_by_text("Emergency (break-glass) access")).to_be_visible()
    tab.shot("break-glass-record-desktop")
    assert (
        AuditEvent.objects.filter(actor=eli.user, action="break_glass", outcome="allowed").count()
        == 1
    )

    review = visit()
    review.sign_in("sam", PASSWORD)
    review.page.get_by_label("Code from your authenticator app").fill(
        current_code(sam.user.totpdevice_set.get().bin_key)
    )
    review.page.get_by_role("button", name="Verify").click()
    review.page.get_by_role("link", name="Break-glass review").click()
    expect(review.page.get_by_text("Seen in the emergency department tonight")).to_be_visible()
    review.shot("break-glass-review-desktop")
    review.page.get_by_label("Appropriate", exact=True).check()
    review.page.get_by_role("button", name="Record review").click()
    expect(review.page.get_by_text("Nothing to review.")).to_be_visible()
    assert BreakGlassAccess.objects.get().review_outcome == "appropriate"


def test_the_language_switcher_shows_the_pages_in_spanish(visit, pat):
    tab = visit(PHONE)
    tab.sign_in("pat", PASSWORD)

    tab.page.get_by_label("Language").select_option("es")
    tab.page.get_by_role("button", name="Change").click()

    expect(tab.page.get_by_role("heading", name="Hola, Pat")).to_be_visible()
    assert re.search(r'<html lang="es"', tab.page.content())
    tab.shot("person-home-phone-es")
