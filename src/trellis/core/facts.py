"""Named facts about a person, computed from the intake, the scores and the profile.

Knowledge-base conditions are expressions over these names (see core/rules.py); every fact
carries the sentence that explains it, so a plan can say which data triggered each item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from simpleeval import SimpleEval

from trellis.core.instruments import Score
from trellis.core.intake import OPIOIDS, Intake
from trellis.core.profile import SUICIDE_FLAGS, Profile

STIMULANTS = frozenset({"stimulants", "cocaine", "methamphetamine"})
SEDATIVE_DRUGS = frozenset({"benzodiazepines", "sedatives"})
OPIOID_MEDICINES = frozenset(
    {
        "oxycodone",
        "hydrocodone",
        "morphine",
        "hydromorphone",
        "fentanyl",
        "tramadol",
        "codeine",
        "oxymorphone",
        "tapentadol",
        "methadone",
        "buprenorphine",
    }
)
OPIOID_ANALGESICS = OPIOID_MEDICINES - {"methadone", "buprenorphine"}
# Medicines named in the FDA labels of disulfiram and bupropion as interacting (see the entries' sources).
DISULFIRAM_INTERACTING = frozenset(
    {"metronidazole", "paraldehyde", "warfarin", "phenytoin", "isoniazid", "tinidazole"}
)
QT_PROLONGING = frozenset(
    {
        "ondansetron",
        "citalopram",
        "escitalopram",
        "haloperidol",
        "quetiapine",
        "ziprasidone",
        "azithromycin",
        "levofloxacin",
        "amiodarone",
        "sotalol",
    }
)


@dataclass(frozen=True)
class Facts:
    values: Mapping[str, Any]
    reasons: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def evaluator(self) -> SimpleEval:
        """One safe evaluator for every condition checked against these facts."""
        return SimpleEval(names=dict(self.values), functions={})

    def why(self, name: str) -> str | None:
        return self.reasons.get(name)


class _Builder:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.reasons: dict[str, str] = {}

    def set(self, name: str, value: Any, reason: str | None = None) -> None:
        self.values[name] = value
        if value and reason:
            self.reasons[name] = reason


def gather(intake: Intake, scores: Mapping[str, Score], profile: Profile) -> Facts:
    b = _Builder()
    _person(b, intake)
    _substances(b, intake)
    _medical(b, intake)
    _mental(b, intake, scores)
    _environment(b, intake)
    _readiness(b, intake)
    for d in profile.dimensions:
        b.set(
            f"d{d.n}",
            d.risk,
            f"dimension {d.n} at risk {d.risk}"
            + (f": {'; '.join(d.reasons)}" if d.reasons else ""),
        )
    return Facts(dict(b.values), dict(b.reasons))


def _person(b: _Builder, intake: Intake) -> None:
    person = intake.section("person")
    age = intake.age
    b.set("age", age, f"age {age}")
    b.set("adolescent", age < 18, f"adolescent (age {age})")
    b.set("young_adult", 18 <= age <= 25, f"young adult (age {age})")
    b.set("pregnant", bool(person.get("pregnant")), "pregnant")
    b.set("postpartum", bool(person.get("postpartum")), "postpartum")
    b.set("veteran", bool(person.get("veteran")), "veteran")
    b.set("uninsured", person.get("insurance") == "none", "no insurance")


def _disorder(intake: Intake, names: frozenset[str]) -> list[Mapping[str, Any]]:
    return [
        s
        for s in intake.substances
        if s["substance"] in names and (s.get("dsm5_criteria_count") or 0) >= 2
    ]


def _describe(found: list[Mapping[str, Any]], label: str) -> str:
    parts = ", ".join(
        f"{s['substance'].replace('_', ' ')} ({s['dsm5_criteria_count']} DSM-5 criteria)"
        for s in found
    )
    return f"{label}: {parts}"


def _substances(b: _Builder, intake: Intake) -> None:
    groups = {
        "oud": (OPIOIDS, "opioid use disorder"),
        "aud": (frozenset({"alcohol"}), "alcohol use disorder"),
        "tud": (frozenset({"tobacco"}), "tobacco use disorder"),
        "stimulant_ud": (STIMULANTS, "stimulant use disorder"),
        "cannabis_ud": (frozenset({"cannabis"}), "cannabis use disorder"),
        "sedative_ud": (SEDATIVE_DRUGS, "benzodiazepine or sedative use disorder"),
    }
    for name, (substances, label) in groups.items():
        found = _disorder(intake, substances)
        b.set(name, bool(found), _describe(found, label) if found else None)
    any_disorder = [s for s in intake.substances if (s.get("dsm5_criteria_count") or 0) >= 2]
    b.set(
        "sud",
        bool(any_disorder),
        _describe(any_disorder, "substance use disorder") if any_disorder else None,
    )
    severe = [s for s in any_disorder if s["dsm5_criteria_count"] >= 6]
    b.set("severe_sud", bool(severe), _describe(severe, "severe use disorder") if severe else None)
    b.set("substance_use", bool(intake.substances), "substance use reported")
    b.set(
        "opioid_exposure", any(s["substance"] in OPIOIDS for s in intake.substances), "opioid use"
    )
    b.set(
        "injection_use",
        any(s.get("route") == "injection" for s in intake.substances),
        "injection use",
    )
    b.set(
        "fentanyl_exposure",
        any(s["substance"] in ("fentanyl", "heroin") for s in intake.substances),
        "use of heroin or fentanyl (supply may contain fentanyl)",
    )
    history = intake.section("history")
    overdoses = history.get("overdoses_past_year") or 0
    b.set("overdose_past_year", overdoses > 0, f"{overdoses} overdose(s) in the past year")
    tried = {m.lower() for m in history.get("medications_tried") or []}
    b.set("tried_medication", bool(tried), "medications tried before: " + ", ".join(sorted(tried)))


def _medical(b: _Builder, intake: Intake) -> None:
    medical = intake.section("medical")
    liver = medical.get("liver")
    b.set("liver_failure", liver == "failure", "liver failure")
    b.set("acute_hepatitis", liver == "acute_hepatitis", "acute hepatitis")
    b.set("elevated_liver_enzymes", liver == "elevated_enzymes", "elevated liver enzymes")
    crcl = medical.get("creatinine_clearance_ml_min")
    b.set("crcl", crcl if crcl is not None else 999, f"creatinine clearance {crcl} mL/min")
    b.set("crcl_known", crcl is not None)
    qtc = medical.get("qtc_ms")
    b.set("qtc", qtc if qtc is not None else 0, f"QTc {qtc} ms")
    conditions = {c.lower() for c in medical.get("conditions") or []}
    for condition in (
        "chronic_pain",
        "seizure_disorder",
        "heart_disease",
        "cirrhosis",
        "hepatitis_c",
        "hiv",
        "eating_disorder",
        "kidney_stones",
        "glaucoma",
    ):
        b.set(condition, condition in conditions, condition.replace("_", " "))
    medicines = {m.lower() for m in medical.get("current_medications") or []}
    analgesics = sorted(medicines & OPIOID_ANALGESICS)
    b.set(
        "opioid_analgesics", bool(analgesics), "current opioid medicines: " + ", ".join(analgesics)
    )
    b.set(
        "on_opioid_agonist",
        bool(medicines & {"methadone", "buprenorphine"}),
        "already on methadone or buprenorphine",
    )
    if medicines & OPIOID_MEDICINES and not b.values.get("opioid_exposure"):
        b.set(
            "opioid_exposure",
            True,
            "opioid medicines: " + ", ".join(sorted(medicines & OPIOID_MEDICINES)),
        )
    for name, group in (
        ("disulfiram_interacting", DISULFIRAM_INTERACTING),
        ("qt_prolonging_medicines", QT_PROLONGING),
    ):
        found = sorted(medicines & group)
        b.set(name, bool(found), "current medicines: " + ", ".join(found))
    b.set(
        "maoi",
        any(
            m in medicines for m in ("phenelzine", "tranylcypromine", "isocarboxazid", "selegiline")
        ),
        "a monoamine-oxidase inhibitor",
    )


def _mental(b: _Builder, intake: Intake, scores: Mapping[str, Score]) -> None:
    mental = intake.section("mental_health")
    diagnoses = {d.lower() for d in mental.get("diagnoses") or []}
    bands = {i: s.band for i, s in scores.items()}
    depression = (
        "depression" in diagnoses
        or bands.get("phq9") in ("moderate", "moderately severe", "severe")
        or bands.get("phq2") == "positive"
    )
    b.set("depression", depression, _why(diagnoses, "depression", scores, ("phq9", "phq2")))
    anxiety = "anxiety" in diagnoses or bands.get("gad7") in ("moderate", "severe")
    b.set("anxiety", anxiety, _why(diagnoses, "anxiety", scores, ("gad7",)))
    ptsd = "ptsd" in diagnoses or bands.get("pcl5") == "positive"
    b.set("ptsd", ptsd, _why(diagnoses, "ptsd", scores, ("pcl5",)))
    b.set("trauma_history", bool(mental.get("trauma_history")), "trauma history")
    b.set(
        "serious_mental_illness",
        bool(diagnoses & {"bipolar", "psychosis", "schizophrenia"}),
        "diagnosis: " + ", ".join(sorted(diagnoses & {"bipolar", "psychosis", "schizophrenia"})),
    )
    b.set(
        "emotion_dysregulation",
        "borderline_personality" in diagnoses,
        "diagnosis: borderline personality",
    )
    b.set(
        "co_occurring",
        bool(diagnoses) or depression or anxiety or ptsd,
        "co-occurring mental-health condition",
    )
    flags = sorted({f for s in scores.values() for f in s.flags if f in SUICIDE_FLAGS})
    b.set(
        "suicide_risk",
        bool(flags),
        "suicide screen: " + ", ".join(f.replace("_", " ") for f in flags),
    )
    b.set("cognitive_impairment", bool(mental.get("cognitive_impairment")), "cognitive impairment")


def _why(
    diagnoses: set[str], diagnosis: str, scores: Mapping[str, Score], instruments: tuple[str, ...]
) -> str:
    parts = [f"diagnosis: {diagnosis}"] if diagnosis in diagnoses else []
    parts += [
        f"{i.upper()} {scores[i].total} ({scores[i].band})" for i in instruments if i in scores
    ]
    return "; ".join(parts) or diagnosis


def _environment(b: _Builder, intake: Intake) -> None:
    env = intake.section("environment")
    housing = env.get("housing")
    b.set("homeless", housing == "homeless", "homeless")
    b.set("unstable_housing", housing in ("homeless", "unstable"), f"housing: {housing}")
    b.set(
        "lives_with_user",
        bool(env.get("lives_with_someone_who_uses")),
        "lives with someone who uses",
    )
    supporters = env.get("supportive_people_count")
    b.set("isolated", supporters == 0, "no supportive people")
    b.set("family_wanted", bool(env.get("family_involvement_wanted")), "wants family involved")
    b.set(
        "has_partner_or_family",
        bool(env.get("family_involvement_wanted")) or (supporters or 0) > 0,
        "has supportive people",
    )
    b.set("unemployed", env.get("employment") == "unemployed", "unemployed")
    legal = [item for item in env.get("legal") or [] if item != "none"]
    b.set("legal_issues", bool(legal), "legal: " + ", ".join(i.replace("_", " ") for i in legal))
    b.set("needs_transport", env.get("has_transportation") is False, "no transportation")
    b.set("needs_childcare", bool(env.get("childcare_needed")), "needs childcare")
    b.set("domestic_violence", bool(env.get("domestic_violence")), "domestic violence")
    b.set("financial_strain", bool(env.get("financial_strain")), "financial strain")
    b.set("food_insecurity", bool(env.get("food_insecurity")), "food insecurity")
    b.set("rural", bool(env.get("rural")), "lives in a rural area")


def _readiness(b: _Builder, intake: Intake) -> None:
    ready = intake.section("readiness")
    stage = ready.get("stage")
    b.set(
        "ambivalent",
        stage in ("precontemplation", "contemplation") or bool(ready.get("mandated")),
        f"stage of change: {stage}" + (" (mandated)" if ready.get("mandated") else ""),
    )
    prefs = intake.section("preferences")
    b.set("wants_abstinence", prefs.get("recovery_goal") == "abstinence", "goal: abstinence")
    prefers = {p.lower() for p in prefs.get("prefers") or []}
    b.set("prefers_peer_support", "peer_support" in prefers, "prefers peer support")
    b.set("prefers_faith_based", "faith_based" in prefers, "prefers faith-based help")
    b.set("prefers_secular", "secular" in prefers, "prefers secular help")
