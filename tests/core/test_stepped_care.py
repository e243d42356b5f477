"""Stepped care: each rule fires on a hand-made progress record and not just below its boundary;
declined and contraindicated items are never proposed; `apply` turns a proposal into a plan
version that keeps every earlier intervention; a bad rules file fails naming file, rule, reason.
Durations and bands come from the sources the rules cite (APA 2010 and collaborative care for
8 weeks, NIDA for 90 days, the PHQ-9 and GAD-7 published bands)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.planning import generate
from trellis.core.stepped_care import Change, MeasureChange, Progress, Proposal, apply, propose
from trellis.knowledge import placement_rules, plan_rules
from trellis.knowledge.interventions import knowledge_base
from trellis.knowledge.stepped_care import SteppedCareError, load, rules

START = date(2026, 12, 1)  # the current plan version began
NO_SI = {"asq": [False, False, False, False]}


def progress(days_in_plan: int = 91, **changes) -> Progress:
    fields = {
        "today": START + timedelta(days=days_in_plan),
        "plan_started_on": START,
        "level": "1.0",
        "active": (),
        "declined": (),
        "measures": (),
        "days_used_past_30": None,
        "checkins_past_30": 0,
        "open_alert_kinds": (),
        "goals_stalled": False,
        **changes,
    }
    return Progress(**fields)


def measure(instrument, first, latest, direction, band=None, weeks=8) -> MeasureChange:
    return MeasureChange(
        instrument,
        first,
        latest,
        START - timedelta(days=5),
        START + timedelta(weeks=weeks),
        direction,
        band,
    )


def doing_well(**changes) -> Progress:
    fields = {
        "level": "2.1",
        "days_used_past_30": 0,
        "checkins_past_30": 24,
        "measures": (measure("phq9", 14, 6, "improved", "mild", weeks=12),),
        **changes,
    }
    return progress(fields.pop("days_in_plan", 90), **fields)


def ids(proposals: list[Proposal]) -> list[str]:
    return [p.rule_id for p in proposals]


# -- depression and anxiety ----------------------------------------------------------------


def test_depression_without_reliable_improvement_after_eight_weeks_adds_treatment_and_a_psychiatric_evaluation():
    result = propose(
        progress(measures=(measure("phq9", 14, 17, "no reliable change", "moderately severe"),))
    )

    assert ids(result) == ["depression_not_responding"]
    assert result[0].changes == (
        Change("add", "mh.depression_treatment", None),
        Change("add", "mh.psychiatric_eval", None),
    )
    assert result[0].reasons[:2] == (
        "PHQ-9 went from 14 to 17 over 8 weeks of the plan: no reliable improvement.",
        "Latest PHQ-9 band: moderately severe.",
    )
    assert "Practice Guideline for the Treatment of Patients With Major Depressive Disorder" in (
        result[0].source
    )


def test_depression_treatment_already_in_the_plan_is_intensified_rather_than_added_again():
    active = ("mh.depression_treatment", "mh.psychiatric_eval")
    result = propose(
        progress(
            active=active, measures=(measure("phq9", 12, 19, "worsened", "moderately severe"),)
        )
    )

    assert result[0].changes == (Change("intensify", "mh.depression_treatment", None),)
    assert result[0].reasons[0].endswith(": reliable worsening.")


@pytest.mark.parametrize(
    ("direction", "band", "weeks"),
    [
        ("no reliable change", "moderately severe", 7),  # too early to call non-response
        ("no reliable change", "mild", 8),  # below the moderate band
        ("improved", "moderate", 8),  # reliably better, still moderate: keep going
    ],
)
def test_depression_just_below_the_rule_brings_no_proposal(direction, band, weeks):
    measures = (measure("phq9", 14, 12, direction, band, weeks=weeks),)

    assert propose(progress(measures=measures)) == []


def test_anxiety_without_reliable_improvement_after_eight_weeks_adds_anxiety_treatment():
    result = propose(
        progress(measures=(measure("gad7", 12, 13, "no reliable change", "moderate"),))
    )

    assert ids(result) == ["anxiety_not_responding"]
    assert result[0].changes == (
        Change("add", "mh.anxiety_treatment", None),
        Change("add", "mh.psychiatric_eval", None),
    )
    assert "CG113" in result[0].source


@pytest.mark.parametrize(("band", "weeks"), [("moderate", 7), ("mild", 8)])
def test_anxiety_just_below_the_rule_brings_no_proposal(band, weeks):
    measures = (measure("gad7", 12, 9, "no reliable change", band, weeks=weeks),)

    assert propose(progress(measures=measures)) == []


# -- continued use and the BAM -------------------------------------------------------------


def test_continued_use_with_stalled_goals_steps_up_one_level_and_adds_relapse_prevention_and_contingency_management():
    result = propose(progress(30, days_used_past_30=4, checkins_past_30=20, goals_stalled=True))

    assert ids(result) == ["continued_use"]
    assert result[0].changes == (
        Change("add", "self.relapse_prevention_plan", None),
        Change("add", "psy.cm", None),
        Change("step_up", None, "2.1"),
    )
    assert "Use on 4 of the past 30 days (20 check-ins)." in result[0].reasons
    assert "The plan's goals have stalled." in result[0].reasons


@pytest.mark.parametrize(
    ("days_in_plan", "days_used", "stalled"),
    [(30, 3, True), (29, 4, True), (30, 4, False)],
)
def test_continued_use_just_below_the_rule_does_not_step_up(days_in_plan, days_used, stalled):
    record = progress(
        days_in_plan, days_used_past_30=days_used, checkins_past_30=20, goals_stalled=stalled
    )

    assert propose(record) == []


def test_an_open_return_to_use_alert_steps_up_even_without_check_ins():
    result = propose(progress(30, open_alert_kinds=("return_to_use",)))

    assert Change("step_up", None, "2.1") in result[0].changes
    assert "Open alert: return to use." in result[0].reasons


def test_stepped_care_does_not_step_up_past_intensive_outpatient_on_its_own():
    record = progress(
        60,
        level="2.1",
        active=("self.relapse_prevention_plan", "psy.cm"),
        open_alert_kinds=("return_to_use",),
    )

    result = propose(record)

    assert result[0].changes == (Change("intensify", "self.relapse_prevention_plan", None),)
    assert (
        "Level 2.1 (Intensive outpatient services) is as far as stepped care goes on its own: "
        "a more intensive level needs a clinician to reassess all six dimensions with the person "
        "first."
    ) in result[0].reasons


@pytest.mark.parametrize("instrument", ["bam.use", "bam.risk"])
def test_reliable_worsening_on_the_bam_intensifies_relapse_prevention_work(instrument):
    active = ("self.relapse_prevention_plan", "psy.individual_counseling")
    record = progress(active=active, measures=(measure(instrument, 20, 60, "worsened"),))

    result = propose(record)

    assert ids(result) == ["bam_worsening"]
    assert result[0].changes == (
        Change("intensify", "self.relapse_prevention_plan", None),
        Change("intensify", "psy.individual_counseling", None),
    )


@pytest.mark.parametrize(
    ("instrument", "direction"),
    [("bam.use", "no reliable change"), ("bam.protective", "worsened")],
)
def test_the_bam_without_reliable_worsening_on_use_or_risk_brings_nothing(instrument, direction):
    record = progress(measures=(measure(instrument, 20, 30, direction),))

    assert propose(record) == []


# -- doing well ----------------------------------------------------------------------------


def test_ninety_days_without_use_and_settled_measures_steps_down_one_level():
    result = propose(doing_well())

    assert ids(result) == ["doing_well"]
    assert result[0].changes == (Change("step_down", None, "1.0"),)
    assert "No use on any of the 24 check-ins of the past 30 days." in result[0].reasons
    assert "Principles of Drug Addiction Treatment" in result[0].source


@pytest.mark.parametrize(
    "changes",
    [
        {"days_in_plan": 89},
        {"checkins_past_30": 23},
        {"days_used_past_30": 1},
        {"days_used_past_30": None},
        {"open_alert_kinds": ("craving_spike",)},
        {"goals_stalled": True},
        {"measures": (measure("gad7", 12, 11, "no reliable change", "moderate", weeks=4),)},
        {"measures": (measure("bam.protective", 60, 30, "worsened"),)},
    ],
)
def test_doing_well_is_not_proposed_just_below_its_boundaries(changes):
    assert "doing_well" not in ids(propose(doing_well(**changes)))


def test_doing_well_at_outpatient_is_not_stepped_down_to_early_intervention():
    assert propose(doing_well(level="1.0")) == []


def test_a_person_on_buprenorphine_keeps_it_when_the_level_steps_down():
    result = propose(doing_well(active=("med.buprenorphine", "psy.cbt")))

    assert result[0].changes == (Change("step_down", None, "1.0"),)
    assert result[0].reasons[-1] == (
        "Buprenorphine (sublingual) for opioid use disorder continues unchanged: there is no "
        "recommended time limit for medication for opioid use disorder (ASAM 2020; TIP 63)."
    )


# -- informed refusal, contraindications, keys ---------------------------------------------


def test_a_declined_intervention_is_never_proposed_and_the_reasons_say_so():
    record = progress(30, days_used_past_30=10, goals_stalled=True, declined=("psy.cm",))

    result = propose(record)

    assert all(c.code != "psy.cm" for c in result[0].changes)
    assert (
        "Contingency management is not proposed: the person declined it (informed refusal)."
        in result[0].reasons
    )


def test_no_rule_ever_proposes_a_declined_code():
    treated = tuple({t.code for rule in rules().rules for t in rule.treat})
    records = [
        progress(measures=(measure("phq9", 14, 17, "worsened", "severe"),)),
        progress(measures=(measure("gad7", 14, 17, "worsened", "severe"),)),
        progress(measures=(measure("bam.risk", 14, 40, "worsened"),)),
        progress(30, days_used_past_30=12, goals_stalled=True),
    ]

    for record in records:
        for declined in (treated, treated[:2], treated[2:]):
            proposed = propose(replace(record, declined=declined))
            assert not {c.code for p in proposed for c in p.changes} & set(declined)


def test_a_contraindicated_intervention_is_never_proposed():
    record = progress(measures=(measure("phq9", 14, 17, "no reliable change", "moderate"),))

    result = propose(record, contraindicated=("mh.psychiatric_eval",))

    assert result[0].changes == (Change("add", "mh.depression_treatment", None),)
    assert "Psychiatric evaluation is not proposed: it is contraindicated in this plan." in (
        result[0].reasons
    )


def test_a_rule_whose_every_change_is_declined_proposes_nothing():
    record = progress(
        declined=("mh.depression_treatment", "mh.psychiatric_eval"),
        measures=(measure("phq9", 14, 17, "no reliable change", "moderate"),),
    )

    assert propose(record) == []


def test_the_key_names_the_rule_and_the_plan_version_so_a_situation_is_proposed_once():
    measures = (measure("phq9", 14, 17, "no reliable change", "moderate"),)
    first = propose(progress(60, measures=measures))[0]
    a_week_later = propose(progress(67, measures=measures))[0]
    again = (measure("phq9", 14, 17, "no reliable change", "moderate", weeks=9),)
    next_version = replace(progress(120, measures=again), plan_started_on=START + timedelta(days=1))

    assert first.key == a_week_later.key == "depression_not_responding:2026-12-01"
    assert propose(next_version)[0].key == "depression_not_responding:2026-12-02"


def test_a_step_down_is_withheld_while_another_rule_asks_for_more_care(tmp_path):
    path = tmp_path / "both.yaml"
    path.write_text(
        "rules:\n"
        "  - {id: more, when: 'level == \"2.1\"', says: More., treat: [psy.cbt], sources: [tip42]}\n"
        "  - {id: less, when: 'level == \"2.1\"', says: Less., step: down, limit: '1.0',"
        " sources: [tip42]}\n"
    )

    assert ids(propose(progress(level="2.1"), rules=load(path))) == ["more"]


# -- apply on a real plan ------------------------------------------------------------------


def plan(criteria=3, **sections):
    document = {
        "schema": "trellis.intake/1",
        "assessed_on": "2026-11-20",
        "person": {"id": "v", "age": 35},
        "instruments": dict(NO_SI),
        "substances": [
            {
                "substance": sections.pop("substance", "alcohol"),
                "dsm5_criteria_count": criteria,
                "days_used_past_30": 20,
                "last_use_days_ago": 5,
            }
        ],
        "environment": {"housing": "stable"},
        **sections,
    }
    return generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=START,
    )


def of(document, status):
    return tuple(i["code"] for i in document["interventions"] if i["status"] in status)


def progress_of(document, days_in_plan, **changes) -> Progress:
    return progress(
        days_in_plan,
        level=document["placement"]["level"],
        active=of(document, ("recommended", "consider")),
        declined=of(document, ("declined",)),
        **changes,
    )


def item(document, code):
    return next(i for i in document["interventions"] if i["code"] == code)


def test_apply_adds_the_proposed_interventions_with_their_reasons_and_keeps_every_other_one():
    before = plan()
    assert before["placement"]["level"] == "1.0"
    measures = (measure("phq9", 14, 17, "no reliable change", "moderately severe"),)
    [proposal] = propose(progress_of(before, 60, measures=measures))
    today = START + timedelta(days=60)

    after = apply(before, proposal, kb=knowledge_base(), today=today)

    added = item(after, "mh.depression_treatment")
    assert added["status"] == "recommended"
    assert added["because"] == [
        "proposed by stepped-care rule depression_not_responding on 2027-01-30",
        *proposal.reasons,
    ]
    assert item(after, "mh.psychiatric_eval")["status"] == "consider"  # expert evidence, as planned
    assert after["interventions"][: len(before["interventions"])] == before["interventions"]
    assert after["review_on"] == "2027-04-30"  # 90 days at level 1.0 (plan.yaml)


def test_apply_steps_up_and_intensifies_with_a_rationale_line_naming_the_rule():
    before = plan()
    record = progress_of(before, 30, days_used_past_30=6, checkins_past_30=25, goals_stalled=True)
    [proposal] = propose(record)
    assert proposal.changes == (
        Change("intensify", "self.relapse_prevention_plan", None),
        Change("step_up", None, "2.1"),
    )

    after = apply(before, proposal, kb=knowledge_base(), today=START + timedelta(days=30))

    assert after["placement"]["level"] == "2.1"
    assert after["placement"]["name"] == "Intensive outpatient services"
    assert after["placement"]["rationale"][-1].startswith(
        "Stepped care (stepped-care rule continued_use on 2026-12-31): level 1.0 → 2.1."
    )
    plan_item = item(after, "self.relapse_prevention_plan")
    assert plan_item["frequency"] == (
        "reviewed with the clinician at every session and after any use, and updated with what "
        "led to it"
    )
    assert (
        "intensified by stepped-care rule continued_use on 2026-12-31 "
        "(frequency was: as agreed in the plan)"
    ) in plan_item["because"]
    assert [i["code"] for i in after["interventions"]] == [
        i["code"] for i in before["interventions"]
    ]
    assert after["review_on"] == "2027-01-30"  # 30 days at level 2.1


def test_apply_steps_down_from_an_override_and_keeps_medication_for_opioid_use_disorder():
    before = plan(6, substance="heroin")
    before["placement"]["override"] = {"level": "2.1", "reason": "no day program", "by": "dana"}
    record = replace(progress_of(before, 90, days_used_past_30=0, checkins_past_30=28), level="2.1")
    [proposal] = propose(record)

    after = apply(before, proposal, kb=knowledge_base(), today=START + timedelta(days=90))

    assert after["placement"]["level"] == "1.0"
    assert after["placement"]["override"] is None
    assert after["placement"]["rationale"][-1].startswith(
        "Earlier override to 2.1 by dana: no day program"
    )
    assert item(after, "med.buprenorphine") == item(before, "med.buprenorphine")
    assert after["interventions"] == before["interventions"]


@pytest.mark.parametrize("action", ["add", "intensify"])
def test_apply_refuses_to_bring_back_an_intervention_the_person_declined(action):
    before = plan(4, preferences={"declines": ["self.relapse_prevention_plan"]})
    change = Change(action, "self.relapse_prevention_plan", None)
    proposal = Proposal("bam_worsening", (change,), ("x",), "s", "k")

    with pytest.raises(
        InvalidInput,
        match=re.escape(
            "self.relapse_prevention_plan is declined in this plan: stepped care never proposes it"
        ),
    ):
        apply(before, proposal, kb=knowledge_base(), today=START)


def test_apply_refuses_a_step_that_is_not_one_level_from_the_plan():
    proposal = Proposal("continued_use", (Change("step_up", None, "2.5"),), ("x",), "s", "k")

    with pytest.raises(InvalidInput, match=re.escape("level must be one level above 1.0")):
        apply(plan(), proposal, kb=knowledge_base(), today=START)


# -- the rules file ------------------------------------------------------------------------


def test_the_shipped_rules_load_and_each_names_a_source():
    loaded = rules()

    assert [r.id for r in loaded.rules] == [
        "depression_not_responding",
        "anxiety_not_responding",
        "continued_use",
        "bam_worsening",
        "doing_well",
    ]
    assert all(r.source and r.says for r in loaded.rules)


GOOD = {
    "id": "r1",
    "when": "phq9_worsened",
    "says": "Worse.",
    "treat": ["psy.cbt"],
    "sources": ["tip42"],
}


@pytest.mark.parametrize(
    ("rule", "error"),
    [
        (
            {**GOOD, "treat": ["psy.unknown"]},
            "r1: treat: psy.unknown is not a code of interventions.csv",
        ),
        (
            {**GOOD, "step": "up", "limit": "2.2"},
            "r1: limit must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, 3.7, 4.0",
        ),
        ({k: v for k, v in GOOD.items() if k != "sources"}, "r1: needs sources"),
        (
            {**GOOD, "sources": ["nobody_2020"]},
            "r1: every source must be named in sources (and there must be one)",
        ),
        (
            {**GOOD, "when": "phq9_score > 3"},
            "r1: 'phq9_score > 3' names unknown facts: phq9_score",
        ),
        (
            {**GOOD, "when": 'phq9_band == "moderatly severe"'},
            "r1: phq9_band is compared with 'moderatly severe'; its published bands are "
            "minimal, mild, moderate, moderately severe, severe",
        ),
        ({**GOOD, "treat": [], "step": None}, "r1: needs treat or step (it would change nothing)"),
    ],
)
def test_a_bad_rule_fails_at_load_time_naming_the_file_the_rule_and_the_reason(
    tmp_path, rule, error
):
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "rules": [rule]}))

    with pytest.raises(SteppedCareError, match=re.escape(f"bad.yaml: {error}")):
        load(path)


def test_an_intensified_frequency_needs_both_languages_and_a_source(tmp_path):
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump({"intensify": {"psy.cbt": {"en": "more", "sources": ["tip42"]}}})
    )

    with pytest.raises(
        SteppedCareError, match=re.escape("bad.yaml: intensify psy.cbt: needs text in es")
    ):
        load(path)
