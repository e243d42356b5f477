"""Clinical vignettes for the plan generator. Each asserts statuses, the reasons (the data that
triggered an item) and the contraindications, against the sources the entries cite (FDA labels,
SAMHSA TIPs 39/42/63, ASAM OUD guideline, VA/DoD SUD guideline, USPSTF tobacco)."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.core.planning import generate
from trellis.knowledge import placement_rules, plan_rules
from trellis.knowledge.interventions import knowledge_base

TODAY = date(2026, 11, 25)
NO_SI = {"asq": [False, False, False, False]}


def plan(**sections):
    person = {"id": "v", "age": 35, **sections.pop("person", {})}
    document = {
        "schema": "trellis.intake/1",
        "assessed_on": "2026-11-20",
        "person": person,
        "instruments": dict(NO_SI),
        **sections,
    }
    return generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=TODAY,
    )


def sub(name, criteria=6, **more):
    return {
        "substance": name,
        "dsm5_criteria_count": criteria,
        "days_used_past_30": 20,
        "last_use_days_ago": 5,
        **more,
    }


def status(result, code):
    found = [i for i in result["interventions"] if i["code"] == code]
    return found[0]["status"] if found else None


def item(result, code):
    return next(i for i in result["interventions"] if i["code"] == code)


def test_opioid_use_disorder_brings_all_three_medications_and_naloxone():
    result = plan(substances=[sub("heroin")])
    assert status(result, "med.buprenorphine") == "recommended"
    assert status(result, "med.methadone") == "recommended"
    assert status(result, "med.naltrexone_xr") == "consider"  # needs an opioid-free period first
    assert status(result, "safety.naloxone") == "recommended"
    assert item(result, "med.buprenorphine")["because"] == [
        "opioid use disorder: heroin (6 DSM-5 criteria)"
    ]


def test_pregnancy_with_opioid_use_disorder_keeps_buprenorphine_and_methadone_and_makes_naltrexone_a_judgement():
    result = plan(
        person={"sex_at_birth": "female", "pregnant": True},
        substances=[sub("prescription_opioids")],
    )
    assert status(result, "med.buprenorphine") == "recommended"
    assert status(result, "med.methadone") == "recommended"
    assert (
        "caution: limited data in pregnancy (TIP 63)"
        in item(result, "med.naltrexone_xr")["contraindications"]
    )
    assert status(result, "med.buprenorphine_xr") == "consider"


def test_reduced_kidney_function_rules_out_acamprosate():
    result = plan(substances=[sub("alcohol")], medical={"creatinine_clearance_ml_min": 25})
    assert status(result, "med.acamprosate") == "contraindicated"
    assert item(result, "med.acamprosate")["contraindications"] == [
        "creatinine clearance 30 mL/min or less (FDA label)"
    ]
    assert item(result, "med.acamprosate")["alternatives"] == [
        "med.naltrexone_oral",
        "med.naltrexone_xr",
    ]


def test_moderately_reduced_kidney_function_makes_acamprosate_a_judgement():
    result = plan(substances=[sub("alcohol")], medical={"creatinine_clearance_ml_min": 45})
    assert status(result, "med.acamprosate") == "consider"


def test_liver_failure_rules_out_naltrexone_and_disulfiram():
    result = plan(
        substances=[sub("alcohol")],
        medical={"liver": "failure"},
        preferences={"recovery_goal": "abstinence"},
    )
    assert status(result, "med.naltrexone_oral") == "contraindicated"
    assert status(result, "med.naltrexone_xr") == "contraindicated"
    assert status(result, "med.disulfiram") == "contraindicated"
    assert status(result, "med.acamprosate") == "recommended"


def test_current_opioid_analgesics_rule_out_naltrexone():
    result = plan(substances=[sub("alcohol")], medical={"current_medications": ["oxycodone"]})
    assert status(result, "med.naltrexone_oral") == "contraindicated"
    assert item(result, "med.naltrexone_oral")["contraindications"][0].startswith(
        "current opioid medicines"
    )
    assert status(result, "safety.naloxone") == "recommended"


def test_long_qtc_rules_out_methadone_and_a_borderline_one_asks_for_judgement():
    assert (
        status(plan(substances=[sub("fentanyl")], medical={"qtc_ms": 520}), "med.methadone")
        == "contraindicated"
    )
    borderline = plan(substances=[sub("fentanyl")], medical={"qtc_ms": 470})
    assert status(borderline, "med.methadone") == "consider"
    assert (
        "caution: QTc 450 ms or more: discuss the risk and monitor the ECG (TIP 63)"
        in item(borderline, "med.methadone")["contraindications"]
    )


def test_methadone_with_another_qt_prolonging_medicine_needs_judgement():
    result = plan(substances=[sub("heroin")], medical={"current_medications": ["citalopram"]})
    assert status(result, "med.methadone") == "consider"


def test_disulfiram_with_an_interacting_medicine_is_ruled_out():
    result = plan(
        substances=[sub("alcohol")],
        medical={"current_medications": ["metronidazole"]},
        preferences={"recovery_goal": "abstinence"},
    )
    assert status(result, "med.disulfiram") == "contraindicated"
    assert item(result, "med.disulfiram")["contraindications"] == [
        "an interacting medicine (FDA label)"
    ]


def test_disulfiram_is_offered_only_with_an_abstinence_goal():
    assert status(plan(substances=[sub("alcohol")]), "med.disulfiram") is None
    assert (
        status(
            plan(substances=[sub("alcohol")], preferences={"recovery_goal": "abstinence"}),
            "med.disulfiram",
        )
        == "consider"
    )


def test_stimulants_only_bring_contingency_management_and_cbt_and_no_medication():
    result = plan(substances=[sub("methamphetamine")])
    assert status(result, "psy.cm") == "recommended"
    assert status(result, "psy.cbt") == "recommended"
    assert not [i for i in result["interventions"] if i["category"] == "pharmacotherapy"]


def test_benzodiazepine_dependence_brings_a_supervised_taper():
    result = plan(substances=[sub("benzodiazepines")])
    assert status(result, "med.benzodiazepine_taper") == "recommended"


def test_adolescents_get_adolescent_treatments_and_not_adult_only_medicines():
    result = plan(
        person={"age": 16},
        substances=[sub("cannabis", 4)],
        instruments={"crafft": [True, True, True, False, False, False], **NO_SI},
    )
    assert status(result, "psy.acra") == "recommended"
    assert status(result, "fam.mdft") == "recommended"
    assert status(result, "psy.cra") is None
    assert status(result, "com.prevention_education") == "consider"


def test_an_adolescent_with_opioid_use_disorder_cannot_have_extended_release_buprenorphine():
    result = plan(person={"age": 17}, substances=[sub("opioids")])
    assert status(result, "med.buprenorphine_xr") == "contraindicated"
    assert status(result, "med.methadone") == "consider"
    assert status(result, "med.buprenorphine") == "recommended"


def test_an_adolescent_smoker_is_not_offered_varenicline():
    result = plan(person={"age": 16}, substances=[sub("tobacco", 4)])
    assert status(result, "med.varenicline") == "contraindicated"
    assert status(result, "med.nrt") == "recommended"


def test_a_declined_medication_stays_visible_with_alternatives():
    result = plan(substances=[sub("heroin")], preferences={"declines": ["med.methadone"]})
    methadone = item(result, "med.methadone")
    assert methadone["status"] == "declined"
    assert methadone["alternatives"] == ["med.buprenorphine", "med.naltrexone_xr"]
    assert result["placement"]["opioid_treatment_program"] is False


def test_declining_a_whole_category_declines_every_item_in_it():
    result = plan(substances=[sub("alcohol")], preferences={"declines": ["pharmacotherapy"]})
    meds = [i for i in result["interventions"] if i["category"] == "pharmacotherapy"]
    assert meds
    assert {i["status"] for i in meds} == {"declined"}


def test_co_occurring_depression_anxiety_and_ptsd_bring_their_treatments_and_integrated_care():
    result = plan(
        substances=[sub("alcohol")],
        instruments={
            "phq9": [2, 2, 2, 2, 1, 1, 1, 1, 0],
            "gad7": [2, 2, 2, 2, 1, 1, 1],
            "pcl5": [2] * 20,
            **NO_SI,
        },
    )
    assert status(result, "mh.depression_treatment") == "recommended"
    assert status(result, "mh.anxiety_treatment") == "recommended"
    assert status(result, "mh.ptsd_treatment") == "recommended"
    assert status(result, "psy.seeking_safety") == "recommended"
    assert status(result, "mh.integrated_care") == "recommended"
    assert item(result, "mh.depression_treatment")["because"] == ["PHQ9 12 (moderate)"]


def test_suicide_risk_puts_the_crisis_plan_first():
    result = plan(
        substances=[sub("alcohol")], instruments={"asq": [True, False, False, False, False]}
    )
    assert result["interventions"][0]["code"] == "safety.crisis_plan"
    assert result["interventions"][0]["status"] == "recommended"
    assert any(p["dimension"] == 3 for p in result["problems"])


def test_social_needs_become_referrals():
    result = plan(
        substances=[sub("alcohol")],
        environment={
            "housing": "homeless",
            "employment": "unemployed",
            "has_transportation": False,
            "food_insecurity": True,
            "childcare_needed": True,
            "legal": ["probation"],
        },
    )
    codes = {r["code"] for r in result["referrals"]}
    assert {
        "com.housing",
        "com.vocational",
        "com.transportation",
        "com.food",
        "com.childcare",
        "com.legal_financial",
    } <= codes
    assert (
        next(r for r in result["referrals"] if r["code"] == "com.housing")["reason"]
        == "housing: homeless"
    )
    assert all(r["service_id"] is None for r in result["referrals"])


def test_family_involvement_brings_the_family_strategies():
    result = plan(
        substances=[sub("alcohol")],
        environment={"family_involvement_wanted": True, "supportive_people_count": 2},
    )
    family = {i["code"] for i in result["interventions"] if i["category"] == "family"}
    assert {
        "fam.education",
        "fam.therapy",
        "fam.support_groups",
        "fam.boundaries",
        "fam.empathy",
        "fam.participation",
        "fam.communication",
        "fam.milestones",
        "fam.self_care",
    } <= family


def test_domestic_violence_rules_out_joint_family_and_couples_sessions():
    result = plan(
        substances=[sub("alcohol")],
        environment={"family_involvement_wanted": True, "domestic_violence": True},
    )
    assert status(result, "fam.therapy") == "contraindicated"
    assert status(result, "fam.bct") == "contraindicated"
    assert status(result, "safety.dv_advocacy") == "consider"


def test_tobacco_alongside_alcohol_brings_tobacco_treatment_with_a_bupropion_caution():
    result = plan(substances=[sub("alcohol"), sub("tobacco", 5)])
    assert status(result, "med.nrt") == "recommended"
    assert status(result, "med.varenicline") == "recommended"
    assert status(result, "med.bupropion_tobacco") == "consider"


def test_bupropion_is_ruled_out_with_a_seizure_disorder():
    result = plan(substances=[sub("tobacco", 5)], medical={"conditions": ["seizure_disorder"]})
    assert status(result, "med.bupropion_tobacco") == "contraindicated"


def test_topiramate_is_ruled_out_in_pregnancy():
    result = plan(person={"sex_at_birth": "female", "pregnant": True}, substances=[sub("alcohol")])
    assert status(result, "med.topiramate_aud") == "contraindicated"
    assert status(result, "med.disulfiram") is None  # not indicated without an abstinence goal


def test_the_ten_self_management_strategies_are_offered_to_someone_with_a_use_disorder():
    result = plan(substances=[sub("alcohol")])
    assert len([i for i in result["interventions"] if i["category"] == "self-management"]) == 10


def test_withdrawal_management_follows_dimension_one():
    ciwa = [2, 2, 2, 2, 2, 1, 0, 0, 1, 0]
    result = plan(
        substances=[sub("alcohol", last_use_days_ago=1)],
        instruments={"ciwa_ar": ciwa, **NO_SI},
        environment={"housing": "stable"},
    )
    assert status(result, "wm.ambulatory_extended") == "recommended"
    assert status(result, "wm.medically_monitored") is None


def test_goals_are_smart_and_use_the_persons_own_words():
    result = plan(
        substances=[sub("alcohol")],
        preferences={"goals_in_own_words": "Keep my job", "recovery_goal": "reduced_use"},
    )
    goal = next(g for g in result["goals"] if g["problem_id"] == "P5")
    assert goal["statement"].startswith("Keep my job")
    assert goal["target"] == "fewer than the 20 days reported at intake"
    assert goal["due"] == "2027-02-18"
    assert goal["owner"] == "person"
    assert all(
        set(g) == {"id", "problem_id", "statement", "measure", "target", "due", "owner"}
        for g in result["goals"]
    )


def test_interventions_link_to_the_goal_of_their_dimension():
    result = plan(substances=[sub("heroin")])
    assert item(result, "med.buprenorphine")["goal_ids"] == ["G5"]


def test_the_review_date_follows_the_level_of_care_and_missing_data_is_listed():
    result = plan(substances=[sub("cannabis", 3)], environment={"housing": "stable"})
    assert result["placement"]["level"] == "1.0"
    assert result["review_on"] == "2027-02-18"
    assert "medical" in result["missing"]


def test_without_an_assessment_date_dates_count_from_today_and_say_so():
    document = {"schema": "trellis.intake/1", "person": {"age": 40}, "substances": [sub("alcohol")]}
    result = generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=TODAY,
    )
    assert "assessed_on (dates were counted from today)" in result["missing"]


def test_the_same_intake_and_version_give_byte_identical_json():
    document = {
        "schema": "trellis.intake/1",
        "assessed_on": "2026-11-20",
        "person": {"age": 30},
        "substances": [sub("heroin"), sub("tobacco", 4)],
    }
    first = json.dumps(
        generate(
            document,
            knowledge_base(),
            placement_rules=placement_rules(),
            plan_rules=plan_rules(),
            today=TODAY,
        )
    )
    again = json.dumps(
        generate(
            json.loads(json.dumps(document)),
            knowledge_base(),
            placement_rules=placement_rules(),
            plan_rules=plan_rules(),
            today=TODAY,
        )
    )
    assert first == again
    assert json.loads(first)["kb_version"] == knowledge_base().version


def test_every_plan_item_names_its_evidence_and_sources():
    result = plan(substances=[sub("heroin"), sub("alcohol")])
    assert all(
        i["evidence"] in ("A", "B", "C", "expert") and i["sources"] for i in result["interventions"]
    )


SUBSTANCES = [
    "alcohol",
    "opioids",
    "fentanyl",
    "heroin",
    "prescription_opioids",
    "stimulants",
    "cocaine",
    "methamphetamine",
    "cannabis",
    "benzodiazepines",
    "sedatives",
    "tobacco",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    age=st.integers(12, 90),
    substances=st.lists(
        st.tuples(st.sampled_from(SUBSTANCES), st.integers(0, 11)),
        min_size=0,
        max_size=3,
        unique_by=lambda t: t[0],
    ),
    pregnant=st.booleans(),
    liver=st.sampled_from(["normal", "elevated_enzymes", "acute_hepatitis", "failure"]),
    crcl=st.one_of(st.none(), st.integers(10, 120)),
    qtc=st.one_of(st.none(), st.integers(380, 560)),
    medicines=st.lists(
        st.sampled_from(["oxycodone", "metronidazole", "citalopram", "methadone", "sertraline"]),
        max_size=2,
        unique=True,
    ),
    declines=st.lists(
        st.sampled_from(["med.methadone", "pharmacotherapy", "fam.therapy", "psy.cbt"]),
        max_size=2,
        unique=True,
    ),
    dv=st.booleans(),
)
def test_no_plan_recommends_a_contraindicated_item_and_no_indicated_item_disappears(
    age, substances, pregnant, liver, crcl, qtc, medicines, declines, dv
):
    medical = {
        "liver": liver,
        "current_medications": medicines,
        **({"creatinine_clearance_ml_min": crcl} if crcl else {}),
        **({"qtc_ms": qtc} if qtc else {}),
    }
    result = plan(
        person={"age": age, "sex_at_birth": "female", "pregnant": pregnant},
        substances=[{"substance": s, "dsm5_criteria_count": c} for s, c in substances],
        medical=medical,
        preferences={"declines": declines},
        environment={"domestic_violence": dv, "family_involvement_wanted": True},
    )
    listed = {i["code"]: i for i in result["interventions"]}
    from trellis.core.assessment import assess_intake
    from trellis.core.facts import gather

    document = {
        "schema": "trellis.intake/1",
        "assessed_on": "2026-11-20",
        "person": {"id": "v", "age": age, "sex_at_birth": "female", "pregnant": pregnant},
        "instruments": dict(NO_SI),
        "substances": [{"substance": s, "dsm5_criteria_count": c} for s, c in substances],
        "medical": medical,
        "preferences": {"declines": declines},
        "environment": {"domestic_violence": dv, "family_involvement_wanted": True},
    }
    assessment = assess_intake(document)
    facts = gather(assessment.intake, assessment.scores, assessment.profile)
    for entry in knowledge_base().entries:
        indicated = any(i.condition.holds(facts) for i in entry.indications)
        assert (entry.code in listed) == indicated, entry.code
        if indicated and any(g.condition.holds(facts) for g in entry.contraindications):
            assert listed[entry.code]["status"] == "contraindicated", entry.code
        if indicated and listed[entry.code]["status"] in ("declined", "contraindicated"):
            assert (
                listed[entry.code]["contraindications"]
                or listed[entry.code]["status"] == "declined"
            )
    assert all(i["because"] for i in result["interventions"])


def test_there_are_at_least_thirty_vignettes():
    import sys

    module = sys.modules[__name__]
    assert len([n for n in dir(module) if n.startswith("test_")]) >= 32
