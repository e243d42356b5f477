from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.people.models import LEVELS_OF_CARE, DischargeReason, Program


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this record now?"),
        help_text=_("Your reason is recorded and a supervisor will review this access."),
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("appropriate", _("Appropriate")),
            ("inappropriate", _("Inappropriate: follow up")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("outcome") == "inappropriate" and not str(data.get("note", "")).strip():
            self.add_error("note", _("Say what follow-up is needed when access was inappropriate."))
        return data


class PersonForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.order_by("name"), empty_label=None
    )
    given_name = forms.CharField(label=_("Given name"), max_length=80)
    family_name = forms.CharField(label=_("Family name"), max_length=80)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=[("en", "English"), ("es", "Español")]
    )

    def clean_birth_date(self) -> object:
        from django.utils import timezone

        born = self.cleaned_data["birth_date"]
        age = (timezone.localdate() - born).days // 365
        if not 10 <= age <= 110:
            raise forms.ValidationError(_("Enter a date of birth for someone aged 10 to 110."))
        return born


class AdmitForm(forms.Form):
    level_of_care = forms.ChoiceField(label=_("Level of care"), choices=LEVELS_OF_CARE)
    admitted_on = forms.DateField(
        label=_("Admitted on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_admitted_on(self) -> object:
        from django.utils import timezone

        day = self.cleaned_data["admitted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The admission date cannot be in the future."))
        return day


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(
        label=_("Discharged on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    discharge_reason = forms.ChoiceField(label=_("Reason"), choices=DischargeReason.choices)

    def clean_discharged_on(self) -> object:
        from django.utils import timezone

        day = self.cleaned_data["discharged_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The discharge date cannot be in the future."))
        return day


class CareTeamForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Staff member"), queryset=None, to_field_name="username"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        from trellis.accounts.models import User

        roles = ("clinician", "supervisor", "navigator")
        self.fields["member"].queryset = User.objects.filter(
            role__in=roles, is_active=True
        ).order_by("last_name")
