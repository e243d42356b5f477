"""`trellis plan INTAKE.json [--format json|text|pdf] [--out FILE] [--language en|es]`:
intake → plan document (contracts/plan.md), generated with the current knowledge base."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from trellis.core.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("plan", help="intake → plan document (contracts/plan.md)")
    parser.add_argument("intake", help="an intake document (trellis.intake/1) as JSON")
    parser.add_argument("--format", choices=["json", "text", "pdf"], default="json")
    parser.add_argument(
        "--language", choices=["en", "es"], default="en", help="language of the plan's plain text"
    )
    parser.add_argument("--out", help="write to this file instead of standard output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    document = _read(args.intake)
    try:
        plan = make_plan(document, language=args.language)
    except InvalidInput as error:
        raise InvalidInput(
            f"{args.intake}: {error.field}",
            error.allowed,
            message=f"{args.intake}: {error.message}",
        ) from None
    if args.format == "pdf":
        from trellis.plans.pdf import render_pdf

        if not args.out:
            raise InvalidInput("--out", "a file name for the PDF")
        Path(args.out).write_bytes(render_pdf(plan, language=args.language))
        return 0
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


def make_plan(document: Any, *, language: str = "en") -> dict[str, Any]:
    from datetime import date

    from trellis.core.planning import generate
    from trellis.knowledge import placement_rules, plan_rules
    from trellis.knowledge.interventions import knowledge_base

    # The clock is read here, at the edge: only an intake without assessed_on needs it.
    today = date.today()  # noqa: DTZ011 - a calendar date for due dates, not a timestamp
    return generate(
        document,
        knowledge_base(),
        placement_rules=placement_rules(),
        plan_rules=plan_rules(),
        today=today,
        language=language,
    )


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
    if plan["problems"]:
        lines += ["", "Problems and goals:"]
        for goal in plan["goals"]:
            lines.append(
                f"  {goal['id']} {goal['statement']} — {goal['measure']}: {goal['target']} by {goal['due']} ({goal['owner']})"
            )
    if plan["interventions"]:
        lines += ["", "Interventions:"]
        for item in plan["interventions"]:
            lines.append(
                f"  [{item['status']}] {item['code']} {item['name']} ({item['evidence']}) — because {'; '.join(item['because'])}"
            )
            lines += [f"      {reason}" for reason in item["contraindications"]]
            if item["alternatives"]:
                lines.append(f"      alternatives: {', '.join(item['alternatives'])}")
    if plan["referrals"]:
        lines += ["", "Referrals:"] + [f"  {r['code']}: {r['need']}" for r in plan["referrals"]]
    if plan["review_on"]:
        lines += ["", f"Review on {plan['review_on']}"]
    if plan["missing"]:
        lines += ["", "Missing (would change the plan):"] + [f"  - {m}" for m in plan["missing"]]
    return "\n".join(lines) + "\n"
