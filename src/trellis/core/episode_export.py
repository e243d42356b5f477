"""Admission and discharge records in the field names and codes of SAMHSA's Treatment Episode
Data Set (TEDS), for state reporting.

Source: SAMHSA Center for Behavioral Health Statistics and Quality, "Treatment Episode Data Set
Admissions (TEDS-A) 2020 Codebook" and "Treatment Episode Data Set Discharges (TEDS-D) 2020
Codebook" (datafiles.samhsa.gov), which publish one code list per field; -9 is the codebooks'
"missing/unknown/not collected/invalid". A state's own submission layout may rename fields; the
codes are the national ones.

Where each field comes from ("intake" is the person's latest completed intake document,
trellis.intake/1; "-9 always" means Trellis does not collect it):

    field        source                                          codes written
    CASEID       HMAC of the episode's database key (stable)      pseudonym, not a person id
    ADMYR        Episode.admitted_on                              year
    SERVICES     Episode.level_of_care (ASAM), see SERVICES_BY_LEVEL   1-8
    AGE          Person.birth_date at Episode.admitted_on          1-12 (12-14 ... 65+); -9 under 12
    GENDER       intake person.sex_at_birth                       1 male, 2 female, else -9
    RACE         intake person.race_ethnicity (terms in RACE_TERMS)  1-9; 8 two or more; else -9
    ETHNIC       intake person.race_ethnicity (ETHNIC_TERMS)       1-5; -9 when not stated
    PREG         intake person.pregnant (females only)            1 yes, 2 no, else -9
    VET          intake person.veteran                            1 yes, 2 no, else -9
    EMPLOY       intake environment.employment                    1-4, else -9
    DETNLF       intake environment.employment (not in labor force) 2 student, 3 retired/disabled
    LIVARAG      intake environment.housing and age, see LIVARAG_BY_HOUSING  1-3, else -9
    NOPRIOR      intake history.prior_treatment (count)           0-5 (5: five or more), else -9
    PSYPROB      intake mental_health.diagnoses                   1 listed, 2 empty list, else -9
    HLTHINS      intake person.insurance                          1-4, else -9
    SUB1-3       intake substances (primary first; tobacco is not a TEDS substance)  2-19;
                 1 (None) for a 2nd/3rd not listed; -9 when nothing is listed
    ROUTE1-3     substances[].route                               1-5, else -9
    FREQ1-3      substances[].days_used_past_30                   1 none, 2 some, 3 daily (30/30)
    FRSTUSE1-3   substances[].age_first_use                       1-7, else -9
    PSOURCE, EDUC, MARSTAT, ARRESTS, DAYWAIT, METHUSE, DSMCRIT, PRIMINC   -9 always
    DISYR        Episode.discharged_on                            year
    LOS          discharged_on - admitted_on (days)               1-30, 31-37 (ranges); same day: 1
    REASON       Episode.discharge_reason                         1-7, see REASON_BY_DISCHARGE
    SERVICES_D   Episode.level_of_care (the level discharged from)  as SERVICES
    EMPLOY_D, LIVARAG_D, ARRESTS_D, SUB1_D, FREQ1_D, FREQ_ATND_SELF_HELP_D   -9 always

DSMCRIT stays -9: its categories are DSM-IV abuse/dependence diagnoses, and mapping a DSM-5
criteria count onto them has no published rule. METHUSE stays -9: the episode does not record
whether medication for opioid use disorder is planned.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

MISSING = -9

# ASAM level of care -> TEDS SERVICES. A judgment, not a published crosswalk:
# - 0.5 and 1.0 are outpatient under 9 hours a week: "ambulatory, non-intensive outpatient" (7).
#   (0.5 early intervention is not treatment in every state's definition; states that exclude it
#   should not report those episodes.)
# - 2.1 intensive outpatient and 2.5 partial hospitalization are ambulatory and meet TEDS's
#   intensive-outpatient minimum (2+ hours a day, 3+ days a week): 6.
# - 3.1 low-intensity residential is built for extended stays (halfway-house type): long term, 5.
# - 3.5 and 3.7 residential/medically monitored programs are usually short-stay, free-standing: 4.
# - 4.0 medically managed intensive inpatient is hospital-based: "rehab/residential, hospital" 3.
# The detox codes (1, 2, 8) are never written: Trellis's levels carry no withdrawal-management
# flag, so a withdrawal-management episode is reported at its level like any other.
SERVICES_BY_LEVEL = {
    "0.5": 7,
    "1.0": 7,
    "2.1": 6,
    "2.5": 6,
    "3.1": 5,
    "3.5": 4,
    "3.7": 4,
    "4.0": 3,
}
REASON_BY_DISCHARGE = {
    "completed": 1,  # Treatment completed
    "left": 2,  # Dropped out of treatment
    "administrative": 3,  # Terminated by facility
    "transferred": 4,  # Transferred to another treatment program or facility
    "incarcerated": 5,
    "died": 6,
    "other": 7,
}
SEX = {"male": 1, "female": 2}
RACE_TERMS = {
    "alaska native": 1,
    "american indian": 2,
    "american indian or alaska native": 2,
    "black": 4,
    "black or african american": 4,
    "african american": 4,
    "white": 5,
    "asian": 6,
    "native hawaiian or other pacific islander": 9,
    "pacific islander": 9,
}
ETHNIC_TERMS = {
    "puerto rican": 1,
    "mexican": 2,
    "cuban": 3,
    "not hispanic": 4,
    "not hispanic or latino": 4,
    "non-hispanic": 4,
    "hispanic": 5,
    "latino": 5,
    "hispanic or latino": 5,
}
EMPLOY = {
    "full_time": 1,
    "part_time": 2,
    "unemployed": 3,
    "student": 4,
    "retired": 4,
    "disabled": 4,
}
DETNLF = {"student": 2, "retired": 3, "disabled": 3}
# Dependent living (2) is a supervised setting (halfway house, group home, institution) or a
# minor living with parents; stable housing counts as independent (3) for adults only.
LIVARAG_BY_HOUSING = {"homeless": 1, "recovery_residence": 2, "institution": 2}
HLTHINS = {"private": 1, "medicaid": 2, "medicare": 3, "va": 3, "other": 3, "none": 4}
# Trellis substance -> TEDS SUB code; "opioids" and "stimulants" name no TEDS category.
SUBSTANCE = {
    "alcohol": 2,
    "cocaine": 3,
    "cannabis": 4,
    "heroin": 5,
    "fentanyl": 7,
    "prescription_opioids": 7,
    "hallucinogens": 9,
    "methamphetamine": 10,
    "benzodiazepines": 13,
    "sedatives": 16,
    "inhalants": 17,
    "other": 19,
}
ROUTE = {"oral": 1, "smoking": 2, "intranasal": 3, "injection": 4, "vaping": 5, "other": 5}
AGE_CODES = ((12, 1), (15, 2), (18, 3), (21, 4), (25, 5), (30, 6), (35, 7), (40, 8), (45, 9))
AGE_CODES_OLDER = ((50, 10), (55, 11), (65, 12))
FIRST_USE_CODES = ((0, 1), (12, 2), (15, 3), (18, 4), (21, 5), (25, 6), (30, 7))
LOS_RANGES = ((45, 31), (60, 32), (90, 33), (120, 34), (180, 35), (365, 36))

ALWAYS_MISSING_A = ("PSOURCE", "EDUC", "MARSTAT", "ARRESTS", "DAYWAIT", "METHUSE", "DSMCRIT")
ALWAYS_MISSING_D = ("EMPLOY_D", "LIVARAG_D", "ARRESTS_D", "SUB1_D", "FREQ1_D")
SUBSTANCE_FIELDS = tuple(
    f"{name}{n}" for n in (1, 2, 3) for name in ("SUB", "ROUTE", "FREQ", "FRSTUSE")
)
ADMISSION_FIELDS = (
    "CASEID", "ADMYR", "SERVICES", "AGE", "GENDER", "RACE", "ETHNIC", "PREG", "VET",
    "EMPLOY", "DETNLF", "LIVARAG", "NOPRIOR", "PSYPROB", "HLTHINS", *SUBSTANCE_FIELDS,
    *ALWAYS_MISSING_A, "PRIMINC",
)  # fmt: skip
DISCHARGE_FIELDS = (
    "CASEID", "ADMYR", "DISYR", "LOS", "SERVICES", "SERVICES_D", "REASON",
    *ALWAYS_MISSING_D, "FREQ_ATND_SELF_HELP_D",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EpisodeFacts:
    case_id: str
    admitted_on: date
    level_of_care: str
    birth_date: date | None = None
    discharged_on: date | None = None
    discharge_reason: str = ""
    intake: Mapping[str, Any] | None = None


def case_id(key: bytes, episode_key: object) -> str:
    """A stable pseudonymous episode id: the same episode always gets the same CASEID."""
    return hmac.new(key, f"teds-case:{episode_key}".encode(), hashlib.sha256).hexdigest()[:16]


def admission_record(facts: EpisodeFacts) -> dict[str, int | str]:
    document = facts.intake or {}
    person = document.get("person") or {}
    environment = document.get("environment") or {}
    age = _age(facts.birth_date, facts.admitted_on)
    record: dict[str, int | str] = {
        "CASEID": facts.case_id,
        "ADMYR": facts.admitted_on.year,
        "SERVICES": SERVICES_BY_LEVEL.get(facts.level_of_care, MISSING),
        "AGE": _age_code(age),
        "GENDER": SEX.get(person.get("sex_at_birth"), MISSING),
        "RACE": race(person.get("race_ethnicity")),
        "ETHNIC": ethnic(person.get("race_ethnicity")),
        "PREG": _pregnant(person),
        "VET": _yes_no(person.get("veteran")),
        "EMPLOY": EMPLOY.get(environment.get("employment"), MISSING),
        "DETNLF": DETNLF.get(environment.get("employment"), MISSING),
        "LIVARAG": _living(environment.get("housing"), age),
        "NOPRIOR": _prior(document.get("history") or {}),
        "PSYPROB": _psyprob(document.get("mental_health") or {}),
        "HLTHINS": HLTHINS.get(person.get("insurance"), MISSING),
        **_substances(document.get("substances")),
    }
    record.update(dict.fromkeys((*ALWAYS_MISSING_A, "PRIMINC"), MISSING))
    return record


def discharge_record(facts: EpisodeFacts) -> dict[str, int | str]:
    if facts.discharged_on is None:
        raise ValueError("a discharge record needs a discharge date")
    services = SERVICES_BY_LEVEL.get(facts.level_of_care, MISSING)
    record: dict[str, int | str] = {
        "CASEID": facts.case_id,
        "ADMYR": facts.admitted_on.year,
        "DISYR": facts.discharged_on.year,
        "LOS": los_code((facts.discharged_on - facts.admitted_on).days),
        "SERVICES": services,
        "SERVICES_D": services,
        "REASON": REASON_BY_DISCHARGE.get(facts.discharge_reason, MISSING),
    }
    record.update(dict.fromkeys((*ALWAYS_MISSING_D, "FREQ_ATND_SELF_HELP_D"), MISSING))
    return record


def los_code(days: int) -> int:
    """TEDS-D LOS: days 1-30 as themselves, then ranges 31-37. A same-day discharge is 1, the
    codebook's lowest value (it has no 0)."""
    if days < 0:
        return MISSING
    if days <= 30:
        return max(days, 1)
    return next((code for upper, code in LOS_RANGES if days <= upper), 37)


