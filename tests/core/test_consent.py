"""The consent rule: what a consent must say (42 CFR 2.31), when it is in force, and that a
recipient sees a category only under a consent in force that covers it."""

from __future__ import annotations

from datetime import date

import pytest

from trellis.core import consent as core
from trellis.core.access import Relationship, Role, may_read, may_receive

TODAY = date(2026, 11, 25)
LINKED = {"link-1": "Fran Example"}


def good(**changes):
    data = {
        "recipient_kind": "family_member",
        "recipient_link": "link-1",
        "purpose": "so my sister can support me",
        "categories": ["milestones", "attendance"],
        "ends_on": "2027-05-25",
        "end_event": "",
        "signature_method": "typed",
        "signed_name": "  pat   EXAMPLE ",
    }
    return data | changes


def check(data):
    return core.check_consent(data, today=TODAY, person_name="Pat Example", linked=LINKED)


def test_a_complete_consent_is_accepted_with_the_linked_name_and_categories_in_order():
    terms, problems = check(good())

    assert problems.by_field == {}
    assert terms.recipient_name == "Fran Example"
    assert terms.categories == (core.Category.ATTENDANCE, core.Category.MILESTONES)
    assert terms.ends_on == date(2027, 5, 25)
    assert terms.signed_name == "pat EXAMPLE"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipient_kind": "neighbour"}, "recipient_kind"),
        ({"recipient_link": "someone-else"}, "recipient_link"),
        ({"recipient_kind": "organization", "recipient_name": "  "}, "recipient_name"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "x" * 201}, "purpose"),
        ({"categories": []}, "categories"),
        ({"categories": ["milestones", "everything"]}, "categories"),
        ({"ends_on": "2026-11-24"}, "ends_on"),
        ({"ends_on": "next spring"}, "ends_on"),
        ({"ends_on": None, "end_event": ""}, "ends_on"),
        ({"signature_method": None}, "signature_method"),
        ({"signed_name": "Someone Else"}, "signed_name"),
        ({"signature_method": "confirmed", "confirm": False}, "confirm"),
    ],
)
def test_each_missing_or_bad_element_is_named(changes, field):
    terms, problems = check(good(**changes))

    assert terms is None
    assert field in problems.by_field


def test_an_end_event_alone_is_enough_and_today_is_a_valid_end_date():
    by_event, problems = check(good(ends_on=None, end_event="when I finish treatment"))
    assert problems.by_field == {}
    assert by_event.ends_on is None
    assert by_event.end_event == "when I finish treatment"

    _terms, problems = check(good(ends_on=TODAY.isoformat()))
    assert problems.by_field == {}


def test_an_organisation_is_named_and_a_confirmed_signature_uses_the_record_name():
    terms, problems = check(
        good(
            recipient_kind="organization",
            recipient_name="Harbor Housing",
            recipient_link="link-1",
            signature_method="confirmed",
            confirm=True,
        )
    )
    assert problems.by_field == {}
    assert terms.recipient_link is None
    assert terms.recipient_name == "Harbor Housing"
    assert terms.signed_name == "Pat Example"


@pytest.mark.parametrize(
    ("revoked", "ends_on", "event", "expected"),
    [
        (False, date(2026, 11, 25), False, core.Status.ACTIVE),  # in force through its last day
        (False, date(2026, 11, 24), False, core.Status.EXPIRED),
        (False, None, True, core.Status.EXPIRED),
        (True, date(2027, 1, 1), False, core.Status.REVOKED),
        (False, None, False, core.Status.ACTIVE),
    ],
)
def test_status(revoked, ends_on, event, expected):
    assert (
        core.status(revoked=revoked, ends_on=ends_on, ended_by_event=event, today=TODAY) is expected
    )


def test_only_a_consent_in_force_covers_a_category():
    active = core.InForce("a", frozenset({core.Category.MILESTONES}), core.Status.ACTIVE)
    revoked = core.InForce("b", frozenset({core.Category.PLAN_GOALS}), core.Status.REVOKED)
    expired = core.InForce("c", frozenset({core.Category.DIAGNOSES}), core.Status.EXPIRED)

    assert core.covering([revoked, active], core.Category.MILESTONES) == active
    assert core.covering([revoked, active, expired], core.Category.PLAN_GOALS) is None
    assert core.covering([], core.Category.MILESTONES) is None
    assert core.shared_categories([active, revoked, expired]) == [core.Category.MILESTONES]


def test_default_deny_for_recipients():
    shared = ["milestones"]
    assert may_receive(Role.FAMILY, Relationship.FAMILY, "milestones", shared)
    assert not may_receive(Role.FAMILY, Relationship.FAMILY, "plan_goals", shared)
    assert not may_receive(Role.FAMILY, Relationship.NONE, "milestones", shared)
    assert not may_receive(Role.NAVIGATOR, Relationship.FAMILY, "milestones", shared)
    assert not may_receive(Role.FAMILY, Relationship.FAMILY, "milestones", [])
    # A linked family member never reads the record itself.
    assert not may_read(Role.FAMILY, Relationship.FAMILY)
