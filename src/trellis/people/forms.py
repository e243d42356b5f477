from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
