"""Consent-scoped sharing in Chromium: a person invites a family member and shares milestones
only; the family member sees a milestone and cannot reach the plan; the person revokes; the
family member sees nothing. Each page passes the page checks at phone and desktop sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check, staff_tab
from tests.conftest import PASSWORD


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_invite_share_milestones_only_then_revoke(visit, pat, plan, size, label):
    from trellis.recovery.models import RecoveryEvent

    RecoveryEvent.objects.create(
        person=pat.person, kind="start", on=timezone.localdate() - timedelta(days=31)
    )
    person = visit(size)
    person.sign_in("pat", PASSWORD)
    person.page.wait_for_url("**/me/")
    person.page.get_by_role("link", name="Sharing: who sees what, family invitations").click()
    check(person, f"sharing-{label}")
    person.page.get_by_role("link", name="Invite a family member").click()
    person.page.get_by_label("Their name").fill("Fran Example")
    person.page.get_by_label("Their relationship to you").fill("sister")
    person.page.get_by_role("button", name="Make the link").click()
    link = person.page.locator("#invitation-link").inner_text()
    check(person, f"sharing-invitation-{label}")

    family = visit(size)
    family.page.goto(link)
    check(family, f"family-join-{label}")
    family.page.get_by_label("First name").fill("Fran")
    family.page.get_by_label("Last name").fill("Example")
    family.page.get_by_label("Username").fill("fran.e")
    family.page.locator("#id_password").fill("a-long-pass-phrase-9")
    family.page.get_by_label("Password again").fill("a-long-pass-phrase-9")
    family.page.get_by_role("button", name="Create my account").click()
    family.page.wait_for_url("**/family/")
    expect(
        family.page.get_by_text("Pat is not sharing anything with you right now")
    ).to_be_visible()

    person.page.goto("/me/sharing/")
    person.page.get_by_role("link", name="share with them").click()
    person.page.get_by_label("Why you share it (the purpose)").fill("so my sister can cheer me on")
    person.page.get_by_label("Milestones:", exact=False).check()
    person.page.get_by_label("Ends on").fill(
        (timezone.localdate() + timedelta(days=90)).isoformat()
    )
    person.page.get_by_role("button", name="Review the consent").click()
    expect(person.page.get_by_text("My right to revoke:")).to_be_visible()
    check(person, f"sharing-review-{label}")
    person.page.get_by_label("I type my full name").check()
    person.page.get_by_label("Your full name").fill("Pat Example")
    person.page.get_by_role("button", name="Sign this consent").click()
    expect(person.page.get_by_text("Consent signed. It is in force from now.")).to_be_visible()
    check(person, f"sharing-consent-{label}")

    family.page.goto("/family/")
    family.page.get_by_role("link", name="See what is shared").click()
    expect(family.page.get_by_text("Milestones reached:")).to_be_visible()
    expect(family.page.get_by_text("30 days", exact=True)).to_be_visible()
    expect(family.page.get_by_text("42 CFR part 2 prohibits unauthorized use")).to_be_visible()
    check(family, f"family-shared-{label}")
    for url in (
        f"/plans/{plan.public_id}/",
        f"/people/{pat.public_id}/",
        f"/family/people/{pat.public_id}/plan_goals/",
    ):
        assert family.page.goto(url).status == 404

    person.page.goto("/me/sharing/")
    person.page.get_by_role("button", name="Revoke now").click()
    expect(person.page.get_by_text("Consent revoked.")).to_be_visible()

    assert family.page.goto(f"/family/people/{pat.public_id}/").status == 404
    assert family.page.goto(f"/family/people/{pat.public_id}/milestones/").status == 404
    family.page.goto("/family/")
    expect(
        family.page.get_by_text("Pat is not sharing anything with you right now")
    ).to_be_visible()

    person.page.goto("/me/sharing/disclosures/")
    expect(person.page.get_by_role("cell", name="Fran Example").first).to_be_visible()
    check(person, f"sharing-disclosures-{label}")


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_clinician_family_page(visit, pat, dana, fran, settings, size, label):
    from tests.web.sharing.conftest import consent_for
    from trellis.sharing.models import FamilyLink

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    link = FamilyLink.objects.create(person=pat.person, user=fran.user, relationship="sister")
    consent_for(pat, link, ["milestones", "attendance"])
    tab = staff_tab(visit, dana.user, size)
    tab.page.goto(f"/people/{pat.public_id}/family/")
    expect(tab.page.get_by_role("heading", name="Consents on file")).to_be_visible()
    check(tab, f"family-care-team-{label}")


FAMILY_PAGES = [
    "/family/",
    "/family/learn/",
    "/family/learn/overdose-and-naloxone/",
    "/family/support-groups/",
    "/family/boundaries/",
    "/family/empathy/",
    "/family/craft/",
    "/family/craft/positive-communication/",
    "/family/wellbeing/",
    "/family/self-care/",
    "/family/sessions/",
]


@pytest.mark.parametrize(("size", "label"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_every_family_page_passes_the_page_checks(visit, pat, fran, size, label):
    from tests.web.family.matrix_rows import family_tools_world
    from tests.web.sharing.conftest import consent_for
    from trellis.sharing.models import FamilyLink

    family_tools_world(fran)  # a worksheet and an activity, so lists have rows
    link = FamilyLink.objects.create(person=pat.person, user=fran.user, relationship="sister")
    consent_for(pat, link, ["milestones", "checkin_summaries"])
    tab = visit(size)
    tab.sign_in("fran", PASSWORD)
    tab.page.wait_for_url("**/family/")
    for url in [*FAMILY_PAGES, f"/family/people/{pat.public_id}/"]:
        assert tab.page.goto(url).status == 200, url
        name = "family-shared-view" if "/people/" in url else url.strip("/").replace("/", "-")
        check(tab, f"{name}-{label}")
