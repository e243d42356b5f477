"""The six-dimension profile: each dimension rated 0-4 with the data that raised it.

Thresholds are the instruments' published bands and the DSM-5 severity counts (2-3 mild, 4-5
moderate, 6+ severe); which finding maps to which risk is a Trellis judgement written from the
public descriptions of the dimensions (docs/design/placement.md), for a clinician to confirm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trellis.core.instruments import Score
from trellis.core.intake import OPIOIDS, SEDATIVES, Intake

DIMENSION_NAMES = {
    1: "Acute intoxication and withdrawal potential",
    2: "Biomedical conditions and complications",
    3: "Emotional, behavioral or cognitive conditions and complications",
    4: "Readiness to change",
    5: "Relapse, continued use or continued problem potential",
    6: "Recovery environment",
}
SUICIDE_FLAGS = ("suicidal_ideation", "suicidal_behavior", "acute_suicide_risk")

Finding = tuple[int, str]  # (risk, reason)


@dataclass(frozen=True, slots=True)
class Dimension:
    n: int
    name: str
    risk: int
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"n": self.n, "name": self.name, "risk": self.risk, "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class Profile:
    dimensions: tuple[Dimension, ...]

    def risk(self, n: int) -> int:
        return self.dimensions[n - 1].risk


def assess(intake: Intake, scores: Mapping[str, Score]) -> Profile:
    rules = (withdrawal, biomedical, emotional, readiness, relapse, environment)
    return Profile(
        tuple(_dimension(n, rule(intake, scores)) for n, rule in enumerate(rules, start=1))
    )


def _dimension(n: int, findings: list[Finding]) -> Dimension:
    risk = max((r for r, _ in findings), default=0)
    reasons = tuple(reason for r, reason in sorted(findings, key=lambda f: -f[0]) if r > 0)
    return Dimension(n, DIMENSION_NAMES[n], risk, reasons)


def _band(scores: Mapping[str, Score], instrument_id: str) -> str | None:
    found = scores.get(instrument_id)
    return found.band if found else None


def _described(scores: Mapping[str, Score], instrument_id: str, label: str) -> str:
    found = scores[instrument_id]
    return f"{label} {found.total} ({found.band})"


def withdrawal(intake: Intake, scores: Mapping[str, Score]) -> list[Finding]:
    findings: list[Finding] = []
    complications = set(intake.section("history").get("withdrawal_complications") or []) & {
        "seizure",
        "delirium_tremens",
    }
    severe_history = sorted(complications)
    ciwa = {"mild": 1, "moderate": 2, "severe": 3}.get(_band(scores, "ciwa_ar") or "")
    if ciwa:
        findings.append(
            (
                min(4, ciwa + (1 if severe_history and ciwa >= 2 else 0)),
                _described(scores, "ciwa_ar", "CIWA-Ar"),
            )
        )
    cows = {"mild": 1, "moderate": 2, "moderately severe": 3, "severe": 3}.get(
        _band(scores, "cows") or ""
    )
    if cows:
        findings.append((cows, _described(scores, "cows", "COWS")))
    recent = [s for s in intake.substances if _recent_dependence(s)]
    if severe_history and any(s["substance"] in SEDATIVES for s in recent):
        findings.append(
            (
                2,
                f"history of withdrawal {' and '.join(c.replace('_', ' ') for c in severe_history)} with recent {_names(recent, SEDATIVES)} use",
            )
        )
    for s in recent:
        findings.append(
            (
                1,
                f"recent use of {s['substance'].replace('_', ' ')} with a severe use disorder: withdrawal is possible",
            )
        )
    return findings


def _recent_dependence(substance: Mapping[str, object]) -> bool:
    dependence_producing = substance["substance"] in SEDATIVES | OPIOIDS
    last = substance.get("last_use_days_ago")
    return (
        dependence_producing
        and last is not None
        and int(last) <= 3
        and int(substance.get("dsm5_criteria_count") or 0) >= 6
    )  # type: ignore[arg-type]


def _names(substances: list[Mapping[str, object]], among: frozenset[str]) -> str:
    return ", ".join(sorted({str(s["substance"]) for s in substances if s["substance"] in among}))


MEDICAL_RISK = {
    "failure": (3, "liver failure"),
    "acute_hepatitis": (3, "acute hepatitis"),
    "elevated_enzymes": (1, "elevated liver enzymes"),
}
CONDITION_RISK = {
    "cirrhosis": 2,
    "seizure_disorder": 2,
    "heart_disease": 2,
    "hiv": 1,
    "hepatitis_c": 1,
    "chronic_pain": 1,
}


def biomedical(intake: Intake, scores: Mapping[str, Score]) -> list[Finding]:
    medical, person = intake.section("medical"), intake.section("person")
    findings: list[Finding] = []
    if medical.get("liver") in MEDICAL_RISK:
        findings.append(MEDICAL_RISK[medical["liver"]])
    findings += [
        (CONDITION_RISK.get(c, 1), c.replace("_", " ")) for c in medical.get("conditions") or []
    ]
    if person.get("pregnant"):
        findings.append((2, "pregnant: obstetric care to coordinate"))
    if person.get("postpartum"):
        findings.append((1, "postpartum"))
    if any(s.get("route") == "injection" for s in intake.substances):
        findings.append((1, "injection use: infection risk"))
    return findings


def emotional(intake: Intake, scores: Mapping[str, Score]) -> list[Finding]:
    findings: list[Finding] = []
    for instrument_id, result in scores.items():
        if "acute_suicide_risk" in result.flags or (
            instrument_id == "cssrs_screen" and result.band == "high risk"
        ):
            findings.append((4, f"{instrument_id}: {result.band} suicide screen"))
        elif set(result.flags) & set(SUICIDE_FLAGS):
            findings.append(
                (3, f"{instrument_id}: {', '.join(f.replace('_', ' ') for f in result.flags)}")
            )
    findings += _mood(scores)
    mental = intake.section("mental_health")
    serious = set(mental.get("diagnoses") or []) & {"psychosis", "bipolar"}
    findings += [(2, f"diagnosis: {d}") for d in sorted(serious)]
    findings += [
        (1, f"diagnosis: {d}") for d in sorted(set(mental.get("diagnoses") or []) - serious)
    ]
    if (mental.get("psychiatric_hospitalizations_past_year") or 0) > 0:
        findings.append((2, "psychiatric hospitalization in the past year"))
    if mental.get("cognitive_impairment"):
        findings.append((1, "cognitive impairment"))
    return findings


def _mood(scores: Mapping[str, Score]) -> list[Finding]:
    risk_by_band = {
        "phq9": {"moderate": 1, "moderately severe": 2, "severe": 2},
        "gad7": {"moderate": 1, "severe": 2},
        "pcl5": {"positive": 2},
        "phq2": {"positive": 1},
    }
    labels = {"phq9": "PHQ-9", "gad7": "GAD-7", "pcl5": "PCL-5", "phq2": "PHQ-2"}
    findings: list[Finding] = []
    for instrument_id, bands in risk_by_band.items():
        band = _band(scores, instrument_id)
        if band in bands:
            findings.append((bands[band], _described(scores, instrument_id, labels[instrument_id])))
    return findings


STAGE_RISK = {
    "precontemplation": 3,
    "contemplation": 2,
    "preparation": 1,
    "action": 0,
    "maintenance": 0,
}


def readiness(intake: Intake, scores: Mapping[str, Score]) -> list[Finding]:
    ready = intake.section("readiness")
    findings: list[Finding] = []
    if ready.get("stage") in STAGE_RISK:
        findings.append((STAGE_RISK[ready["stage"]], f"stage of change: {ready['stage']}"))
    if ready.get("mandated") and ready.get("stage") in ("precontemplation", "contemplation"):
        findings.append((STAGE_RISK[ready["stage"]], "treatment is mandated"))
    return findings


def relapse(intake: Intake, scores: Mapping[str, Score]) -> list[Finding]:
    findings: list[Finding] = []
    for s in intake.substances:
        count = s.get("dsm5_criteria_count")
        if count is not None and count >= 2:
            severity, risk = (
                ("severe", 3) if count >= 6 else ("moderate", 2) if count >= 4 else ("mild", 1)
            )
            findings.append(
                (
                    risk,
                    f"{severity} {s['substance'].replace('_', ' ')} use disorder ({count} DSM-5 criteria)",
                )
            )
    overdoses = intake.section("history").get("overdoses_past_year") or 0
    if overdoses and any(s["substance"] in OPIOIDS for s in intake.substances):
        findings.append((4, f"{overdoses} overdose(s) in the past year with continued opioid use"))
    elif overdoses:
        findings.append((3, f"{overdoses} overdose(s) in the past year"))
    unfinished = [
        t
        for t in intake.section("history").get("prior_treatment") or []
        if t.get("completed") is False
    ]
    if unfinished:
        findings.append((1, f"{len(unfinished)} earlier treatment episode(s) not completed"))
    findings += (
        [(2, f"{_band(scores, 'audit')} on the AUDIT")]
        if _band(scores, "audit") in ("zone iii", "zone iv")
        else []
    )
    return findings


HOUSING_RISK = {
    "homeless": (3, "homeless"),
    "unstable": (2, "unstable housing"),
    "institution": (1, "living in an institution"),
}


def environment(intake: Intake, scores: Mapping[str, Score]) -> list[Finding]:
    env = intake.section("environment")
    findings: list[Finding] = []
    if env.get("housing") in HOUSING_RISK:
        findings.append(HOUSING_RISK[env["housing"]])
    if env.get("domestic_violence"):
        findings.append((3, "domestic violence"))
    if env.get("lives_with_someone_who_uses"):
        findings.append((2, "lives with someone who uses"))
    if env.get("supportive_people_count") == 0:
        findings.append((2, "no supportive people"))
    legal = [item for item in env.get("legal") or [] if item != "none"]
    if legal:
        findings.append((1, "legal involvement: " + ", ".join(i.replace("_", " ") for i in legal)))
    findings += [
        (1, label)
        for key, label in (
            ("food_insecurity", "food insecurity"),
            ("financial_strain", "financial strain"),
        )
        if env.get(key)
    ]
    return findings
