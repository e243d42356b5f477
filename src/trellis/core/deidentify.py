"""De-identify episodes for research: HIPAA Safe Harbor plus a k-anonymity check.

Source: 45 CFR 164.514(b)(2) and HHS OCR, "Guidance Regarding Methods for De-identification of
Protected Health Information in Accordance with the HIPAA Privacy Rule" (2012), section 3
("Satisfying the Safe Harbor method"). The 18 identifier categories, (A) to (R), and what this
module does with each:

    (A) names                           never read: only the fields below are built into a row
    (B) geography smaller than a state  ZIP to its first three digits; "000" for RESTRICTED_ZIP3
    (C) dates and ages over 89          every date of a person shifted by one secret offset
                                        (see below); ages at admission over 89 become "90+"
    (D) telephone  (E) fax  (F) e-mail  never read; free text is never exported
    (G) SSN  (H) medical record number  never read; Trellis ids and database keys are replaced by
    (I) health plan  (J) account        a study id drawn afresh for each export
    (K) certificate/licence  (L) vehicle  (M) device  (N) URL  (O) IP address
    (P) biometrics  (Q) photographs     never read
    (R) any other unique code           study ids are random per export; group labels are
                                        limited to closed vocabularies ("other" otherwise), so a
                                        typed-in value cannot carry an identifier out

Dates. Safe Harbor keeps only the year of a date. The issue asks instead for dates shifted per
person (as research data sets commonly do) so that intervals survive: every date of one person
moves by the same offset, 1 to 365 days either way, derived with HMAC-SHA256 from a secret key
and the person's id, so calendar dates do not survive and no one without the key can undo it.
This is a deliberate departure from the letter of (C), recorded here.

Restricted ZIP3: the 17 three-digit ZIP codes whose ZCTAs held 20,000 people or fewer in the 2000
Census, as listed in the HHS guidance (question "When can ZIP codes be included in de-identified
information?"). Update the list when HHS publishes a newer one.

k-anonymity: every combination of QUASI_IDENTIFIERS must be shared by at least K people
(Sweeney 2002); otherwise the export is refused as a whole. Nothing is suppressed or generalised
silently; ages are released as bands only, because an exact age is finer than the check.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import hmac
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from trellis.core import instruments

K = 5
MAX_SHIFT_DAYS = 365
UNKNOWN = "unknown"
OTHER = "other"

RESTRICTED_ZIP3 = frozenset(
    {
        "036", "059", "063", "102", "203", "556", "692", "790", "821",
        "823", "830", "831", "878", "879", "884", "890", "893",
    }
)  # fmt: skip

QUASI_IDENTIFIERS = ("age_band", "sex", "race_ethnicity", "zip3")

# Age bands at admission: the equity bands (core.demographics), with 65+ split at 90 for (C).
AGE_BANDS = (
    (0, "under 18"),
    (18, "18-24"),
    (25, "25-34"),
    (35, "35-44"),
    (45, "45-54"),
    (55, "55-64"),
    (65, "65-89"),
    (90, "90+"),
)

# Closed vocabularies for the group labels; anything else is exported as "other".
VOCABULARY = {
    "sex": {"female", "male", "intersex", UNKNOWN},
    "race_ethnicity": {
        "american indian or alaska native",
        "american indian",
        "alaska native",
        "asian",
        "black",
        "black or african american",
        "african american",
        "hispanic",
        "latino",
        "hispanic or latino",
        "native hawaiian or other pacific islander",
        "pacific islander",
        "white",
        "multiple",
        UNKNOWN,
    },
    "insurance": {"none", "medicaid", "medicare", "private", "va", OTHER, UNKNOWN},
    "rurality": {"rural", "urban", UNKNOWN},
}
LANGUAGE = re.compile(r"[a-z]{2,3}")

EPISODE_COLUMNS = (
    "study_id",
    "episode",
    "level_of_care",
    "admitted_on",
    "discharged_on",
    "length_of_stay_days",
    "discharge_reason",
    "age_band",
    "sex",
    "race_ethnicity",
    "insurance",
    "rurality",
    "language",
    "zip3",
)
SCORE_COLUMNS = ("study_id", "instrument", "total", "band", "taken_on")
LEVELS = {"0.5", "1.0", "2.1", "2.5", "3.1", "3.5", "3.7", "4.0"}
REASONS = {"completed", "transferred", "left", "administrative", "incarcerated", "died", OTHER}


@dataclass(frozen=True, slots=True)
class SourceEpisode:
    """One episode as stored: identified. Only the fields named in EPISODE_COLUMNS leave."""

    person_key: str
    admitted_on: date
    level_of_care: str
    birth_date: date | None = None
    discharged_on: date | None = None
    discharge_reason: str = ""
    groups: Mapping[str, str] = field(default_factory=dict)
    postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class SourceScore:
    person_key: str
    instrument: str
    total: int | None
    band: str
    taken_on: date


@dataclass(frozen=True, slots=True)
class Export:
    episodes: tuple[dict[str, str], ...]
    scores: tuple[dict[str, str], ...]

    @property
    def people(self) -> int:
        return len({row["study_id"] for row in self.episodes})

    def episodes_csv(self) -> str:
        return _csv(EPISODE_COLUMNS, self.episodes)

    def scores_csv(self) -> str:
        return _csv(SCORE_COLUMNS, self.scores)


class KAnonymityRefused(Exception):  # noqa: N818 - a refusal, not a programming error
    """Some combination of quasi-identifiers is shared by fewer than k people."""

    def __init__(self, failing_records: int, k: int = K) -> None:
        self.failing_records = failing_records
        self.k = k
        self.quasi_identifiers = QUASI_IDENTIFIERS
        super().__init__(
            f"{failing_records} record(s) share their combination of "
            f"{', '.join(QUASI_IDENTIFIERS)} with fewer than {k} people"
        )


def shift_days(key: bytes, person_key: str) -> int:
    """The person's secret date offset: 1 to 365 days, earlier or later, never 0."""
    digest = hmac.new(key, f"date-shift:{person_key}".encode(), hashlib.sha256).digest()
    value = int.from_bytes(digest[:8], "big") % (2 * MAX_SHIFT_DAYS)
    return value - MAX_SHIFT_DAYS if value < MAX_SHIFT_DAYS else value - MAX_SHIFT_DAYS + 1


