"""The supervisor's quality dashboards: who may open them, CSV = table, filters, audit.

pat: in care 40 days, five sessions booked (one missed). quinn: completed after 95 days.
dana: clinician on pat's team (not a supervisor). sam: supervisor.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import sign_in
from tests.web.oversight.conftest import ago, table_headers, table_rows, table_slugs
from trellis.audit.models import AuditEvent

SECTIONS = ("fidelity", "variation", "outcomes", "access", "equity")


def test_only_a_supervisor_opens_the_dashboards(client, dana, sam):
    assert client.get("/oversight/").status_code == 302
    assert client.get("/oversight/access/")["Location"].startswith("/accounts/login/")
    sign_in(client, dana)
    assert client.get("/oversight/").status_code == 404
    assert client.get("/oversight/fidelity/?format=csv&table=rates").status_code == 404

    client.logout()
    sign_in(client, sam)
    page = client.get("/oversight/")

    assert page.status_code == 200
    assert 'href="/oversight/"' in page.content.decode()  # the "Quality" navigation entry
    for section in SECTIONS:
        assert client.get(f"/oversight/{section}/").status_code == 200


def test_each_csv_download_has_the_rows_of_its_table(client, sam, dashboard_world):
    sign_in(client, sam)
    for section in SECTIONS:
        html = client.get(f"/oversight/{section}/").content.decode()

        slugs = table_slugs(html)
        assert slugs, section
        for slug in slugs:
            response = client.get(f"/oversight/{section}/?format=csv&table={slug}")
            assert response["Content-Type"].startswith("text/csv")
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            assert rows[0] == table_headers(html, slug), slug
            assert rows[1:] == table_rows(html, slug), slug
            assert rows[1:], f"{section} {slug} has rows"


def test_the_numbers_follow_the_worked_definitions(client, sam, dana, dashboard_world):
    sign_in(client, sam)

    access = client.get("/oversight/access/").content.decode()
    outcomes = client.get("/oversight/outcomes/").content.decode()
    fidelity = client.get("/oversight/fidelity/").content.decode()

    # First contact 45 days ago, first session 40 days ago, first dose 42 days ago.
    assert table_rows(access, "waiting") == [
        ["First contact to first session", "1", "5.0", "5.0"],
        ["First contact to first medication dose", "1", "3.0", "3.0"],
    ]
    # One missed of five sessions; pat reached a fourth attended session.
    assert table_rows(access, "engagement") == [
        ["No-show rate (sessions)", "1", "20%"],
        ["Continuation, 1st to 4th session", "1", "100%"],
    ]
    # 30 days: pat in care, quinn completed after 95 days; 90 days: quinn only.
    assert table_rows(outcomes, "retention") == [
        ["30 days", "2", "2", "100%"],
        ["90 days", "1", "1", "100%"],
    ]
    # PHQ-9 18 -> 8: a fall of 10, reliable (4 points or more); GAD-7 never taken.
    assert table_rows(outcomes, "change")[:2] == [
        ["PHQ-9", "1", "-10.0", "1", "100%"],
        ["GAD-7", "0", "—", "0", "—"],
    ]
    assert table_rows(fidelity, "rates") == [["Dana", "1", "1", "1", "100%"]]
    assert table_rows(fidelity, "reasons") == [["Dana", "remove", "psy.cbt", "Prefers group work"]]
    # Level 1.0, dimension 5 highest; plan {psy.mi} against {psy.mi, psy.cbt}: 1 - 1/2.
    variation = client.get("/oversight/variation/").content.decode()
    assert table_rows(variation, "difference") == [["1.0", "5", "Dana", "1", "0", "0%", "0.50"]]


def test_filters_narrow_the_records_counted(client, sam, dashboard_world):
    sign_in(client, sam)

    recent = client.get(f"/oversight/access/?date_from={ago(20).isoformat()}").content.decode()
    other = client.get("/oversight/access/?program=999999")

    # Since 20 days ago: the sessions of 19 and 12 days ago only, both attended.
    assert table_rows(recent, "engagement")[0] == ["No-show rate (sessions)", "1", "0%"]
    assert other.status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-02-30", "From must be a date as YYYY-MM-DD."),
        ("date_to=yesterday", "To must be a date as YYYY-MM-DD."),
        ("date_from=2026-03-02&date_to=2026-03-01", "To must be on or after From."),
        ("program=not-a-program", "Program must be one of the choices listed."),
        ("measure=happiness", "Measure must be one of the choices listed."),
    ],
)
def test_bad_filters_are_form_errors_naming_the_field(client, sam, query, message):
    sign_in(client, sam)

    response = client.get(f"/oversight/equity/?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert AuditEvent.objects.filter(object_type="OversightDashboard", outcome="denied").exists()


def test_each_dashboard_read_is_audited_with_its_filters(client, sam):
    sign_in(client, sam)

    client.get(f"/oversight/fidelity/?date_from={ago(3).isoformat()}")
    client.get("/oversight/outcomes/?format=csv&table=retention")

    reads = AuditEvent.objects.filter(actor=sam.user, object_type="OversightDashboard")
    assert [(e.object_id, e.detail["format"]) for e in reads.order_by("seq")] == [
        ("fidelity", "html"),
        ("outcomes", "csv"),
    ]
    assert reads.first().detail["from"] == ago(3).isoformat()


def test_an_unknown_csv_table_is_not_found(client, sam):
    sign_in(client, sam)

    assert client.get("/oversight/access/?format=csv&table=nope").status_code == 404


def test_small_groups_are_suppressed_in_the_table_and_the_csv(client, sam, program):
    from trellis.people.models import Episode, Person

    for n in range(13):
        person = Person.objects.create(
            program=program,
            given_name=f"P{n}",
            family_name="Example",
            birth_date=ago(365 * 30),
            preferred_language="en" if n < 11 else "es",
        )
        Episode.objects.create(
            person=person, program=program, admitted_on=ago(40), level_of_care="1.0"
        )
    sign_in(client, sam)

    html = client.get("/oversight/equity/?measure=retention_30").content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    "/oversight/equity/?measure=retention_30&format=csv&table=language"
                ).content.decode()
            )
        )
    )

    assert table_rows(html, "language") == [
        ["en", "11", "100%"],
        ["es", "suppressed", "suppressed"],
    ]
    assert rows[1:] == table_rows(html, "language")
    assert ">suppressed</text>" in html.split('data-testid="table-language"')[1].split("</svg>")[0]
