"""The family member's own tools through the Django client: each page opens for fran, each
tool saves and audits, bad input is refused next to its field and changes nothing, and nobody
else reaches fran's rows or the family pages.

fran: pat's sister, a family member.  gil: another family member.  pat: a person in recovery.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user, sign_in
from trellis.core.access import Role

PAGES = [
    "/family/",
    "/family/learn/",
    "/family/learn/addiction-is-a-health-condition/",
    "/family/learn/enabling-or-supporting/",
    "/family/learn/codependency/",
    "/family/learn/boundaries/",
    "/family/learn/overdose-and-naloxone/",
    "/family/support-groups/",
    "/family/boundaries/",
    "/family/empathy/",
    "/family/craft/",
    "/family/craft/positive-communication/",
    "/family/wellbeing/",
    "/family/self-care/",
]


@pytest.fixture
def signed_in(client, fran):
    sign_in(client, fran)
    return client


@pytest.fixture
def gil(program):
    return make_user("gil", Role.FAMILY)


def audited(user, action: str, object_type: str) -> int:
    from trellis.audit.models import AuditEvent

    return AuditEvent.objects.filter(actor=user, action=action, object_type=object_type).count()


@pytest.mark.parametrize("url", PAGES)
def test_each_page_opens_for_the_family_member(signed_in, url):
    response = signed_in.get(url)

    assert response.status_code == 200
    assert "<h1>" in response.text


@pytest.mark.parametrize("language", ["en", "es"])
def test_home_links_to_every_tool_by_name_in_both_languages(signed_in, language):
    signed_in.cookies["django_language"] = language

    page = signed_in.get("/family/", HTTP_ACCEPT_LANGUAGE=language).text

    for url in (
        "/family/learn/",
        "/family/support-groups/",
        "/family/boundaries/",
        "/family/empathy/",
        "/family/craft/",
        "/family/wellbeing/",
        "/family/self-care/",
    ):
        assert f'href="{url}"' in page


def test_a_topic_is_shown_in_spanish_with_its_source(signed_in):
    page = signed_in.get("/family/learn/overdose-and-naloxone/", HTTP_ACCEPT_LANGUAGE="es").text

    assert "Sobredosis y naloxona" in page
    assert "Opioid Overdose Prevention Toolkit" in page


def test_unknown_topic_and_module_ids_are_missing(signed_in):
    assert signed_in.get("/family/learn/no-such-topic/").status_code == 404
    assert signed_in.get("/family/craft/no-such-module/").status_code == 404


def test_support_groups_give_the_national_groups_the_helpline_and_the_directory_near_you(
    signed_in,
):
    page = signed_in.get("/family/support-groups/").text

    assert "search the community directory for mutual-help groups near you" in page
    assert "/services/?category=com.mutual_help" in page
    for name in ("Al-Anon", "Nar-Anon", "Families Anonymous", "SMART Recovery", "Learn to Cope"):
        assert name in page
    assert 'href="tel:1-800-662-4357"' in page


def test_the_craft_pages_say_it_works_best_with_a_coach(signed_in):
    for url in ("/family/craft/", "/family/craft/use-patterns/"):
        page = signed_in.get(url).text
        assert "CRAFT works best with a coach" in page
        assert "J Consult Clin Psychol 2002;70:1182-5" in page


# ---------------------------------------------------------------- boundaries


BOUNDARY = {
    "boundary": "I won't lend money",
    "how_to_say": "I love you and I won't lend money any more.",
    "consequence": "I will say no and leave the room.",
    "self_care": "Call my friend Ana.",
}


def test_a_boundary_worksheet_is_refused_until_complete_then_saved_encrypted_and_editable(
    signed_in, fran
):
    from django.db import connection

    from trellis.family.models import BoundaryWorksheet

    refused = signed_in.post("/family/boundaries/", {**BOUNDARY, "consequence": ""})

    assert refused.status_code == 400
    assert 'id="id_consequence_error"' in refused.text
    assert "Write a few words here." in refused.text
    assert not BoundaryWorksheet.objects.exists()

    saved = signed_in.post("/family/boundaries/", BOUNDARY)
    sheet = BoundaryWorksheet.objects.get(user=fran.user)
    assert saved.status_code == 302
    assert saved["Location"] == f"/family/boundaries/{sheet.public_id}/"
    assert sheet.boundary == "I won't lend money"
    assert audited(fran.user, "create", "BoundaryWorksheet") == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT boundary FROM family_boundaryworksheet")
        assert "lend money" not in cursor.fetchone()[0]

    signed_in.post(f"/family/boundaries/{sheet.public_id}/", {**BOUNDARY, "self_care": "Walk"})
    sheet.refresh_from_db()
    assert sheet.self_care == "Walk"
    assert BoundaryWorksheet.objects.count() == 1
    assert audited(fran.user, "update", "BoundaryWorksheet") == 1
    page = signed_in.get("/family/boundaries/").text
    assert "I won&#x27;t lend money" in page
    assert audited(fran.user, "read", "BoundaryWorksheet") >= 1


def test_another_family_member_cannot_see_or_change_frans_worksheet(client, fran, gil):
    from trellis.family import actions
    from trellis.family.models import BoundaryWorksheet

    sheet = actions.save_boundary(fran.user, BOUNDARY)
    sign_in(client, gil)

    assert client.get(f"/family/boundaries/{sheet.public_id}/").status_code == 404
    assert client.post(f"/family/boundaries/{sheet.public_id}/", BOUNDARY).status_code == 404
    assert "lend money" not in client.get("/family/boundaries/").text
    assert client.get("/family/boundaries/not-a-uuid/").status_code == 404
    sheet.refresh_from_db()
    assert sheet.self_care == "Call my friend Ana."
    assert BoundaryWorksheet.objects.count() == 1


# ---------------------------------------------------------------- CRAFT practice log


def test_a_craft_practice_is_logged_and_listed_on_its_module(signed_in, fran):
    from trellis.family.models import CraftPractice

    today = timezone.localdate().isoformat()
    response = signed_in.post(
        "/family/craft/positive-communication/",
        {"done_on": today, "tried": "Asked for a Friday movie", "outcome": "4", "note": "calm"},
    )

    assert response.status_code == 302
    log = CraftPractice.objects.get(user=fran.user)
    assert (log.module, log.outcome, log.tried) == (
        "positive-communication",
        4,
        "Asked for a Friday movie",
    )
    assert audited(fran.user, "create", "CraftPractice") == 1
    page = signed_in.get("/family/craft/positive-communication/").text
    assert "Asked for a Friday movie" in page
    assert "Fairly well" in page
    assert "Asked for a Friday movie" not in signed_in.get("/family/craft/use-patterns/").text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"outcome": "6"}, "outcome", "Choose one of the answers (1-5)."),
        ({"outcome": ""}, "outcome", "Choose one of the answers (1-5)."),
        ({"tried": ""}, "tried", "Write a few words here."),
        ({"done_on": "tomorrow"}, "done_on", "A date (YYYY-MM-DD)."),
        ({"done_on": "future"}, "done_on", "Today or an earlier date."),
    ],
)
def test_a_bad_craft_practice_is_refused_naming_the_field(signed_in, changes, field, message):
    from trellis.family.models import CraftPractice

    if changes.get("done_on") == "future":
        changes = {"done_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    data = {"done_on": timezone.localdate().isoformat(), "tried": "x", "outcome": "3", **changes}

    response = signed_in.post("/family/craft/reward-non-use/", data)

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text
    assert not CraftPractice.objects.exists()


def test_another_family_member_does_not_see_frans_practice_log(client, fran, gil):
    from trellis.family import actions

    actions.log_craft_practice(
        fran.user,
        "safety",
        done_on=timezone.localdate(),
        tried="Left the room",
        outcome=5,
        note="",
    )
    sign_in(client, gil)

    assert "Left the room" not in client.get("/family/craft/safety/").text


# ---------------------------------------------------------------- well-being


def phq4(interest: str, down: str, nervous: str, worry: str, stress: str = "5") -> dict:
    return {
        "interest": interest,
        "down": down,
        "nervous": nervous,
        "worry": worry,
        "stress": stress,
    }


def test_a_normal_checkin_is_saved_audited_and_charted_with_crisis_help_but_no_referrals(
    signed_in, fran
):
    from trellis.family.models import WellbeingCheckIn

    response = signed_in.post("/family/wellbeing/", phq4("1", "0", "0", "1", "6"))

    assert response.status_code == 302
    row = WellbeingCheckIn.objects.get(user=fran.user)
    assert (row.depression, row.anxiety, row.total, row.band, row.stress) == (1, 1, 2, "normal", 6)
    assert row.responses == {"interest": 1, "down": 0, "nervous": 0, "worry": 1}
    assert audited(fran.user, "create", "WellbeingCheckIn") == 1
    page = signed_in.get("/family/wellbeing/").text
    assert "<svg" in page
    assert "<caption>My check-ins</caption>" in page
    assert 'href="tel:988"' in page
    assert 'href="sms:988"' in page
    assert "1-800-662-4357" not in page


def test_a_positive_subscale_shows_referrals(signed_in):
    # PHQ-2 = 0 + 0, GAD-2 = 2 + 1 = 3: a positive anxiety screen in the mild band (total 3).
    signed_in.post("/family/wellbeing/", phq4("0", "0", "2", "1"))

    page = signed_in.get("/family/wellbeing/").text

    assert "positive screen" in page
    assert "Talk with your own doctor" in page
    assert 'href="tel:1-800-662-4357"' in page
    for group in ("al-anon", "nar-anon", "smart-family-friends"):
        assert f'href="/family/support-groups/#{group}"' in page
    assert 'href="tel:988"' in page


def test_a_severe_total_shows_referrals(signed_in):
    signed_in.post("/family/wellbeing/", phq4("3", "3", "2", "2"))

    page = signed_in.get("/family/wellbeing/").text

    assert "Severe" in page
    assert "Talk with your own doctor" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"interest": "4"}, "interest", "Choose one of the answers (0-3)."),
        ({"worry": ""}, "worry", "Choose one of the answers (0-3)."),
        ({"stress": "11"}, "stress", "Choose one of the answers (0-10)."),
        ({"stress": "-1"}, "stress", "Choose one of the answers (0-10)."),
    ],
)
def test_a_bad_checkin_is_refused_naming_the_field(signed_in, changes, field, message):
    from trellis.family.models import WellbeingCheckIn

    response = signed_in.post("/family/wellbeing/", {**phq4("1", "1", "1", "1"), **changes})

    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    assert message in response.text
    assert not WellbeingCheckIn.objects.exists()


def test_the_checkin_uses_the_published_wording_in_english_and_spanish(signed_in):
    english = signed_in.get("/family/wellbeing/").text
    spanish = signed_in.get("/family/wellbeing/", HTTP_ACCEPT_LANGUAGE="es").text

    assert "Little interest or pleasure in doing things" in english
    assert "Not being able to stop or control worrying" in english
    assert "Poco interés o placer en hacer cosas" in spanish


def test_another_family_member_does_not_see_frans_checkins(client, fran, gil):
    signed = client
    sign_in(signed, fran)
    signed.post("/family/wellbeing/", phq4("3", "3", "3", "3"))
    client.logout()
    sign_in(client, gil)

    page = client.get("/family/wellbeing/").text

    assert "My latest check-in" not in page
    assert "Talk with your own doctor" not in page


# ---------------------------------------------------------------- self-care


def test_a_self_care_activity_is_planned_then_marked(signed_in, fran):
    from trellis.family.models import SelfCareActivity

    today = timezone.localdate().isoformat()
    refused = signed_in.post("/family/self-care/", {"title": "", "planned_for": today})
    assert refused.status_code == 400
    assert 'id="id_title_error"' in refused.text
    assert not SelfCareActivity.objects.exists()

    signed_in.post("/family/self-care/", {"title": "Walk with Ana", "planned_for": today})
    activity = SelfCareActivity.objects.get(user=fran.user)
    assert audited(fran.user, "create", "SelfCareActivity") == 1
    assert "Walk with Ana" in signed_in.get("/family/self-care/").text

    response = signed_in.post(f"/family/self-care/{activity.public_id}/", {"happened": "yes"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.happened is True
    assert audited(fran.user, "update", "SelfCareActivity") == 1


def test_a_future_activity_cannot_be_marked_yet(signed_in, fran):
    from trellis.family import actions

    later = timezone.localdate() + timedelta(days=3)
    activity = actions.plan_self_care(fran.user, title="Concert", planned_for=later)

    signed_in.post(f"/family/self-care/{activity.public_id}/", {"happened": "yes"})

    activity.refresh_from_db()
    assert activity.happened is None


def test_another_family_member_cannot_mark_frans_activity(client, fran, gil):
    from trellis.family import actions

    activity = actions.plan_self_care(fran.user, title="Yoga", planned_for=timezone.localdate())
    sign_in(client, gil)

    assert (
        client.post(f"/family/self-care/{activity.public_id}/", {"happened": "no"}).status_code
        == 404
    )
    assert "Yoga" not in client.get("/family/self-care/").text
    activity.refresh_from_db()
    assert activity.happened is None


def test_marking_is_post_only(signed_in, fran):
    from trellis.family import actions

    activity = actions.plan_self_care(fran.user, title="Read", planned_for=timezone.localdate())

    assert signed_in.get(f"/family/self-care/{activity.public_id}/").status_code == 405


# ---------------------------------------------------------------- other roles


@pytest.mark.parametrize("url", PAGES)
def test_other_roles_get_404_and_anonymous_is_sent_to_sign_in(client, pat, dana, url):
    assert client.get(url).status_code == 302
    for persona in (pat, dana):
        sign_in(client, persona)
        assert client.get(url).status_code == 404
        client.logout()