def study_id(salt: bytes, person_key: str) -> str:
    """A per-export pseudonym: the same person within one export, unlinkable across exports
    when each export draws a fresh random `salt`."""
    return "S" + hmac.new(salt, f"study:{person_key}".encode(), hashlib.sha256).hexdigest()[:12]


def zip3(postal_code: str | None) -> str:
    """First three digits of a US ZIP code, "000" for a restricted area, "unknown" otherwise."""
    text = (postal_code or "").strip()
    if not re.fullmatch(r"\d{5}(-?\d{4})?", text):
        return UNKNOWN
    return "000" if text[:3] in RESTRICTED_ZIP3 else text[:3]


def age_band(birth_date: date | None, on: date) -> str:
    if birth_date is None or birth_date > on:
        return UNKNOWN
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return [label for lowest, label in AGE_BANDS if age >= lowest][-1]


def deidentify(
    episodes: Sequence[SourceEpisode],
    scores: Iterable[SourceScore] = (),
    *,
    key: bytes,
    salt: bytes,
    k: int = K,
) -> Export:
    """The de-identified export, or KAnonymityRefused when a quasi-identifier group is small."""
    ordered = sorted(episodes, key=lambda e: (e.person_key, e.admitted_on))
    rows, counter = [], defaultdict(int)
    for episode in ordered:
        counter[episode.person_key] += 1
        rows.append(_episode_row(episode, counter[episode.person_key], key=key, salt=salt))
    check_k_anonymity(rows, k)
    known = {e.person_key for e in episodes}
    score_rows = [_score_row(s, key=key, salt=salt) for s in scores if s.person_key in known]
    score_rows.sort(key=lambda r: (r["study_id"], r["taken_on"], r["instrument"]))
    rows.sort(key=lambda r: (r["study_id"], int(r["episode"])))
    return Export(tuple(rows), tuple(score_rows))


def check_k_anonymity(rows: Sequence[Mapping[str, str]], k: int = K) -> None:
    """Refuse when any quasi-identifier combination is shared by fewer than `k` people."""
    people: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows:
        people[tuple(row[q] for q in QUASI_IDENTIFIERS)].add(row["study_id"])
    failing = sum(1 for row in rows if len(people[tuple(row[q] for q in QUASI_IDENTIFIERS)]) < k)
    if failing:
        raise KAnonymityRefused(failing, k)


def _episode_row(episode: SourceEpisode, number: int, *, key: bytes, salt: bytes) -> dict[str, str]:
    offset = timedelta(days=shift_days(key, episode.person_key))
    discharged = episode.discharged_on
    return {
        "study_id": study_id(salt, episode.person_key),
        "episode": str(number),
        "level_of_care": episode.level_of_care if episode.level_of_care in LEVELS else UNKNOWN,
        "admitted_on": (episode.admitted_on + offset).isoformat(),
        "discharged_on": (discharged + offset).isoformat() if discharged else "",
        "length_of_stay_days": str((discharged - episode.admitted_on).days) if discharged else "",
        "discharge_reason": _closed(episode.discharge_reason, REASONS, blank=not discharged),
        "age_band": age_band(episode.birth_date, episode.admitted_on),
        **{name: _group(episode.groups, name) for name in VOCABULARY},
        "language": _language(episode.groups.get("language")),
        "zip3": zip3(episode.postal_code),
    }


def _score_row(score: SourceScore, *, key: bytes, salt: bytes) -> dict[str, str]:
    """Instrument ids and band labels only from the instrument catalogue (closed sets)."""
    bands = _instrument_bands()
    offset = timedelta(days=shift_days(key, score.person_key))
    return {
        "study_id": study_id(salt, score.person_key),
        "instrument": score.instrument if score.instrument in bands else OTHER,
        "total": "" if score.total is None else str(int(score.total)),
        "band": score.band if score.band in bands.get(score.instrument, ()) else "",
        "taken_on": (score.taken_on + offset).isoformat(),
    }


@functools.cache
def _instrument_bands() -> dict[str, frozenset[str]]:
    return {
        instrument_id: frozenset(band.label for band in instruments.instrument(instrument_id).bands)
        for instrument_id in instruments.instrument_ids()
    }


def _group(groups: Mapping[str, str], name: str) -> str:
    value = str(groups.get(name) or UNKNOWN).strip().lower()
    return value if value in VOCABULARY[name] else OTHER


def _language(value: str | None) -> str:
    text = (value or UNKNOWN).strip().lower()
    return text if text == UNKNOWN or LANGUAGE.fullmatch(text) else OTHER


def _closed(value: str, allowed: set[str], *, blank: bool) -> str:
    if blank:
        return ""
    return value if value in allowed else UNKNOWN


def _csv(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
