"""The TEDS episode export (supervisors) and the de-identified research export (researchers)."""

from __future__ import annotations

import io
import secrets
import zipfile
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trellis.accounts.decorators import role_required
from trellis.audit import log as audit
from trellis.audit.models import Outcome
from trellis.core import deidentify, episode_export
from trellis.core.access import Purpose, Role
from trellis.reporting import exports
from trellis.reporting.forms import EpisodeExportForm

# The quasi-identifiers as a reader knows them (deidentify.QUASI_IDENTIFIERS names the columns).
QI_LABELS = {
    "age_band": _("age band"),
    "sex": _("sex"),
    "race_ethnicity": _("race and ethnicity"),
    "zip3": _("three-digit ZIP code"),
}

KINDS = {
    "admissions": ("admitted_on", False, episode_export.ADMISSION_FIELDS),
    "discharges": ("discharged_on", True, episode_export.DISCHARGE_FIELDS),
}


@role_required(Role.SUPERVISOR)
def episodes(request: HttpRequest) -> HttpResponse:
    form = EpisodeExportForm.from_query(request.GET, timezone.localdate())
    counts, query = {}, ""
    if form.is_valid():
        data = form.cleaned_data
        query = urlencode(_query(data))
        for kind, (by, _discharges, _fields) in KINDS.items():
            counts[kind] = exports.episodes_between(
                data["start"], data["end"], data["program"], by=by
            ).count()
    status = 200 if form.is_valid() else 400
    return render(
        request,
        "reporting/episodes.html",
        {"form": form, "counts": counts, "query": query},
        status=status,
    )


@role_required(Role.SUPERVISOR)
def episodes_csv(request: HttpRequest, *, kind: str) -> HttpResponse:
    form = EpisodeExportForm.from_query(request.GET, timezone.localdate())
    if not form.is_valid():
        return render(request, "reporting/episodes.html", {"form": form}, status=400)
    data = form.cleaned_data
    by, discharges, fields = KINDS[kind]
    rows = exports.teds_records(
        exports.episodes_between(data["start"], data["end"], data["program"], by=by),
        discharges=discharges,
    )
    audit.record(
        request.user,
        "export",
        object_type="EpisodeExport",
        object_id=kind,
        purpose=Purpose.OPERATIONS,
        detail={
            "records": len(rows),
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "program": data["program"].pk if data["program"] else "all",
        },
    )
    name = f"teds-{kind}-{data['start'].isoformat()}-{data['end'].isoformat()}.csv"
    response = HttpResponse(episode_export.to_csv(fields, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.RESEARCHER)
def research(request: HttpRequest) -> HttpResponse:
    labels = [str(QI_LABELS[q]) for q in deidentify.QUASI_IDENTIFIERS]
    context: dict[str, Any] = {"k": deidentify.K, "quasi_identifiers": labels}
    if request.method != "POST":
        return render(request, "reporting/research.html", context)
    try:
        export = exports.research_export(secrets.token_bytes(32), timezone.localdate())
    except deidentify.KAnonymityRefused as refused:
        _audit_research(request, Outcome.DENIED, {"refused": "k-anonymity", **_sizes(refused)})
        context["refused"] = refused
        return render(request, "reporting/research.html", context, status=409)
    _audit_research(
        request,
        Outcome.ALLOWED,
        {"episodes": len(export.episodes), "people": export.people, "scores": len(export.scores)},
    )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(_zip(export), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="trellis-research-{stamp}.zip"'
    return response


def _query(data: dict[str, Any]) -> dict[str, str]:
    program = data["program"]
    return {
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
        "program": str(program.pk) if program else "",
    }


def _sizes(refused: deidentify.KAnonymityRefused) -> dict[str, object]:
    return {"failing_records": refused.failing_records, "k": refused.k}


def _audit_research(request: HttpRequest, outcome: str, detail: dict[str, object]) -> None:
    audit.record(
        request.user, "export", object_type="ResearchExport", outcome=outcome, detail=detail
    )


def _zip(export: deidentify.Export) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("episodes.csv", export.episodes_csv())
        archive.writestr("scores.csv", export.scores_csv())
        archive.writestr("README.txt", _readme())
    return buffer.getvalue()


def _readme() -> str:
    return (
        "Trellis de-identified research export (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)).\n"
        "study_id: random for this export only. Dates: shifted per person by a secret offset\n"
        "of 1-365 days, so intervals are true and calendar dates are not. ZIP: first three\n"
        "digits, 000 for restricted areas. Ages: bands, 90+ grouped. Every combination of\n"
        f"{', '.join(deidentify.QUASI_IDENTIFIERS)} is shared by at least {deidentify.K} people.\n"
    )
