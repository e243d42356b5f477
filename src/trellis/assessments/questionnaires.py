"""Questionnaires as forms: one field per item, built from the instrument definition."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trellis.assessments.models import Intake
from trellis.core import battery
from trellis.core.instruments import Instrument, Item, instrument
from trellis.knowledge.battery import rules

YES_NO = [("true", _("Yes")), ("false", _("No"))]
# Instruments a person may fill in on their own (clinician-rated scales are left out).
SELF_REPORT = ("phq9", "gad7", "auditc", "audit", "dast10", "pcl5", "bam", "asq")


def battery_for(intake: Intake) -> battery.Battery:
    from trellis.assessments.actions import cssrs_licensed

    return battery.plan(
        rules(),
        intake.document,
        requested_in_full=intake.requested_in_full,
        settings={"cssrs_licensed": cssrs_licensed()},
    )


def item_field(item: Item, *, in_full: bool = False) -> forms.Field:
    """One item's field; `in_full` asks gated items whatever their gate item's answer."""
    label = f"{item.number}. {item.text}"
    if item.kind == "yesno":
        gate = None if in_full else item.asked_if_yes
        gated = {"data-asked-if-yes": f"item_{gate}"} if gate else {}
        return forms.TypedChoiceField(
            label=label,
            choices=YES_NO,
            coerce=lambda v: v == "true",
            widget=forms.RadioSelect(attrs=gated),
            required=not item.optional and not gate,
            help_text=_("Answer only if you answered yes to question %(n)s.") % {"n": gate}
            if gate
            else "",
        )
    if item.kind == "range":
        # Skip rules (BAM items 5 and 7) are the scorer's to check, so a blank may be allowed.
        return forms.IntegerField(
            label=label, min_value=item.low, max_value=item.high, required=False
        )
    if item.kind == "daylist":
        return forms.CharField(
            label=label + " " + str(_("(seven numbers separated by commas)")), required=False
        )
    choices = [(str(o.value), o.label) for o in item.options]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect, required=True
    )


def form_for(
    definition: Instrument, *, first_item: int = 1, data: Any = None, in_full: bool = False
) -> forms.Form:
    """A form for the items from `first_item` on (items before it came from a screen)."""
    fields = {
        f"item_{item.number}": item_field(item, in_full=in_full)
        for item in definition.items
        if item.number >= first_item
    }
    return type(f"{definition.id.title()}Form", (forms.Form,), fields)(data)


def responses_from(
    definition: Instrument, form: forms.Form, *, before: list[Any], in_full: bool = False
) -> list[Any]:
    """The answers in item order: the screen's answers first, then the form's (blank → null)."""
    answers = list(before)
    for item in definition.items[len(before) :]:
        value = form.cleaned_data.get(f"item_{item.number}")
        if item.kind == "daylist":
            value = [int(v) for v in value.replace(" ", "").split(",")] if value else None
        if item.asked_if_yes and not in_full and answers[item.asked_if_yes - 1] is not True:
            value = None  # not asked: its gate question was not answered yes
        answers.append(None if value in ("", None) else value)
    while answers and answers[-1] is None and definition.items[len(answers) - 1].optional:
        answers.pop()
    return answers


def next_to_ask(intake: Intake) -> tuple[str, Instrument, int, list[Any], bool] | None:
    """The questionnaire to ask now: (id to store under, definition, first item, earlier answers,
    whether the clinician asked for it in full)."""
    for step in battery_for(intake).steps:
        target = step.next_instrument
        if target is None:
            continue
        if (
            target == step.instrument
            and step.screen
            and step.screen in (intake.document.get("instruments") or {})
        ):
            before = list(intake.document["instruments"][step.screen])
            return step.instrument, instrument(step.instrument), len(before) + 1, before, False
        return target, instrument(target), 1, [], target in intake.requested_in_full
    return None
