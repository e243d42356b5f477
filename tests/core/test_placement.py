"""Placement cases written from the public descriptions of the six dimensions and the levels of
care (SAMHSA TIPs 42, 45 and 63; ASAM public summaries; ASAM 2020 alcohol withdrawal guideline).
Each asserts the level, the withdrawal management and the reasons that drove them."""

from __future__ import annotations

import json

import pytest

from trellis.core.assessment import assess_intake
from trellis.core.errors import InvalidInput
from trellis.core.placement import override_placement

NO_SI = {"asq": [False, False, False, False], "phq9": [0] * 9}
CIWA_SEVERE = [3, 4, 3, 3, 3, 2, 1, 1, 2, 0]  # 22
CIWA_MODERATE = [2, 2, 2, 2, 2, 1, 0, 0, 1, 0]  # 12
CIWA_MILD = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]  # 5
COWS_MODERATE = [2, 2, 1, 2, 2, 2, 1, 1, 1, 2, 0]  # 16


def intake(age=35, substances=(), instruments=None, **sections):
    return {
        "schema": "trellis.intake/1",
        "person": {"id": "case", "age": age, **sections.pop("person", {})},
        "substances": list(substances),
        "instruments": instruments if instruments is not None else dict(NO_SI),
        **sections,
    }


def sub(name, criteria, last=1, days=20, **more):
    return {
        "substance": name,
        "dsm5_criteria_count": criteria,
        "last_use_days_ago": last,
        "days_used_past_30": days,
        **more,
    }


STABLE = {
    "environment": {"housing": "stable", "supportive_people_count": 3},
    "readiness": {"stage": "action"},
}

CASES = [
    (
        "at-risk drinking without a use disorder: early intervention",
        intake(substances=[sub("alcohol", 1)], **STABLE),
        "0.5",
        None,
        [],
    ),
    (
        "mild cannabis use disorder, stable: outpatient",
        intake(substances=[sub("cannabis", 3)], **STABLE),
        "1.0",
        None,
        ["mild cannabis use disorder"],
    ),
    (
        "no substance data at all: early intervention, with what is missing",
        intake(),
        "0.5",
        None,
        [],
    ),
    (
        "moderate use disorder: intensive outpatient",
        intake(substances=[sub("stimulants", 5, last=10)], **STABLE),
        "2.1",
        None,
        ["moderate stimulants use disorder"],
    ),
    (
        "severe use disorder with stable home: partial hospitalization",
        intake(substances=[sub("cocaine", 7, last=10)], **STABLE),
        "2.5",
        None,
        ["severe cocaine use disorder"],
    ),
    (
        "severe alcohol withdrawal with a seizure history: medically managed",
        intake(
            substances=[sub("alcohol", 8, last=0)],
            instruments={**NO_SI, "ciwa_ar": CIWA_SEVERE},
            history={"withdrawal_complications": ["seizure"]},
            **STABLE,
        ),
        "4.0",
        "wm.medically_managed",
        ["CIWA-Ar 22 (severe)", "history of withdrawal seizure"],
    ),
    (
        "severe alcohol withdrawal without complications: medically monitored",
        intake(
            substances=[sub("alcohol", 8, last=0)],
            instruments={**NO_SI, "ciwa_ar": CIWA_SEVERE},
            **STABLE,
        ),
        "3.7",
        "wm.medically_monitored",
        ["CIWA-Ar 22 (severe)"],
    ),
    (
        "moderate alcohol withdrawal at home: ambulatory with extended monitoring",
        intake(
            substances=[sub("alcohol", 5, last=1)],
            instruments={**NO_SI, "ciwa_ar": CIWA_MODERATE},
            **STABLE,
        ),
        "2.1",
        "wm.ambulatory_extended",
        ["CIWA-Ar 12 (moderate)"],
    ),
    (
        "moderate withdrawal while homeless: clinically managed residential withdrawal",
        intake(
            substances=[sub("alcohol", 5, last=1)],
            instruments={**NO_SI, "ciwa_ar": CIWA_MODERATE},
            environment={"housing": "homeless"},
        ),
        "3.1",
        "wm.clinically_managed",
        ["homeless"],
    ),
    (
        "mild alcohol withdrawal: ambulatory withdrawal management",
        intake(
            substances=[sub("alcohol", 3, last=1)],
            instruments={**NO_SI, "ciwa_ar": CIWA_MILD},
            **STABLE,
        ),
        "1.0",
        "wm.ambulatory",
        ["CIWA-Ar 5 (mild)"],
    ),
    (
        "moderate opioid withdrawal: opioid treatment program indicated",
        intake(
            substances=[sub("heroin", 7, last=1, route="injection")],
            instruments={**NO_SI, "cows": COWS_MODERATE},
            **STABLE,
        ),
        "2.5",
        "wm.ambulatory_extended",
        ["COWS 16 (moderate)", "severe heroin use disorder"],
    ),
    (
        "opioid overdose in the past year: residential",
        intake(
            substances=[sub("fentanyl", 7, last=2)], history={"overdoses_past_year": 2}, **STABLE
        ),
        "3.5",
        "wm.ambulatory",
        ["2 overdose(s) in the past year with continued opioid use"],
    ),
    (
        "acute suicide risk on the ASQ: medically managed, urgent",
        intake(
            substances=[sub("alcohol", 4, last=5)],
            instruments={"asq": [True, False, True, False, True]},
            **STABLE,
        ),
        "4.0",
        None,
        ["asq: acute positive suicide screen"],
    ),
    (
        "non-acute positive ASQ: partial hospitalization with a safety plan",
        intake(
            substances=[sub("alcohol", 4, last=5)],
            instruments={"asq": [True, False, False, False, False]},
            **STABLE,
        ),
        "2.5",
        None,
        ["asq: suicidal ideation"],
    ),
    (
        "PHQ-9 item 9 positive: safety first",
        intake(
            substances=[sub("cannabis", 2)],
            instruments={"phq9": [1, 1, 1, 1, 1, 1, 1, 1, 1], "asq": [False] * 4},
            **STABLE,
        ),
        "2.5",
        None,
        ["phq9: suicidal ideation"],
    ),
    (
        "severe depression without suicidal thoughts: intensive outpatient",
        intake(
            substances=[sub("alcohol", 3, last=5)],
            instruments={"phq9": [3, 3, 3, 3, 3, 3, 2, 0, 0], "asq": [False] * 4},
            **STABLE,
        ),
        "2.1",
        None,
        ["PHQ-9 20 (severe)"],
    ),
    (
        "psychosis with a moderate use disorder: intensive outpatient with psychiatric care",
        intake(
            substances=[sub("methamphetamine", 5, last=10)],
            mental_health={"diagnoses": ["psychosis"]},
            **STABLE,
        ),
        "2.1",
        None,
        ["diagnosis: psychosis"],
    ),
    (
        "liver failure: medically monitored",
        intake(substances=[sub("alcohol", 6, last=10)], medical={"liver": "failure"}, **STABLE),
        "3.7",
        None,
        ["liver failure"],
    ),
    (
        "pregnancy with opioid use disorder: coordinated care, OTP indicated",
        intake(
            substances=[sub("prescription_opioids", 6, last=10)],
            person={"sex_at_birth": "female", "pregnant": True},
            **STABLE,
        ),
        "2.5",
        None,
        ["pregnant: obstetric care to coordinate"],
    ),
    (
        "homelessness with a severe use disorder: high-intensity residential",
        intake(
            substances=[sub("alcohol", 7, last=10)],
            environment={"housing": "homeless"},
            readiness={"stage": "action"},
        ),
        "3.1",
        None,
        ["homeless"],
    ),
    (
        "domestic violence at home: residential and advocacy",
        intake(
            substances=[sub("alcohol", 4, last=10)],
            environment={"housing": "stable", "domestic_violence": True},
            readiness={"stage": "action"},
        ),
        "3.1",
        None,
        ["domestic violence"],
    ),
    (
        "precontemplation alone does not raise intensity",
        intake(
            substances=[sub("cannabis", 3)],
            environment={"housing": "stable"},
            readiness={"stage": "precontemplation", "mandated": True},
        ),
        "1.0",
        None,
        ["mild cannabis use disorder"],
    ),
    (
        "an adolescent with a positive CRAFFT and mild disorder: outpatient",
        intake(
            age=16,
            substances=[sub("cannabis", 3)],
            instruments={"crafft": [True, True, True, False, False, False], "asq": [False] * 4},
            **STABLE,
        ),
        "1.0",
        None,
        ["mild cannabis use disorder"],
    ),
]


