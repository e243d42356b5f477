from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.people.models import LEVELS_OF_CARE


class OverrideForm(forms.Form):
    level = forms.ChoiceField(label=_("Level of care"), choices=LEVELS_OF_CARE)
    reason = forms.CharField(
        label=_("Reason for a different level"),
        help_text=_("Overrides are recorded with your reason and counted in quality reports."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
