"""A small program for the dashboards: pat's plan with a deviation by dana, visits, episodes."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone


def ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def visit(person, kind: str, days_ago: int, status: str, by):
    from trellis.oversight.models import Visit

    return Visit.objects.create(
        person=person, kind=kind, on=ago(days_ago), status=status, recorded_by=by
    )


@pytest.fixture
def dashboard_world(pat, quinn, dana):
    """Pat (admitted 40 days ago, five sessions, one missed), placed by dana at 1.0 with the
    knowledge base's plan of two interventions, from which dana removed psy.cbt; quinn
    (admitted 100 days ago, discharged as completed after 95). Rows are made directly: the
    dashboards only read them."""
    from trellis.assessments.models import Intake, Score
    from trellis.people.models import Episode
    from trellis.plans.models import Plan, PlanDeviation

    kb_plan = {
        "kb_version": "test",
        "placement": {"level": "1.0"},
        "dimensions": [{"n": 1, "risk": 1}, {"n": 5, "risk": 3}],
        "interventions": [{"code": "psy.mi"}, {"code": "psy.cbt"}],
    }
    intake = Intake.objects.create(
        person=pat.person,
        status="completed",
        document={},
        result=kb_plan,
        level="1.0",
        created_by=dana.user,
        completed_at=timezone.now(),
    )
    Plan.objects.create(
        person=pat.person,
        intake=intake,
        version=1,
        document=kb_plan,
        kb_version="test",
        created_by=dana.user,
    )
    changed = Plan.objects.create(
        person=pat.person,
        version=2,
        document={**kb_plan, "interventions": [{"code": "psy.mi"}]},
        kb_version="test",
        created_by=dana.user,
    )
    PlanDeviation.objects.create(
        plan=changed, code="psy.cbt", action="remove", reason="Prefers group work", by=dana.user
    )
    Episode.objects.create(
        person=pat.person, program=pat.person.program, admitted_on=ago(40), level_of_care="1.0"
    )
    Episode.objects.create(
        person=quinn.person,
        program=quinn.person.program,
        admitted_on=ago(100),
        discharged_on=ago(5),
        discharge_reason="completed",
        level_of_care="2.1",
    )
    visit(pat.person, "first_contact", 45, "attended", dana.user)
    sessions = (
        (40, "attended"),
        (33, "no_show"),
        (26, "attended"),
        (19, "attended"),
        (12, "attended"),
    )
    for days, status in sessions:
        visit(pat.person, "session", days, status, dana.user)
    visit(pat.person, "medication_dose", 42, "attended", dana.user)
    for days, total in ((40, 18), (3, 8)):
        Score.objects.create(
            person=pat.person,
            instrument="phq9",
            total=total,
            responses=[],
            result={},
            source="api",
            entered_by=dana.user,
            taken_at=timezone.now() - timedelta(days=days),
        )


def table_rows(html: str, slug: str) -> list[list[str]]:
    """The body rows of the table in the section marked `table-<slug>`, as text."""
    section = html.split(f'data-testid="table-{slug}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


def table_headers(html: str, slug: str) -> list[str]:
    section = html.split(f'data-testid="table-{slug}"', 1)[1].split("</thead>", 1)[0]
    return [unescape(c) for c in re.findall(r'<th scope="col">(.*?)</th>', section, flags=re.S)]


def table_slugs(html: str) -> list[str]:
    return re.findall(r'data-testid="table-([a-z_]+)"', html)
