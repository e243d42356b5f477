"""`trellis plan INTAKE.json [--format json|text] [--out FILE]`: intake → plan document.

This release fills the assessment parts of plan.md (placement, dimensions, safety, missing);
problems, goals, interventions and referrals are empty lists until the plan generator lands.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from trellis.core.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("plan", help="intake → plan document (contracts/plan.md)")
    parser.add_argument("intake", help="an intake document (trellis.intake/1) as JSON")
    parser.add_argument("--format", choices=["json", "text"], default="json")
    parser.add_argument("--out", help="write to this file instead of standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trellis.core.assessment import assess_intake
    from trellis.knowledge import version

    document = _read(args.intake)
    try:
        plan = assess_intake(document).as_plan_dict(version())
    except InvalidInput as error:
        raise InvalidInput(
            f"{args.intake}: {error.field}",
            error.allowed,
            message=f"{args.intake}: {error.message}",
        ) from None
    output = (
        json.dumps(plan, indent=2, ensure_ascii=False) + "\n"
        if args.format == "json"
        else as_text(plan)
    )
    if args.out:
        Path(args.out).write_text(output, encoding="utf-8")
    else:
        print(output, end="")
    return 0


def _read(name: str) -> Any:
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError:
        raise InvalidInput(name, "a readable file") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            name, f"valid JSON (line {error.lineno}, column {error.colno})"
        ) from None


def as_text(plan: dict[str, Any]) -> str:
    placement, safety = plan["placement"], plan["safety"]
    lines = [
        f"Plan for {plan['person_id'] or 'an unnamed person'} (knowledge base {plan['kb_version']})",
        "",
    ]
    if safety["urgent"]:
        lines += [f"URGENT: {', '.join(safety['flags'])}", ""]
    if safety["actions"]:
        lines += [f"Safety actions: {', '.join(safety['actions'])}", ""]
    lines += [f"Level of care: {placement['level']} {placement['name']}"]
    if placement["withdrawal_management"]:
        lines.append(f"Withdrawal management: {placement['withdrawal_management']}")
    if placement["opioid_treatment_program"]:
        lines.append("Opioid treatment program: indicated")
    lines += [f"  - {line}" for line in placement["rationale"]] + ["", "Dimensions:"]
    lines += [
        f"  {d['n']}. {d['name']}: risk {d['risk']}"
        + (f" ({'; '.join(d['reasons'])})" if d["reasons"] else "")
        for d in plan["dimensions"]
    ]
    if plan["missing"]:
        lines += ["", "Missing (would change the plan):"] + [f"  - {m}" for m in plan["missing"]]
    return "\n".join(lines) + "\n"
