"""The nightly evaluation raises what the per-person evaluation raises, evaluating only the
people the database finds something new for."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.web.monitoring.conftest import checkin_row
from trellis.alerts.models import Alert
from trellis.assessments.models import Score
from trellis.audit import log as audit
from trellis.audit.models import AuditEvent
from trellis.knowledge.monitoring import rules as monitoring_rules
from trellis.monitoring import actions, batch, nightly
from trellis.monitoring.models import Proposal, Schedule
from trellis.people.models import Person
from trellis.plans.models import Plan
from trellis.recovery.models import CheckIn, Goal, GoalProgress

DEPRESSION = [{"code": "mh.depression_treatment", "status": "recommended"}]


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def person(program, name: str) -> Person:
    return Person.objects.create(
        program=program, given_name=name, family_name="Example", birth_date=date(1990, 5, 17)
    )


def daily(who: Person, first: int, last: int = 1, **on_days: dict) -> None:
    """A check-in every day from `first` days ago to `last` days ago; `on_days` changes some."""
    for n in range(first, last - 1, -1):
        checkin_row(who, n, **on_days.get(f"d{n}", {}))


def scored(who: Person, instrument: str, total: int, n: int, by) -> Score:
    return Score.objects.create(
        person=who,
        instrument=instrument,
        total=total,
        responses=[],
        result={},
        source="api",
        entered_by=by,
        taken_at=timezone.now() - timedelta(days=n),
    )


def planned(who: Person, by, *, interventions=(), review_on: date | None = None) -> Plan:
    document = {
        "placement": {"level": "1.0"},
        "interventions": list(interventions),
        "review_on": (review_on or days_ago(-60)).isoformat(),
    }
    return Plan.objects.create(
        person=who,
        version=1,
        document=document,
        kb_version="test",
        level="1.0",
        created_by=by,
        created=timezone.now() - timedelta(days=60),
    )


@pytest.fixture
def caseload(program, dana):
    """People with each kind of signal, and people with nothing new to raise."""
    by, made = dana.user, {}

    def make(name: str) -> Person:
        made[name] = person(program, name)
        return made[name]

    daily(make("steady"), 40)
    daily(make("self_harm"), 40, d3={"self_harm": True})
    daily(make("lapse"), 40, d2={"used": True})
    daily(make("craving"), 40, d1={"craving": 9})
    daily(make("missed"), 40, 6)
    daily(make("drifting"), 40, 4)  # the third day without a check-in was yesterday
    # Events early in the 30-day look-back, whose check-ins before them lie outside it.
    daily(make("early_spike"), 40, d29={"craving": 9})
    daily(make("early_lapse"), 40, d28={"used": True})
    daily(make("early_gap"), 40, 33)
    daily(made["early_gap"], 25)
    daily(make("old_news"), 70, 56)  # days 55 to 51 missed: a run that ended long ago
    daily(made["old_news"], 50, 1, d45={"self_harm": True}, d40={"craving": 10})
    scored(make("worse"), "phq9", 5, 20, by)
    scored(made["worse"], "phq9", 12, 2, by)
    scored(make("worse_since"), "gad7", 4, 45, by)  # the one before lies past the look-back
    scored(made["worse_since"], "gad7", 11, 10, by)
    scored(make("better"), "phq9", 12, 20, by)
    scored(made["better"], "phq9", 5, 2, by)
    planned(make("overdue"), by, interventions=DEPRESSION)
    scored(made["overdue"], "phq9", 4, 30, by)
    planned(make("not_scheduled"), by)  # an old PHQ-9, but the plan does not call for it
    scored(made["not_scheduled"], "phq9", 4, 30, by)
    planned(make("stalled"), by, review_on=days_ago(5))
    Goal.objects.create(**goal(made["stalled"]))
    planned(make("on_track"), by, review_on=days_ago(5))
    moving = Goal.objects.create(**goal(made["on_track"]))
    GoalProgress.objects.create(goal=moving, on=days_ago(3), percent=40)
    planned(make("taken"), by, interventions=DEPRESSION)
    scored(made["taken"], "phq9", 4, 3, by)
    Alert.objects.create(
        person=made["taken"],
        kind="overdue_reassessment",
        severity="low",
        reasons="PHQ-9 was due.",
        event_key=f"due:phq9:{days_ago(20)}",
    )
    daily(make("alerted"), 40, d3={"self_harm": True})
    Alert.objects.create(
        person=made["alerted"],
        kind="suicidal_ideation",
        severity="urgent",
        reasons="Raised by the check-in's request.",
        event_key=f"checkin:{days_ago(3)}:self_harm",
    )
    return made


def goal(who: Person) -> dict:
    return {
        "person": who,
        "statement": "Walk every morning",
        "measure": "days walked",
        "target": "5 a week",
        "confidence": 7,
        "reason": "energy",
        "due": days_ago(-30),
    }


def alerts() -> list[tuple]:
    return sorted(
        (a.person_id, a.kind, a.severity, a.event_key, a.reasons, a.resolved_at is not None)
        for a in Alert.objects.all()
    )


def evaluated_one_by_one(today: date) -> list[tuple]:
    """The alerts `actions.evaluate` leaves when run for every person, then undone."""
    with transaction.atomic():
        for each in Person.objects.order_by("pk"):
            actions.evaluate(each, today=today)
        found = alerts()
        transaction.set_rollback(True)
    return found


@pytest.mark.parametrize("batch_size", [1000, 3])
def test_the_nightly_evaluation_raises_exactly_what_evaluating_each_person_raises(
    caseload, batch_size
):
    today = timezone.localdate()
    expected = evaluated_one_by_one(today)
    before = Alert.objects.count()

    summary = nightly.evaluate_everyone(today, batch_size=batch_size)

    assert alerts() == expected
    assert summary.raised == Alert.objects.count() - before > 0
    assert (summary.checked, summary.failed) == (len(caseload), 0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_raise_the_same_alerts_as_evaluating_each_person(program, dana, seed):
    rng = random.Random(seed)
    for i in range(12):
        random_history(person(program, f"r{i}"), rng, dana.user)
    today = timezone.localdate()
    expected = evaluated_one_by_one(today)

    summary = nightly.evaluate_everyone(today, batch_size=5)

    assert alerts() == expected
    assert summary.failed == 0
    assert summary.candidates == len({key[0] for key in expected}) > 0


def random_history(who: Person, rng: random.Random, by) -> None:
    """Up to 100 days of check-ins with gaps, spikes, use and self-harm; a few PHQ-9s; maybe a
    plan with a review date and goals."""
    miss, use = rng.choice([0.0, 0.1, 0.4]), rng.choice([0.02, 0.1, 0.5])
    CheckIn.objects.bulk_create(
        CheckIn(
            person=who,
            day=days_ago(n),
            craving=rng.choice([rng.randint(0, 4), rng.randint(0, 10)]),
            mood=5,
            sleep_hours=7,
            used=rng.random() < use,
            self_harm=rng.random() < 0.01,
        )
        for n in range(rng.randint(0, 100), -1, -1)
        if rng.random() >= miss
    )
    for n in rng.sample(range(60), rng.randint(0, 4)):
        scored(who, rng.choice(["phq9", "gad7"]), rng.randint(0, 21), n, by)
    if rng.random() < 0.5:
        plan = planned(
            who,
            by,
            interventions=rng.choice([(), DEPRESSION]),
            review_on=days_ago(rng.randint(-20, 20)),
        )
        for _ in range(rng.randint(0, 2)):
            made = Goal.objects.create(**goal(who))
            for n in rng.sample(range(90), rng.randint(0, 2)):
                GoalProgress.objects.create(
                    goal=made,
                    on=days_ago(n),
                    percent=rng.randint(0, 100),
                    created=timezone.now() - timedelta(days=n),
                )
        if rng.random() < 0.5:
            Plan.objects.filter(pk=plan.pk).update(created=timezone.now() - timedelta(days=40))


def stored() -> tuple[list, ...]:
    """The alerts, the proposals and the audit entries about them, each named by what it is
    about (public ids differ from one run to the next)."""
    names = {str(a.public_id): (a.person_id, a.event_key) for a in Alert.objects.all()}
    names |= {str(p.public_id): (p.person_id, p.key) for p in Proposal.objects.all()}
    proposals = sorted(
        (p.person_id, p.plan_id, p.rule_id, p.key, p.changes, p.reasons, p.source, p.status)
        for p in Proposal.objects.all()
    )
    entries = sorted(
        (
            e.action,
            e.object_type,
            names[e.object_id],
            sorted(e.detail.items()),
            e.actor_id,
            e.actor_username,
            e.actor_role,
            e.outcome,
            e.purpose,
            e.ip,
        )
        for e in AuditEvent.objects.filter(object_type__in=["Alert", "Proposal"])
    )
    return alerts(), proposals, entries


def stored_one_by_one(people: list[Person], today: date, by) -> tuple[list, ...]:
    """What `actions.evaluate` stores when run for each of `people`, then undone."""
    with transaction.atomic():
        for each in people:
            actions.evaluate(each, today=today, by=by)
        found = stored()
        transaction.set_rollback(True)
    return found


def test_batches_store_the_alerts_proposals_and_audit_entries_that_each_person_stores(
    caseload, program, dana
):
    rng = random.Random(4)
    for i in range(12):
        random_history(person(program, f"r{i}"), rng, dana.user)
    planned(slow := person(program, "not_responding"), dana.user, interventions=DEPRESSION)
    scored(slow, "phq9", 16, 61, dana.user)
    scored(slow, "phq9", 17, 1, dana.user)
    daily(slow, 40, 5)
    today = timezone.localdate()
    nightly.refresh_schedules()
    # The nightly evaluation looks only at the people with something new (a missed day, here).
    found = [pk for (pk,) in nightly.stream(nightly.candidates_sql(), today)]
    expected = stored_one_by_one(list(Person.objects.filter(pk__in=found)), today, dana.user)

    nightly.evaluate_everyone(today, batch_size=4, by=dana.user)

    raised, proposals, entries = stored()
    assert (raised, proposals, entries) == expected
    assert {p[2] for p in proposals} >= {"depression_not_responding"}
    assert any(resolved for *_, resolved in raised)
    assert [e[0] for e in entries].count("resolve") == 1
    assert audit.verify() is None


def test_a_batch_with_an_alert_raised_since_it_was_read_is_evaluated_one_by_one(
    caseload, monkeypatch, caplog
):
    today = timezone.localdate()
    expected = evaluated_one_by_one(today)
    before = Alert.objects.count()
    reference = batch._known

    def and_then_a_request(ids):
        known = reference(ids)
        # The self-harm alert is raised by a request after the batch read the alerts raised.
        actions.on_checkin(
            CheckIn.objects.get(person=caseload["self_harm"], self_harm=True), by=None
        )
        return known

    monkeypatch.setattr(batch, "_known", and_then_a_request)

    summary = nightly.evaluate_everyone(today, batch_size=1000)

    assert "nightly batch of 13 people evaluated one by one" in caplog.text
    assert alerts() == expected
    assert (summary.raised + 1, summary.failed) == (Alert.objects.count() - before, 0)
    # The request's alert and tonight's, each audited once: nothing of the undone batch stays.
    assert AuditEvent.objects.filter(action="create", object_type="Alert").count() == (
        summary.raised + 1
    )
    assert audit.verify() is None


def test_a_person_whose_proposals_fail_still_gets_their_alerts(caseload, monkeypatch, caplog):
    reference = actions.proposals

    def failing(seen, now):
        if seen.plan.person.given_name == "overdue":
            raise RuntimeError("a broken plan")
        return reference(seen, now)

    monkeypatch.setattr(actions, "proposals", failing)

    summary = nightly.evaluate_everyone(timezone.localdate())

    assert summary.failed == 1
    assert Alert.objects.filter(person=caseload["overdue"], kind="overdue_reassessment").exists()
    assert f"nightly evaluation failed for person {caseload['overdue'].public_id}" in caplog.text


def test_it_evaluates_only_the_people_with_something_new_to_raise(caseload, monkeypatch):
    evaluated = []
    reference = batch.decide

    def counting(who, *args, **kwargs):
        evaluated.append(who.given_name)
        return reference(who, *args, **kwargs)

    monkeypatch.setattr(batch, "decide", counting)

    summary = nightly.evaluate_everyone(timezone.localdate())

    assert sorted(evaluated) == [
        "craving",
        "drifting",
        "early_gap",
        "early_lapse",
        "early_spike",
        "lapse",
        "missed",
        "overdue",
        "self_harm",
        "stalled",
        "taken",
        "worse",
        "worse_since",
    ]
    assert summary.candidates == len(evaluated)
    kinds = dict(Alert.objects.values_list("person__given_name", "kind"))
    assert kinds["missed"] == "missed_checkins"
    assert kinds["overdue"] == "overdue_reassessment"
    assert kinds["stalled"] == "goals_stalled"
    assert kinds["worse"] == "reliable_worsening"
    assert Alert.objects.get(person=caseload["taken"]).resolved_at is not None


def test_a_second_run_the_same_night_evaluates_no_one_and_raises_nothing(caseload):
    today = timezone.localdate()
    nightly.evaluate_everyone(today)
    raised = alerts()

    again = nightly.evaluate_everyone(today)

    assert (again.candidates, again.raised, again.schedules) == (0, 0, 0)
    assert alerts() == raised


def test_the_next_night_raises_only_what_time_alone_made_new(caseload):
    last_night = nightly.evaluate_everyone(days_ago(1))
    today = timezone.localdate()
    expected = evaluated_one_by_one(today)

    tonight = nightly.evaluate_everyone(today)

    assert alerts() == expected
    assert (last_night.failed, tonight.failed) == (0, 0)
    assert (last_night.candidates, tonight.candidates) == (12, 1)


def test_each_plan_version_is_read_into_the_schedule_once(caseload, dana):
    assert nightly.refresh_schedules() == 5
    assert nightly.refresh_schedules() == 0
    old = Schedule.objects.get(person=caseload["overdue"])
    assert old.measures.split() == ["phq9", "checkin"]

    Plan.objects.create(
        person=caseload["overdue"],
        version=2,
        document={"placement": {"level": "1.0"}, "interventions": [], "review_on": None},
        kb_version="test",
        level="1.0",
        created_by=dana.user,
    )

    assert nightly.refresh_schedules(batch_size=1) == 1
    new = Schedule.objects.get(person=caseload["overdue"])
    assert (new.measures.split(), new.review_on) == (["checkin"], None)


def test_the_schedules_are_read_again_under_new_rules(caseload):
    nightly.refresh_schedules()
    Schedule.objects.filter(person=caseload["stalled"]).update(rules="older rules")

    assert nightly.refresh_schedules() == 1
    assert Schedule.objects.get(person=caseload["stalled"]).rules == nightly.rules_digest(
        monitoring_rules()
    )


def test_one_failing_evaluation_is_logged_and_everyone_else_is_still_evaluated(
    caseload, monkeypatch, caplog
):
    reference = batch.decide

    def failing(who, *args, **kwargs):
        if who.given_name == "craving":
            raise RuntimeError("a broken record")
        return reference(who, *args, **kwargs)

    monkeypatch.setattr(batch, "decide", failing)

    summary = nightly.evaluate_everyone(timezone.localdate())

    assert summary.failed == 1
    assert not Alert.objects.filter(person=caseload["craving"]).exists()
    assert Alert.objects.filter(person=caseload["lapse"], kind="return_to_use").exists()
    assert f"nightly evaluation failed for person {caseload['craving'].public_id}" in caplog.text


def test_the_nightly_evaluation_is_a_periodic_task_at_two_in_the_morning(caseload):
    from huey.contrib.djhuey import HUEY

    from trellis.monitoring.tasks import nightly_evaluation

    at_two = datetime(2026, 11, 26, 2, 0)
    assert "nightly_evaluation" in {t.name for t in HUEY.read_periodic(at_two)}
    assert "nightly_evaluation" not in {
        t.name for t in HUEY.read_periodic(at_two + timedelta(hours=1))
    }
    assert nightly_evaluation.huey is HUEY

    summary = nightly_evaluation.call_local()

    assert summary["checked"] == len(caseload)
    assert summary["raised"] == Alert.objects.count() - 2  # two were there before
