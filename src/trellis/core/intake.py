"""Validate the intake document (contracts/intake.schema.json, `trellis.intake/1`) and list what
it lacks. Schema errors and contradictions name the field path; nothing is guessed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from trellis.core.errors import InvalidInput
from trellis.core.instruments import instrument, instrument_ids, score

OPIOIDS = frozenset({"opioids", "fentanyl", "heroin", "prescription_opioids"})
SEDATIVES = frozenset({"alcohol", "benzodiazepines", "sedatives"})


@dataclass(frozen=True, slots=True)
class Intake:
    document: Mapping[str, Any]
    missing: tuple[str, ...]

    def section(self, name: str) -> Mapping[str, Any]:
        return self.document.get(name) or {}

    @property
    def age(self) -> int:
        return int(self.document["person"]["age"])

    @property
    def substances(self) -> Sequence[Mapping[str, Any]]:
        return self.document.get("substances") or []

    @property
    def instruments(self) -> Mapping[str, Sequence[Any]]:
        return self.document.get("instruments") or {}


def validate(document: Mapping[str, Any], schema: Mapping[str, Any] | None = None) -> Intake:
    """Return the intake with what it is missing, or raise InvalidInput naming the field path."""
    if not isinstance(document, Mapping):
        raise InvalidInput("intake", "a JSON object (trellis.intake/1)")
    check_schema(document, schema or _schema())
    check_person(document)
    check_substances(document.get("substances") or [])
    check_instruments(document)
    return Intake(document, missing(document))


def _schema() -> Mapping[str, Any]:
    from trellis.knowledge import intake_schema

    return intake_schema()


def check_schema(document: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    errors = sorted(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(document),
        key=_order,
    )
    if errors:
        raise InvalidInput(path(errors[0]), allowed(errors[0]))


def _order(error: ValidationError) -> tuple[int, str]:
    return (len(error.absolute_path), "/".join(str(p) for p in error.absolute_path))


def path(error: ValidationError) -> str:
    parts = list(error.absolute_path)
    if error.validator == "required":
        parts.append(error.message.split("'")[1])
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "intake"


def allowed(error: ValidationError) -> str:
    spec, kind = error.schema, error.validator
    if kind == "enum":
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    if kind == "const":
        return str(spec["const"])
    if kind == "required":
        return "present"
    if kind in ("minimum", "maximum"):
        low, high = spec.get("minimum"), spec.get("maximum")
        return (
            f"{low}-{high}"
            if low is not None and high is not None
            else f"at least {low}"
            if low is not None
            else f"at most {high}"
        )
    if kind == "format":
        return (
            "a date such as 2026-11-25"
            if spec.get("format") == "date"
            else f"in {spec['format']} format"
        )
    if kind == "type":
        names = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        return " or ".join(
            {
                "integer": "a whole number",
                "number": "a number",
                "string": "text",
                "boolean": "true or false",
                "array": "a list",
                "object": "an object",
                "null": "null",
            }[n]
            for n in names
        )
    return "valid for the intake schema"


def check_person(document: Mapping[str, Any]) -> None:
    person = document["person"]
    if person.get("sex_at_birth") == "male":
        for field in ("pregnant", "postpartum"):
            if person.get(field) is True:
                raise InvalidInput(
                    f"person.{field}",
                    "true only when sex at birth is not male",
                    message=f"person.{field} is true but person.sex_at_birth is male: check both with the person",
                )


def check_substances(substances: Sequence[Mapping[str, Any]]) -> None:
    primaries = [i for i, s in enumerate(substances) if s.get("primary")]
    if len(primaries) > 1:
        raise InvalidInput(f"substances[{primaries[1]}].primary", "true for one substance only")
    for i, s in enumerate(substances):
        used, last = s.get("days_used_past_30"), s.get("last_use_days_ago")
        if used and last is not None and last > 30:
            raise InvalidInput(
                f"substances[{i}].last_use_days_ago",
                f"30 or fewer when substances[{i}].days_used_past_30 is above 0",
            )
        if used == 0 and last is not None and last < 30:
            raise InvalidInput(
                f"substances[{i}].days_used_past_30",
                f"above 0 when substances[{i}].last_use_days_ago is under 30",
            )


def check_instruments(document: Mapping[str, Any]) -> None:
    age = document["person"]["age"]
    sex = document["person"].get("sex_at_birth")
    for instrument_id, responses in (document.get("instruments") or {}).items():
        if instrument_id not in instrument_ids():
            raise InvalidInput(
                f"instruments.{instrument_id}", "an instrument id: " + ", ".join(instrument_ids())
            )
        ages = instrument(instrument_id).ages
        if ages and not ages[0] <= age <= ages[1]:
            raise InvalidInput(
                f"instruments.{instrument_id}",
                f"given at ages {ages[0]}-{ages[1]}",
                message=f"instruments.{instrument_id} is for ages {ages[0]}-{ages[1]}; person.age is outside that range",
            )
        context = {"sex": sex} if instrument_id == "auditc" and sex in ("female", "male") else {}
        try:
            score(instrument_id, responses, context)
        except InvalidInput as error:
            raise InvalidInput(
                f"instruments.{error.field}", error.allowed, message=f"instruments.{error.message}"
            ) from None


def missing(document: Mapping[str, Any]) -> tuple[str, ...]:
    """What the intake lacks that would change the assessment or the plan (stable short strings)."""
    answered = set(document.get("instruments") or {})
    gaps = [
        name
        for name in (
            "substances",
            "medical",
            "mental_health",
            "history",
            "readiness",
            "environment",
            "preferences",
        )
        if not document.get(name)
    ]
    checks = [
        ({"phq2", "phq9"}, "instruments.phq2 or phq9 (depression screen)"),
        ({"asq", "cssrs_screen"}, "instruments.asq or cssrs_screen (suicide screen)"),
        ({"gad7"}, "instruments.gad7 (anxiety)"),
    ]
    gaps += [label for ids, label in checks if not ids & answered]
    gaps += _substance_gaps(document, answered)
    gaps += [
        f"{section}.{field}"
        for section, field in (
            ("readiness", "stage"),
            ("environment", "housing"),
            ("medical", "liver"),
            ("person", "sex_at_birth"),
        )
        if document.get(section) and (document.get(section) or {}).get(field) is None
    ]
    return tuple(gaps)


def _substance_gaps(document: Mapping[str, Any], answered: set[str]) -> list[str]:
    names = {s["substance"] for s in document.get("substances") or []}
    gaps = []
    if "alcohol" in names and not {"audit", "auditc"} & answered:
        gaps.append("instruments.auditc or audit (alcohol use)")
    if names & SEDATIVES and "ciwa_ar" not in answered and "alcohol" in names:
        gaps.append("instruments.ciwa_ar (alcohol withdrawal)")
    if names & OPIOIDS and "cows" not in answered:
        gaps.append("instruments.cows (opioid withdrawal)")
    for i, s in enumerate(document.get("substances") or []):
        if s.get("dsm5_criteria_count") is None:
            gaps.append(f"substances[{i}].dsm5_criteria_count")
    return gaps
