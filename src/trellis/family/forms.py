"""Forms of the family member's tools. Every message names what is allowed and never echoes
what was typed; the well-being scoring rules are the core's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from trellis.core import family_wellbeing as core
from trellis.core.errors import InvalidInput
from trellis.knowledge.content import localized
from trellis.knowledge.family import content
from trellis.recovery.forms import DateInput, refuse

MAX_TEXT = 2000

__all__ = ["BoundaryForm", "CraftPracticeForm", "SelfCareForm", "WellbeingForm", "refuse"]


def _language() -> str:
    return (get_language() or "en")[:2]


def _text(label: Any, *, rows: int = 2, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Write a few words here."),
            "max_length": _("Up to %(limit_value)d characters."),
        },
    )


def _scale(label: Any, values: dict[int, dict[str, str]], allowed: str) -> forms.TypedChoiceField:
    message = gettext("Choose one of the answers (%(allowed)s).") % {"allowed": allowed}
    return forms.TypedChoiceField(
        label=label,
        choices=[(v, localized(text, _language())) for v, text in values.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class BoundaryForm(forms.Form):
    boundary = _text(_("The boundary: what I will or will not do"))
    how_to_say = _text(_('How I will say it (calm, brief, an "I" statement)'))
    consequence = _text(_("What I will do if it is crossed (only what is safe)"))
    self_care = _text(_("How I will take care of myself"))


class CraftPracticeForm(forms.Form):
    done_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        error_messages={"required": _("Give a date."), "invalid": _("A date (YYYY-MM-DD).")},
    )
    tried = _text(_("What I tried"))
    note = _text(_("Note (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"] = _scale(_("How it went"), content().craft.outcomes, "1-5")
        self.order_fields(["done_on", "tried", "outcome", "note"])


class WellbeingForm(forms.Form):
    """The four PHQ-4 items in the published wording, then the 0-10 stress self-rating."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wellbeing = content().wellbeing
        for item in wellbeing.items:
            self.fields[item.code] = _scale(
                localized(item.text, _language()), wellbeing.options, "0-3"
            )
        self.fields[core.STRESS_FIELD] = _scale(
            localized(wellbeing.stress_question, _language()),
            {n: {"en": str(n), "es": str(n)} for n in range(wellbeing.rules.stress_high + 1)},
            f"0-{wellbeing.rules.stress_high}",
        )
        self.result: core.WellbeingScore | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.result = core.score(content().wellbeing.rules, data, data.get(core.STRESS_FIELD))
        except InvalidInput as exc:
            refuse(self, exc)
        return data


class SelfCareForm(forms.Form):
    title = forms.CharField(
        label=_("Something for me"),
        max_length=200,
        error_messages={
            "required": _("Write a few words here."),
            "max_length": _("Up to %(limit_value)d characters."),
        },
    )
    planned_for = forms.DateField(
        label=_("Planned for"),
        widget=DateInput(),
        error_messages={"required": _("Give a date."), "invalid": _("A date (YYYY-MM-DD).")},
    )
