from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.assessments.models import Intake, Score
from trellis.core.ids import parse_uuid
from trellis.people.access import access_person


def access_intake(user: Any, intake_id: object, *, write: bool = False) -> Intake:
    """The intake, if `user` may see (or change) its person's record; 404 otherwise, audited."""
    public_id = parse_uuid(intake_id)
    intake = (
        Intake.objects.current().filter(public_id=public_id).select_related("person").first()
        if public_id
        else None
    )
    access_person(
        user, intake.person.public_id if intake else "missing", write=write, what="Intake"
    )
    assert intake is not None  # access_person raised Http404 otherwise
    return intake


def access_score(user: Any, score_id: object) -> Score:
    public_id = parse_uuid(score_id)
    found = (
        Score.objects.filter(public_id=public_id, entered_in_error=False)
        .select_related("person")
        .first()
        if public_id
        else None
    )
    access_person(user, found.person.public_id if found else "missing", what="Score")
    if found is None:
        raise Http404
    return found
