"""`trellis fhir export PERSON_ID`: the person's current plan as a FHIR R4 Bundle (CarePlan,
Goal, ServiceRequest), printed as JSON. Operators only: the export is audited as theirs."""

from __future__ import annotations

import argparse
import json

from trellis.commands import _django
from trellis.core.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("fhir", help="FHIR R4 bundles")
    parser.add_argument("action", choices=["export"])
    parser.add_argument("person_id")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    _django.setup()
    from trellis.audit import log as audit
    from trellis.core.fhir.careplan import bundle
    from trellis.people.access import find_person
    from trellis.plans.models import Plan

    person = find_person(args.person_id)
    plan = Plan.objects.filter(person=person).current() if person else None
    if plan is None:
        raise InvalidInput("PERSON_ID", "the id of a person who has a plan")
    audit.record(
        None, "export", plan, detail={"format": "fhir", "via": "cli"}, purpose="operations"
    )
    print(
        json.dumps(
            bundle(plan.document, plan_id=str(plan.public_id), patient_id=str(person.public_id)),
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0
