"""The BAM's day items with published reliable-change figures are kept with the score and
raise reliable worsening; the API shows only the instrument's own subscales."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.web.monitoring.conftest import score_row
from trellis.alerts.models import Alert
from trellis.monitoring.actions import evaluate


def bam(alcohol_days: int) -> list:
    heavy = 0 if alcohol_days == 0 else 1
    return [
        2,
        5,
        5,
        alcohol_days,
        heavy if alcohol_days else None,
        0,
        None,
        1,
        2,
        10,
        0,
        2,
        10,
        True,
        1,
        10,
        2,
    ]


def test_days_of_alcohol_use_are_kept_beside_the_subscales_but_not_shown_as_one(client, pat, dana):
    score = score_row(pat.person, "bam", bam(12), 0, dana.user)
    assert score.subscales["alcohol_days"] == 12
    assert {"use", "risk", "protective"} <= set(score.subscales)
    sign_in(client, dana)
    [shown] = client.get(f"/api/v1/people/{pat.public_id}/measures").json()
    assert set(shown["subscales"]) == {"use", "risk", "protective"}


def test_nine_more_days_of_alcohol_use_is_not_reliable_worsening(pat, dana, mood_plan):
    score_row(pat.person, "bam", bam(0), 20, dana.user)
    score_row(pat.person, "bam", bam(9), 0, dana.user)
    evaluate(pat.person, by=None)
    assert not Alert.objects.filter(kind="reliable_worsening").exists()


def test_ten_more_days_of_alcohol_use_is_reliable_worsening(pat, dana, mood_plan):
    score_row(pat.person, "bam", bam(0), 20, dana.user)
    score_row(pat.person, "bam", bam(10), 0, dana.user)
    evaluate(pat.person, by=None)
    alert = Alert.objects.get(kind="reliable_worsening")
    assert "alcohol_days" in alert.event_key
    assert alert.reasons.startswith("BAM days of alcohol use rose from 0 to 10")
