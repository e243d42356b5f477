from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.plans.models import Decision


class DecisionForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Your choice"), choices=Decision.choices, widget=forms.RadioSelect
    )
    teach_back = forms.CharField(
        label=_("In your own words: what is it, and why did you choose this?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeviationForm(forms.Form):
    code = forms.CharField(label=_("Intervention code"), max_length=40)
    action = forms.ChoiceField(
        label=_("Change"),
        choices=[("add", _("Add")), ("remove", _("Remove")), ("change", _("Change status"))],
    )
    status = forms.ChoiceField(
        label=_("New status"),
        required=False,
        choices=[("", "—"), ("recommended", _("recommended")), ("consider", _("consider"))],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
