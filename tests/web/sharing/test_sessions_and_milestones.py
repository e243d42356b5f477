"""Family sessions (scheduling, invitations with replies, attendance) and milestone news for
family members the person shares milestones with."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import sign_in
from tests.web.sharing.conftest import consent_for


def test_schedule_invite_reply_and_record_attendance(client, pat, dana, fran, fran_link):
    from trellis.sharing.models import FamilySession, SessionInvitation

    sign_in(client, dana)
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    made = client.post(
        f"/people/{pat.public_id}/family/sessions/",
        {
            "kind": "family_therapy",
            "starts_at": when,
            "minutes": 60,
            "place": "Room 2",
            "invite": [str(fran_link.public_id)],
        },
    )
    assert made.status_code == 302
    session = FamilySession.objects.get()
    invite = SessionInvitation.objects.get()
    assert invite.link == fran_link

    sign_in(client, fran)
    listed = client.get("/family/sessions/").content.decode()
    assert "Family therapy session" in listed
    assert "Room 2" in listed
    client.post(f"/family/sessions/{invite.public_id}/reply/", {"reply": "yes"})
    invite.refresh_from_db()
    assert invite.reply == "yes"

    bad = client.post(f"/family/sessions/{invite.public_id}/reply/", {"reply": "perhaps"})
    assert bad.status_code == 302
    invite.refresh_from_db()
    assert invite.reply == "yes"

    sign_in(client, dana)
    assert "Will attend" in client.get(f"/people/{pat.public_id}/family/").content.decode()
    client.post(
        f"/people/{pat.public_id}/family/sessions/{session.public_id}/",
        {"person": "yes", f"invite_{invite.pk}": "yes"},
    )
    session.refresh_from_db()
    invite.refresh_from_db()
    assert session.person_attended is True
    assert invite.attended is True

    refused = client.post(
        f"/people/{pat.public_id}/family/sessions/{session.public_id}/", {"person": "maybe"}
    )
    assert refused.status_code == 400
    session.refresh_from_db()
    assert session.person_attended is True


def test_bad_session_details_are_refused_and_nothing_is_scheduled(client, pat, dana):
    from trellis.sharing.models import FamilySession

    sign_in(client, dana)
    response = client.post(
        f"/people/{pat.public_id}/family/sessions/",
        {"kind": "picnic", "starts_at": "soon", "minutes": 5, "place": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    for field in ("kind", "starts_at", "minutes", "place"):
        assert f'id="id_{field}_error"' in page
    assert not FamilySession.objects.exists()


def test_attendance_is_shared_only_under_a_consent(client, pat, dana, fran, fran_link):
    from trellis.sharing.models import FamilySession

    FamilySession.objects.create(
        person=pat.person,
        kind="family_meeting",
        starts_at=timezone.now() - timedelta(days=2),
        place="Room 1",
        scheduled_by=dana.user,
        person_attended=True,
    )
    sign_in(client, fran)
    assert client.get(f"/family/people/{pat.public_id}/attendance/").status_code == 404

    consent_for(pat, fran_link, ["attendance"])
    page = client.get(f"/family/people/{pat.public_id}/attendance/").content.decode()
    assert "Family meeting with the care team" in page
    assert "attended" in page


def eight_days_in(pat: Any, fran: Any) -> None:
    """Pat's count started eight days ago (milestones 1 and 7 reached); Fran has an email."""
    from trellis.recovery.models import RecoveryEvent

    RecoveryEvent.objects.create(
        person=pat.person, kind="start", on=timezone.localdate() - timedelta(days=8)
    )
    fran.user.email = "fran@example.org"
    fran.user.save()


def test_milestone_news_reaches_family_only_with_a_milestones_consent(
    client, pat, fran, fran_link, mailoutbox
):
    from trellis.sharing.actions import send_milestone_news
    from trellis.sharing.models import MilestoneNotice

    eight_days_in(pat, fran)
    assert send_milestone_news() == 0  # no consent: nothing told
    assert not MilestoneNotice.objects.exists()

    consent_for(pat, fran_link, ["milestones"])
    assert send_milestone_news() == 1
    assert send_milestone_news() == 0  # told once
    assert sorted(MilestoneNotice.objects.values_list("milestone", flat=True)) == [1, 7]
    assert mailoutbox[0].to == ["fran@example.org"]
    assert "Pat" not in mailoutbox[0].body
    assert "day" not in mailoutbox[0].body.lower()

    sign_in(client, fran)
    home = client.get("/family/").content.decode()
    assert "new milestones to celebrate" in home
    page = client.get(f"/family/people/{pat.public_id}/").content.decode()
    assert "8</strong>" in page
    assert "7 days" in page
    assert "new milestones" not in client.get("/family/").content.decode()  # seen now


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_two_workers_sending_milestone_news_at_once_email_it_once(
    pat, fran, fran_link, mailoutbox, monkeypatch
):
    from trellis.sharing import actions

    eight_days_in(pat, fran)
    consent_for(pat, fran_link, ["milestones"])
    assert len(actions.milestone_news(fran_link)) == 2  # the news, not yet emailed
    both = threading.Barrier(2)
    found = actions.milestone_news

    def together(link: Any, today: Any = None) -> Any:
        news = found(link, today)
        both.wait(timeout=60)  # each worker has found the news unsent before either sends
        return news

    monkeypatch.setattr(actions, "milestone_news", together)

    def worker(_: int) -> int:
        try:
            return actions.send_milestone_news()
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        sent = sorted(pool.map(worker, range(2)))
    assert sent == [0, 1]
    assert len(mailoutbox) == 1