@pytest.mark.parametrize(
    ("title", "document", "level", "wm", "reasons"), CASES, ids=[c[0] for c in CASES]
)
def test_placement_case(title, document, level, wm, reasons):
    result = assess_intake(document)

    assert result.placement.level == level
    assert result.placement.withdrawal_management == wm
    text = " ".join(
        [*result.placement.rationale, *(r for d in result.profile.dimensions for r in d.reasons)]
    )
    for reason in reasons:
        assert reason in text


def test_there_are_at_least_twenty_placement_cases():
    assert len(CASES) >= 20


def test_a_critical_finding_makes_the_result_urgent_and_puts_the_crisis_plan_first():
    result = assess_intake(
        intake(
            substances=[sub("heroin", 7)], instruments={"asq": [False, True, False, False, False]}
        )
    )

    assert result.safety.urgent
    assert result.safety.flags == ("suicidal_ideation",)
    assert result.safety.actions[0] == "safety.crisis_plan"
    assert "safety.naloxone" in result.safety.actions


def test_opioid_exposure_through_a_prescription_brings_naloxone():
    result = assess_intake(intake(medical={"current_medications": ["oxycodone"]}))
    assert result.safety.actions == ("safety.naloxone",)


def test_an_opioid_treatment_program_is_indicated_for_opioid_use_disorder_unless_methadone_is_declined():
    assert assess_intake(intake(substances=[sub("heroin", 6)])).placement.opioid_treatment_program
    declined = intake(substances=[sub("heroin", 6)], preferences={"declines": ["med.methadone"]})
    assert not assess_intake(declined).placement.opioid_treatment_program


def test_the_same_intake_gives_byte_identical_output():
    document = CASES[5][1]
    first = json.dumps(assess_intake(document).as_plan_dict("v"), sort_keys=True)
    assert (
        json.dumps(
            assess_intake(json.loads(json.dumps(document))).as_plan_dict("v"), sort_keys=True
        )
        == first
    )


def test_an_override_needs_a_reason_and_a_known_level():
    placement = assess_intake(CASES[1][1]).placement
    with pytest.raises(InvalidInput, match=r"^override\.reason must be"):
        override_placement(placement, level="2.1", reason=" ", by="dana")
    with pytest.raises(InvalidInput, match=r"^override\.level must be one of"):
        override_placement(placement, level="9", reason="x", by="dana")
    assert override_placement(placement, level="2.1", reason="transport", by="dana").override == {
        "level": "2.1",
        "reason": "transport",
        "by": "dana",
    }


def test_every_result_has_six_dimensions_rated_0_to_4_with_reasons_for_any_risk():
    for _title, document, *_ in CASES:
        dims = assess_intake(document).profile.dimensions
        assert [d.n for d in dims] == [1, 2, 3, 4, 5, 6]
        assert all(0 <= d.risk <= 4 and (d.risk == 0) == (not d.reasons) for d in dims)
