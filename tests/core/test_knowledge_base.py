from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from trellis.knowledge import interventions as kb_module
from trellis.knowledge.interventions import KnowledgeError, knowledge_base, load

HERE = Path(kb_module.__file__).parent
CONTRACT_CODES = [
    row["code"] for row in csv.DictReader((HERE / "interventions.csv").open(encoding="utf-8"))
]


def test_every_code_of_the_contract_has_an_entry_with_text_in_english_and_spanish():
    kb = knowledge_base()
    assert [e.code for e in kb.entries] == CONTRACT_CODES
    for entry in kb.entries:
        assert entry.sources
        assert entry.evidence in ("A", "B", "C", "expert")
        assert entry.responsible
        assert entry.staff_minutes_per_week >= 0
        assert set(entry.text) == {"en", "es"}
        assert all(entry.text[lang]["what"] for lang in ("en", "es"))


def write_kb(tmp_path: Path, entry: dict) -> Path:
    folder = tmp_path / "interventions"
    folder.mkdir()
    good = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((HERE / "interventions").glob("*.yaml"))
    ]
    entries = [e for group in good for e in group if e["code"] != entry["code"]] + [entry]
    (folder / "all.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return folder


def base_entry(**changes):
    entry = next(
        e
        for e in yaml.safe_load(
            (HERE / "interventions" / "pharmacotherapy.yaml").read_text(encoding="utf-8")
        )
        if e["code"] == "med.acamprosate"
    )
    return {**entry, **changes}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"indications": [{"when": "aud and"}]},
            "all.yaml: med.acamprosate: cannot parse 'aud and'",
        ),
        (
            {"indications": [{"when": "alcoholism"}]},
            "all.yaml: med.acamprosate: 'alcoholism' names unknown facts: alcoholism",
        ),
        (
            {"indications": [{"when": "__import__('os').system('x')"}]},
            "all.yaml: med.acamprosate: \"__import__('os').system('x')\" uses Call",
        ),
        (
            {"sources": ["a_blog_post"]},
            "all.yaml: med.acamprosate: every source must be named in sources.yaml",
        ),
        ({"sources": []}, "all.yaml: med.acamprosate: every source must be named in sources.yaml"),
        (
            {"evidence": "strong"},
            "all.yaml: med.acamprosate: evidence must be one of A, B, C, expert",
        ),
        (
            {"contraindications": [{"when": "crcl <= 30"}]},
            "all.yaml: med.acamprosate: every contraindication and caution needs a reason",
        ),
        ({"code": "med.magic"}, "all.yaml: med.magic: is not a code of interventions.csv"),
        (
            {"alternatives": ["med.unknown"]},
            "interventions: med.acamprosate: alternative med.unknown is not a known code",
        ),
    ],
)
def test_a_bad_entry_fails_loudly_naming_the_file_the_entry_and_the_reason(
    tmp_path, changes, reason
):
    folder = write_kb(tmp_path, base_entry(**changes))

    with pytest.raises(KnowledgeError) as error:
        load(folder, HERE / "sources.yaml", HERE / "interventions.csv", "test")
    assert str(error.value).startswith(reason)


def test_a_missing_spanish_text_fails():
    entry = base_entry()
    entry["text"] = {"en": entry["text"]["en"], "es": {**entry["text"]["es"], "risks": ""}}
    with pytest.raises(KnowledgeError, match="med.acamprosate: text.es needs risks"):
        load(
            write_kb(Path(__import__("tempfile").mkdtemp()), entry),
            HERE / "sources.yaml",
            HERE / "interventions.csv",
            "test",
        )


def test_every_plan_records_the_knowledge_base_version():
    assert knowledge_base().version == (HERE / "VERSION").read_text().strip()
