"""The intake's sections as Django forms, built from the intake schema (contracts/intake.schema.json).

Building the forms from the schema keeps pages and contract in step: a field the schema adds
appears on the page with a generic label until it gets a translated one here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "intake.schema.json"

SECTIONS: list[tuple[str, Any]] = [
    ("person", _("Person")),
    ("substances", _("Substance use")),
    ("instruments", _("Questionnaires")),
    ("medical", _("Medical")),
    ("mental_health", _("Mental health")),
    ("history", _("History")),
    ("readiness", _("Readiness")),
    ("environment", _("Environment")),
    ("strengths", _("Strengths")),
    ("preferences", _("Preferences")),
]
SECTION_IDS = [s for s, _label in SECTIONS]
# Sections that are forms over the schema; `instruments` has its own adaptive pages.
FORM_SECTIONS = [s for s in SECTION_IDS if s != "instruments"]

LABELS: dict[str, Any] = {
    "age": _("Age"),
    "sex_at_birth": _("Sex assigned at birth"),
    "gender_identity": _("Gender identity"),
    "pregnant": _("Pregnant"),
    "postpartum": _("Postpartum (up to a year after birth)"),
    "preferred_language": _("Preferred language (e.g. en, es)"),
    "race_ethnicity": _("Race and ethnicity (one per line)"),
    "insurance": _("Insurance"),
    "veteran": _("Veteran"),
    "lat": _("Latitude"),
    "lon": _("Longitude"),
    "postal_code": _("Postal code"),
    "substance": _("Substance"),
    "primary": _("Primary substance"),
    "route": _("Route"),
    "days_used_past_30": _("Days used in the past 30"),
    "last_use_days_ago": _("Days since last use"),
    "dsm5_criteria_count": _("DSM-5 criteria met (0-11)"),
    "age_first_use": _("Age at first use"),
    "conditions": _(
        "Medical conditions (one per line, e.g. chronic_pain, cirrhosis, seizure_disorder)"
    ),
    "current_medications": _("Current medications (generic names, one per line)"),
    "creatinine_clearance_ml_min": _("Creatinine clearance (mL/min)"),
    "liver": _("Liver function"),
    "qtc_ms": _("QTc (ms)"),
    "allergies": _("Allergies (one per line)"),
    "diagnoses": _("Mental-health diagnoses (one per line, e.g. depression, anxiety, ptsd)"),
    "in_treatment": _("In mental-health treatment now"),
    "psychiatric_hospitalizations_past_year": _("Psychiatric hospitalizations in the past year"),
    "trauma_history": _("History of trauma"),
    "cognitive_impairment": _("Cognitive impairment"),
    "overdoses_past_year": _("Overdoses in the past year"),
    "withdrawal_complications": _("Past withdrawal complications"),
    "longest_abstinence_days": _("Longest time without use (days)"),
    "medications_tried": _("Medications for addiction tried before (one per line)"),
    "stage": _("Stage of change"),
    "importance_0_10": _("How important is changing, 0-10"),
    "confidence_0_10": _("How confident about changing, 0-10"),
    "mandated": _("Treatment mandated (court, employer)"),
    "housing": _("Housing"),
    "lives_with_someone_who_uses": _("Lives with someone who uses"),
    "supportive_people_count": _("Number of supportive people"),
    "family_involvement_wanted": _("Wants family involved"),
    "employment": _("Employment"),
    "legal": _("Legal situation"),
    "has_transportation": _("Has transportation"),
    "childcare_needed": _("Needs childcare"),
    "domestic_violence": _("Domestic violence"),
    "financial_strain": _("Financial strain"),
    "food_insecurity": _("Food insecurity"),
    "rural": _("Lives in a rural area"),
    "strengths": _("Strengths (one per line, in the person's words)"),
    "declines": _("Declines (intervention codes or categories, one per line)"),
    "prefers": _("Prefers (e.g. telehealth, group, secular, evening_hours; one per line)"),
    "goals_in_own_words": _("Goals in the person's own words"),
    "recovery_goal": _("Recovery goal"),
    "clinician_gender": _("Preferred clinician gender"),
    "max_travel_km": _("Furthest they can travel (km)"),
}
# Filled in by Trellis, not asked: the person's id.
AUTOMATIC = {"id"}
YES_NO = [("", _("Not asked")), ("true", _("Yes")), ("false", _("No"))]


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def section_schema(section: str) -> dict[str, Any]:
    node = schema()["properties"][section]
    return node["items"] if node.get("type") == "array" and section == "substances" else node


def field_for(name: str, spec: dict[str, Any], *, required: bool = False) -> forms.Field:
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    kind = spec.get("type")
    if "enum" in spec:
        choices = [("", "—"), *((v, v.replace("_", " ")) for v in spec["enum"])]
        return forms.ChoiceField(label=label, choices=choices, required=required)
    if kind == "boolean":
        return forms.TypedChoiceField(
            label=label,
            choices=YES_NO,
            coerce=lambda v: v == "true",
            empty_value=None,
            required=False,
        )
    if kind == "integer":
        return forms.IntegerField(
            label=label,
            min_value=spec.get("minimum"),
            max_value=spec.get("maximum"),
            required=required,
        )
    if kind == "number":
        return forms.FloatField(
            label=label,
            min_value=spec.get("minimum"),
            max_value=spec.get("maximum"),
            required=required,
        )
    if kind == "array" and "enum" in spec.get("items", {}):
        choices = [(v, v.replace("_", " ")) for v in spec["items"]["enum"]]
        return forms.MultipleChoiceField(
            label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
        )
    if kind == "array":
        return LinesField(label=label, required=False)
    widget = forms.Textarea(attrs={"rows": 3}) if name == "goals_in_own_words" else None
    return forms.CharField(label=label, required=required, max_length=2000, widget=widget)


class LinesField(forms.CharField):
    """A list of short strings, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def _flat_properties(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
    """Properties of a section, with nested objects (the person's location) flattened."""
    required = set(spec.get("required", []))
    out = []
    for name, prop in spec.get("properties", {}).items():
        if name in AUTOMATIC:
            continue
        if prop.get("type") == "object":
            out.extend((inner, p, False) for inner, p in prop.get("properties", {}).items())
        elif prop.get("type") == "array" and prop.get("items", {}).get("type") == "object":
            continue  # lists of records (prior treatment) are kept as they are in the document
        else:
            out.append((name, prop, name in required))
    return out


def form_class(section: str) -> type[forms.Form]:
    if section == "strengths":
        return type(
            "StrengthsForm",
            (forms.Form,),
            {"strengths": LinesField(label=LABELS["strengths"], required=False)},
        )
    spec = section_schema(section)
    fields = {
        name: field_for(name, prop, required=req) for name, prop, req in _flat_properties(spec)
    }
    return type(f"{section.title()}Form", (forms.Form,), fields)


def initial_for(section: str, document: dict[str, Any]) -> dict[str, Any]:
    value = document.get(section)
    if section == "strengths":
        return {"strengths": value or []}
    data = dict(value or {})
    for nested in ("location",):
        data.update(data.pop(nested, None) or {})
    return {k: ("true" if v is True else "false" if v is False else v) for k, v in data.items()}


def merge(section: str, document: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
    """Return a new document with this section replaced by the form's non-empty answers."""
    if section == "strengths":
        return _with(document, section, cleaned["strengths"] or None)
    kept = {k: v for k, v in cleaned.items() if v not in (None, "", [])}
    spec = section_schema(section)
    nested = {n: p for n, p in spec.get("properties", {}).items() if p.get("type") == "object"}
    for name, prop in nested.items():
        inner = {k: kept.pop(k) for k in list(kept) if k in prop.get("properties", {})}
        if inner:
            kept[name] = inner
    previous = document.get(section) or {}
    kept.update(
        {
            k: v
            for k, v in previous.items()
            if spec["properties"].get(k, {}).get("type") == "array"
            and spec["properties"][k].get("items", {}).get("type") == "object"
        }
    )
    return _with(document, section, kept or None)


def _with(document: dict[str, Any], section: str, value: Any) -> dict[str, Any]:
    updated = {k: v for k, v in document.items() if k != section}
    if value is not None:
        updated[section] = value
    return updated


def substance_formset(extra: int = 1) -> type[forms.BaseFormSet]:
    spec = section_schema("substances")
    fields = {
        name: field_for(name, prop, required=name == "substance")
        for name, prop, _r in _flat_properties(spec)
    }
    row = type("SubstanceRowForm", (forms.Form,), fields)
    return forms.formset_factory(row, extra=extra, can_delete=True, max_num=15, validate_max=True)
