"""Audited writes and reads of training answers. The reference comes from the engine at the
current knowledge-base version, never from the vignette file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from trellis.audit import log as audit
from trellis.core import training as core
from trellis.knowledge import placement_rules, plan_rules
from trellis.knowledge.interventions import knowledge_base
from trellis.knowledge.vignettes import vignettes
from trellis.training.models import TrainingAnswer


def reference(vignette: core.Vignette) -> core.Reference:
    return core.reference_for(
        vignette, knowledge_base(), placement_rules=placement_rules(), plan_rules=plan_rules()
    )


@transaction.atomic
def record_answer(
    trainee: Any, *, vignette_id: str, level: str, codes: Iterable[str], note: str = ""
) -> TrainingAnswer:
    """Store the trainee's answer with the engine's reference; InvalidInput names the bad field."""
    kb = knowledge_base()
    chosen = core.check_answer(
        vignette_id,
        level,
        codes,
        vignettes=vignettes(),
        known_codes={e.code for e in kb.entries},
    )
    ref = reference(vignettes()[vignette_id])
    answer = TrainingAnswer.objects.create(
        trainee=trainee,
        vignette_id=vignette_id,
        kb_version=ref.kb_version,
        level=level,
        codes=list(chosen),
        note=note.strip(),
        reference_level=ref.level,
        reference_codes=list(ref.codes),
        reference_reasons=ref.reasons(),
    )
    audit.record(
        trainee,
        "create",
        answer,
        detail={"vignette": vignette_id, "kb_version": ref.kb_version},
    )
    return answer


@dataclass(frozen=True, slots=True)
class TraineeRow:
    trainee: Any
    agreement: core.Agreement


def agreement_for(trainee: Any) -> core.Agreement:
    answers = TrainingAnswer.objects.filter(trainee=trainee).order_by("created", "pk")
    return core.agreement(a.as_core() for a in answers)


def agreement_table(by: Any) -> Sequence[TraineeRow]:
    """Every trainee who has answered, with their figures; the supervisor's read is audited."""
    answers = TrainingAnswer.objects.select_related("trainee").order_by("created", "pk")
    by_trainee: dict[int, tuple[Any, list[core.Answer]]] = {}
    for answer in answers:
        by_trainee.setdefault(answer.trainee_id, (answer.trainee, []))[1].append(answer.as_core())
    rows = [
        TraineeRow(trainee, core.agreement(items))
        for trainee, items in sorted(by_trainee.values(), key=lambda t: t[0].username)
    ]
    audit.record(by, "list", object_type="TrainingAgreement", detail={"trainees": len(rows)})
    return rows