def race(value: Any) -> int:
    codes = {RACE_TERMS[t] for t in _terms(value) if t in RACE_TERMS}
    if "multiple" in _terms(value) or len(codes) > 1:
        return 8  # Two or more races
    return codes.pop() if codes else MISSING


def ethnic(value: Any) -> int:
    codes = sorted({ETHNIC_TERMS[t] for t in _terms(value) if t in ETHNIC_TERMS})
    specific = [c for c in codes if c in (1, 2, 3)]
    if specific:
        return specific[0]
    return codes[-1] if codes else MISSING


def to_csv(fields: Sequence[str], records: Iterable[Mapping[str, int | str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def _terms(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [v.strip().lower() for v in value if isinstance(v, str) and v.strip()]


def _age(birth_date: date | None, on: date) -> int | None:
    if birth_date is None or birth_date > on:
        return None
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _age_code(age: int | None) -> int:
    if age is None or age < 12:
        return MISSING
    return [code for lowest, code in AGE_CODES + AGE_CODES_OLDER if age >= lowest][-1]


def _yes_no(value: Any) -> int:
    return {True: 1, False: 2}.get(value, MISSING) if isinstance(value, bool) else MISSING


def _pregnant(person: Mapping[str, Any]) -> int:
    return _yes_no(person.get("pregnant")) if person.get("sex_at_birth") == "female" else MISSING


def _living(housing: Any, age: int | None) -> int:
    if housing == "stable" and age is not None:
        return 3 if age >= 18 else 2
    return LIVARAG_BY_HOUSING.get(housing, MISSING)


def _prior(history: Mapping[str, Any]) -> int:
    prior = history.get("prior_treatment")
    return min(len(prior), 5) if isinstance(prior, list) else MISSING


def _psyprob(mental_health: Mapping[str, Any]) -> int:
    diagnoses = mental_health.get("diagnoses")
    if not isinstance(diagnoses, list):
        return MISSING
    return 1 if diagnoses else 2


def _substances(value: Any) -> dict[str, int]:
    listed = [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []
    reported = [s for s in listed if s.get("substance") != "tobacco"]
    reported.sort(key=lambda s: not s.get("primary"))  # stable: primary first, then as listed
    record: dict[str, int] = {}
    for n in (1, 2, 3):
        entry = reported[n - 1] if n <= len(reported) else None
        record.update(_substance(n, entry, listed=bool(reported)))
    return record


def _substance(n: int, entry: Mapping[str, Any] | None, *, listed: bool) -> dict[str, int]:
    """One SUB/ROUTE/FREQ/FRSTUSE group. When the intake lists substances, a second or third
    that is not there is SUB "1" (None), as the codebook reports it; nothing listed is -9."""
    if entry is None:
        sub = 1 if listed else MISSING
        return {f"SUB{n}": sub, f"ROUTE{n}": MISSING, f"FREQ{n}": MISSING, f"FRSTUSE{n}": MISSING}
    return {
        f"SUB{n}": SUBSTANCE.get(entry.get("substance"), MISSING),
        f"ROUTE{n}": ROUTE.get(entry.get("route"), MISSING),
        f"FREQ{n}": _frequency(entry.get("days_used_past_30")),
        f"FRSTUSE{n}": _first_use(entry.get("age_first_use")),
    }


def _frequency(days: Any) -> int:
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 30:
        return MISSING
    return 1 if days == 0 else 3 if days == 30 else 2


def _first_use(age: Any) -> int:
    if not isinstance(age, int) or isinstance(age, bool) or age < 0:
        return MISSING
    return [code for lowest, code in FIRST_USE_CODES if age >= lowest][-1]
