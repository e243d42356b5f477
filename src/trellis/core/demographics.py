"""The groups equity is measured over, read from an intake document (trellis.intake/1).

    groups(document, birth_date, today)
    -> Groups(race_ethnicity="hispanic", sex="female", age_band="25-34", insurance="medicaid",
              rurality="rural", language="es")

The six attributes are the ones contracts/allocation.md names. Every attribute always has a
value: what the intake does not say is "unknown", so a dashboard counts it instead of dropping it.
Age bands follow the reporting bands of SAMHSA's Treatment Episode Data Set (TEDS), merged where
TEDS splits finer than a treatment-program dashboard can show without tiny cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

UNKNOWN = "unknown"
MULTIPLE = "multiple"
ATTRIBUTES = ("race_ethnicity", "sex", "age_band", "insurance", "rurality", "language")

# (lowest age, label); a person is in the last band whose lowest age they have reached.
AGE_BANDS = (
    (0, "under 18"),
    (18, "18-24"),
    (25, "25-34"),
    (35, "35-44"),
    (45, "45-54"),
    (55, "55-64"),
    (65, "65+"),
)


@dataclass(frozen=True, slots=True)
class Groups:
    race_ethnicity: str = UNKNOWN
    sex: str = UNKNOWN
    age_band: str = UNKNOWN
    insurance: str = UNKNOWN
    rurality: str = UNKNOWN
    language: str = UNKNOWN

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def age_on(birth_date: date, today: date) -> int:
    """Whole years completed on `today`."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN
    label = UNKNOWN
    for lowest, name in AGE_BANDS:
        if age >= lowest:
            label = name
    return label


def groups(
    document: Mapping[str, Any] | None, birth_date: date | None = None, today: date | None = None
) -> Groups:
    """The person's groups. The age band comes from the date of birth on `today` when both are
    given, else from the age the intake recorded."""
    document = document or {}
    person = document.get("person") or {}
    environment = document.get("environment") or {}
    if birth_date is not None and today is not None:
        age: int | None = age_on(birth_date, today)
    else:
        age = person.get("age") if isinstance(person.get("age"), int) else None
    return Groups(
        race_ethnicity=_race_ethnicity(person.get("race_ethnicity")),
        sex=_text(person.get("sex_at_birth")),
        age_band=age_band(age),
        insurance=_text(person.get("insurance")),
        rurality=_rurality(environment.get("rural")),
        language=_language(person.get("preferred_language")),
    )


def _race_ethnicity(value: Any) -> str:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return UNKNOWN
    named = sorted({v.strip().lower() for v in value if isinstance(v, str) and v.strip()})
    if not named:
        return UNKNOWN
    return named[0] if len(named) == 1 else MULTIPLE


def _rurality(value: Any) -> str:
    if value is True:
        return "rural"
    if value is False:
        return "urban"
    return UNKNOWN


def _language(value: Any) -> str:
    """The primary language subtag of a BCP 47 tag: "es-MX" -> "es"."""
    if not isinstance(value, str) or not value.strip():
        return UNKNOWN
    return value.strip().split("-")[0].lower()


def _text(value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) and value.strip() else UNKNOWN
