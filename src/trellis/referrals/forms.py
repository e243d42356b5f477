"""Forms for sending a referral and recording its next step; the rules are the core's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.core import referrals as core
from trellis.directory.categories import community
from trellis.recovery.forms import CoreForm
from trellis.referrals.models import OUTCOME_LABELS, STATUS_LABELS


class SendForm(CoreForm):
    service = forms.CharField(widget=forms.HiddenInput)
    need = forms.ChoiceField(label=_("Need"))
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the person needs from this service, in a sentence."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = list(community().items())


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MoveForm(CoreForm):
    status = forms.ChoiceField(label=_("Next step"))
    appointment_at = forms.DateTimeField(
        label=_("Appointment (date and time)"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing)"),
        required=False,
        choices=[("", "—"), *((o.value, OUTCOME_LABELS[o]) for o in core.Outcome)],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, current: core.Status, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, STATUS_LABELS[s]) for s in core.allowed(current)]
