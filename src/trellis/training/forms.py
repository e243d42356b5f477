from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from trellis.core.placement import LEVEL_ORDER
from trellis.knowledge.interventions import knowledge_base
from trellis.knowledge.vignettes import vignettes
from trellis.people.models import LEVELS_OF_CARE

CATEGORY_LABELS = {
    "safety": _("Safety"),
    "withdrawal": _("Withdrawal management"),
    "pharmacotherapy": _("Medications"),
    "psychosocial": _("Psychosocial treatment"),
    "co-occurring": _("Co-occurring conditions"),
    "holistic": _("Holistic"),
    "self-management": _("Self-management"),
    "family": _("Family"),
    "community": _("Community"),
}


def code_choices() -> list[tuple[Any, list[tuple[str, str]]]]:
    """The knowledge base's interventions, grouped by category in the knowledge base's order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in knowledge_base().entries:
        groups.setdefault(entry.category, []).append((entry.code, entry.name))
    return [(CATEGORY_LABELS.get(c, c), items) for c, items in groups.items()]


class AnswerForm(forms.Form):
    vignette = forms.CharField(widget=forms.HiddenInput, max_length=80)
    level = forms.ChoiceField(
        label=_("Level of care"),
        choices=LEVELS_OF_CARE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Level of care: choose one."),
            "invalid_choice": format_lazy(
                _("Level of care must be one of {levels}."), levels=", ".join(LEVEL_ORDER)
            ),
        },
    )
    codes = forms.MultipleChoiceField(
        label=_("Interventions for the plan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Interventions must be codes from the knowledge base."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = code_choices()

    def clean_vignette(self) -> str:
        value = self.cleaned_data["vignette"]
        if value not in vignettes():
            raise forms.ValidationError(_("Vignette must be one of the training vignettes."))
        return value
