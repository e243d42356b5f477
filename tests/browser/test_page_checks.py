"""Every page, at phone and desktop sizes: one h1, a main landmark, a label for every input,
no request to another origin, no CSP violation; a PNG of each goes to screenshots/ to look at."""

from __future__ import annotations

import pytest
from django_otp.oath import totp

from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD, confirmed_device

UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


def check(tab, name: str) -> None:
    page = tab.page
    assert page.locator("h1").count() == 1, f"{name}: one h1"
    assert page.locator("main").count() == 1, f"{name}: one main landmark"
    assert page.evaluate(UNLABELLED) == [], f"{name}: every input has a label"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: no sideways scrolling ({width}px)"
    tab.shot(name)


def staff_tab(visit, user, size, landing: str = "**/caseload/"):
    tab = visit(size)
    device = confirmed_device(user)
    tab.sign_in(user.username, PASSWORD)
    tab.page.get_by_label("Code from your authenticator app").fill(f"{totp(device.bin_key):06d}")
    tab.page.get_by_role("button", name="Verify").click()
    tab.page.wait_for_url(landing)
    return tab


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_clinician_pages(visit, pat, dana, eli, size, label, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    anonymous = visit(size)
    anonymous.page.goto("/accounts/login/")
    check(anonymous, f"login-{label}")

    tab = staff_tab(visit, dana.user, size)
    for path, name in [
        ("/caseload/", "caseload"),
        (f"/people/{pat.public_id}/", "person-record"),
        ("/people/new/", "register-person"),
        ("/accounts/", "account"),
        ("/people/00000000-0000-4000-8000-000000000000/", "not-found"),
        (f"/people/{pat.public_id}/break-glass/", "break-glass-form"),
    ]:
        tab.page.goto(path)
        check(tab, f"{name}-{label}")


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_person_and_supervisor_pages(visit, pat, sam, size, label):
    tab = visit(size)
    tab.sign_in("pat", PASSWORD)
    tab.page.wait_for_url("**/me/")
    check(tab, f"person-home-{label}")
    tab.page.goto("/accounts/")
    check(tab, f"person-account-{label}")

    review = staff_tab(visit, sam.user, size)
    review.page.goto("/supervision/break-glass/")
    check(review, f"break-glass-review-{label}")
