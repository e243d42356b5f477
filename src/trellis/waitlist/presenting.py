"""What the allocation pages show: names instead of ids, and the core's report and comparison
laid out as tables. Computes no rule and no figure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from trellis.core.allocation import GROUP_ATTRIBUTES, Policy
from trellis.people.models import Program
from trellis.waitlist import actions
from trellis.waitlist.inputs import is_complete
from trellis.waitlist.models import AllocationRun, Capacity, WaitlistEntry

ATTRIBUTE_LABELS = {
    "race_ethnicity": _("Race and ethnicity"),
    "sex": _("Sex at birth"),
    "age_band": _("Age band"),
    "insurance": _("Insurance"),
    "rurality": _("Rural or urban"),
    "language": _("Preferred language"),
}


def labelled(groups: Mapping[str, str]) -> list[tuple[Any, str]]:
    return [(ATTRIBUTE_LABELS[a], groups[a]) for a in GROUP_ATTRIBUTES if a in groups]


@dataclass
class ProgramRow:
    program: Program
    rows: list[Capacity]
    complete: bool


def capacity_overview() -> list[ProgramRow]:
    by_program: dict[int, list[Capacity]] = defaultdict(list)
    for row in Capacity.objects.all():
        by_program[row.program_id].append(row)
    return [
        ProgramRow(p, by_program[p.pk], is_complete(p)) for p in Program.objects.order_by("name")
    ]


def program_choices(run: AllocationRun) -> list[tuple[str, str]]:
    return [(p["id"], f"{p['name']} · {p['level']}") for p in run.snapshot["capacity"]]


def people_choices(run: AllocationRun) -> list[tuple[str, str]]:
    entries = _entries(run)
    return sorted(((k, e.person.full_name) for k, e in entries.items()), key=lambda kv: kv[1])


def _entries(run: AllocationRun) -> dict[str, WaitlistEntry]:
    ids = [r["id"] for r in run.snapshot["requests"]]
    rows = WaitlistEntry.objects.filter(public_id__in=ids).select_related("person")
    return {str(e.public_id): e for e in rows}


def run_context(run: AllocationRun) -> dict[str, Any]:
    programs = {p["id"]: p for p in run.snapshot["capacity"]}
    names = {k: f"{p['name']} · {p['level']}" for k, p in programs.items()}
    entries = _entries(run)
    history = list(run.changes.select_related("entry__person", "by"))
    for change in history:
        change.to_name = names.get(change.to_program, "")
    changed = {str(c.entry.public_id): c for c in history}
    made = actions.current_report(run)
    chosen = run.result["runs"][run.policy]
    return {
        "chosen": chosen,
        "report": made,
        "assignments": _assignments(made, programs, entries, changed),
        "unplaced": _unplaced(made, entries, changed),
        "unmet_by_level": sorted(made["unmet"]["by_level"].items()),
        "fairness": _fairness(made),
        "comparison": _comparison(run),
        "changes": history,
    }


def _assignments(
    made: Mapping[str, Any],
    programs: Mapping[str, Any],
    entries: Mapping[str, WaitlistEntry],
    changed: Mapping[str, Any],
) -> list[dict[str, Any]]:
    rows = [
        {
            "entry": entries[p["request"]],
            "program": programs[p["program"]]["name"],
            "level": programs[p["program"]]["level"],
            "distance_km": p["distance_km"],
            "why": p["why"],
            "change": changed.get(p["request"]),
        }
        for p in made["placements"]
    ]
    return sorted(rows, key=lambda r: (r["program"], r["level"], r["entry"].person.family_name))


def _unplaced(
    made: Mapping[str, Any], entries: Mapping[str, WaitlistEntry], changed: Mapping[str, Any]
) -> list[dict[str, Any]]:
    rows = [
        {**u, "entry": entries[u["request"]], "change": changed.get(u["request"])}
        for u in made["unplaced"]
    ]
    return sorted(rows, key=lambda r: (-r["need_weight"], -r["days_waited"]))


def _fairness(made: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "attribute": attribute,
            "label": ATTRIBUTE_LABELS[attribute],
            "groups": sorted(made["fairness"][attribute]["groups"].items()),
            "ratios": made["fairness"][attribute]["ratios"],
        }
        for attribute in GROUP_ATTRIBUTES
        if attribute in made["fairness"]
    ]


def _comparison(run: AllocationRun) -> list[dict[str, Any]]:
    rows = []
    for policy in Policy:
        result = run.result["runs"][policy]
        rows.append(
            {
                **result,
                "waiting": len(result["report"]["unplaced"]),
                "bound": result["allocation"]["bound"],
                "against_fcfs": run.result["against_fcfs"].get(policy, {}),
                "chosen": policy == run.policy,
            }
        )
    return rows
