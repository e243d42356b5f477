"""Forms of the capacity, waitlist and allocation pages. Every error names its field and what is
allowed, and never repeats the value typed."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.core.allocation import DEFAULT_FLOOR, Policy
from trellis.people.models import INSURANCE, LEVELS_OF_CARE
from trellis.recovery.forms import DateInput

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}$")  # a BCP 47 primary language subtag
LEVEL_CODES = ", ".join(code for code, _label in LEVELS_OF_CARE)
POLICY_LABELS = {
    Policy.FCFS: _("First come, first served"),
    Policy.OPTIMAL: _("Optimal (most need placed)"),
    Policy.EQUITABLE: _("Equitable (most need placed, fair to every group)"),
}


def said(message: Any) -> dict[str, Any]:
    """The same message for every way a field can be wrong."""
    keys = ("required", "invalid", "invalid_choice", "min_value", "max_value", "max_length")
    keys += ("max_digits", "max_decimal_places", "max_whole_digits", "invalid_list")
    return dict.fromkeys(keys, message)


def number(label: Any, message: Any, **bounds: Any) -> forms.FloatField:
    return forms.FloatField(label=label, error_messages=said(message), **bounds)


def languages_field(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=60,
        help_text=_("Language codes separated by commas, e.g. en, es"),
        error_messages=said(
            _("Languages must be language codes separated by commas, e.g. en, es.")
        ),
    )


def clean_languages(value: str, required: bool = True) -> list[str]:
    tags = [t.strip().lower() for t in (value or "").split(",") if t.strip()]
    if (required and not tags) or not all(LANGUAGE_TAG.match(t) for t in tags):
        raise forms.ValidationError(
            _("Languages must be language codes separated by commas, e.g. en, es.")
        )
    return list(dict.fromkeys(tags))


class ProgramForm(forms.Form):
    latitude = number(
        _("Latitude"), _("Latitude must be a number from -90 to 90."), min_value=-90, max_value=90
    )
    longitude = number(
        _("Longitude"),
        _("Longitude must be a number from -180 to 180."),
        min_value=-180,
        max_value=180,
    )
    languages = languages_field(_("Languages served"))
    insurance = forms.MultipleChoiceField(
        label=_("Insurance accepted"),
        choices=INSURANCE,
        widget=forms.CheckboxSelectMultiple,
        error_messages=said(_("Insurance accepted must be one or more of the listed kinds.")),
    )

    def clean_languages(self) -> list[str]:
        return clean_languages(self.cleaned_data["languages"])


class CapacityForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level of care"),
        choices=LEVELS_OF_CARE,
        error_messages=said(
            _("Level of care must be one of %(levels)s.") % {"levels": LEVEL_CODES}
        ),
    )
    service = forms.CharField(
        label=_("Service"),
        max_length=60,
        help_text=_('A short label, e.g. "residential", "intensive outpatient"'),
        error_messages=said(_("Service must be a short label of 1 to 60 characters.")),
    )
    slots = forms.IntegerField(
        label=_("Open places"),
        min_value=0,
        max_value=100000,
        error_messages=said(_("Open places must be a whole number, 0 or more.")),
    )
    staff_hours_per_week = forms.DecimalField(
        label=_("Staff hours per week"),
        min_value=0,
        max_digits=7,
        decimal_places=1,
        error_messages=said(
            _("Staff hours per week must be a number, 0 or more, with at most one decimal.")
        ),
    )

    def clean_service(self) -> str:
        value = self.cleaned_data["service"].strip()
        if not value:
            raise forms.ValidationError(_("Service must be a short label of 1 to 60 characters."))
        return value


class EntryForm(forms.Form):
    level = CapacityForm.base_fields["level"]
    need_weight = number(
        _("Need weight"),
        _("Need weight must be a number greater than 0."),
        min_value=0.01,
        max_value=1000,
    )
    needs = forms.CharField(
        label=_("Needs and preferences"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=said(_("Needs and preferences must be at most 500 characters.")),
    )
    languages = languages_field(_("Languages the person can be served in"))
    insurance = forms.ChoiceField(
        label=_("Insurance"),
        choices=INSURANCE,
        error_messages=said(_("Insurance must be one of the listed kinds.")),
    )
    latitude = ProgramForm.base_fields["latitude"]
    longitude = ProgramForm.base_fields["longitude"]
    max_travel_km = number(
        _("Maximum travel (km)"),
        _("Maximum travel must be a number of kilometres greater than 0."),
        min_value=0.1,
        max_value=20000,
    )
    waiting_since = forms.DateField(
        label=_("Waiting since"),
        widget=DateInput(),
        error_messages=said(_("Waiting since must be a date, today or earlier.")),
    )

    def clean_languages(self) -> list[str]:
        return clean_languages(self.cleaned_data["languages"])

    def clean_waiting_since(self) -> Any:
        value = self.cleaned_data["waiting_since"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Waiting since must be a date, today or earlier."))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=said(_("Reason must be 1 to 500 characters.")),
    )

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Reason must be 1 to 500 characters."))
        return value


class RunForm(forms.Form):
    policy = forms.ChoiceField(
        label=_("Policy"),
        choices=[(p.value, POLICY_LABELS[p]) for p in Policy],
        initial=Policy.EQUITABLE.value,
        error_messages=said(_("Policy must be one of fcfs, optimal, equitable.")),
    )
    equity_floor = number(
        _("Equity floor"),
        _("Equity floor must be a number from 0 to 1."),
        min_value=0,
        max_value=1,
    )
    equity_floor.initial = DEFAULT_FLOOR
    equity_floor.help_text = _(
        "Every group's placement rate must reach this fraction of the best group's (0 to 1)."
    )


class ChangeForm(ReasonForm):
    entry = forms.ChoiceField(
        label=_("Person"), error_messages=said(_("Person must be someone on this run's waitlist."))
    )
    to_program = forms.ChoiceField(
        label=_("Move to"),
        required=False,
        error_messages=said(_("Move to must be a program of this run, or leave waiting.")),
    )

    field_order = ["entry", "to_program", "reason"]

    def __init__(
        self,
        *args: Any,
        people: list[tuple[str, str]],
        programs: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = people
        self.fields["to_program"].choices = [("", _("Leave waiting")), *programs]
