import json

from tests.core.test_placement import CASES
from trellis.cli import main


def test_plan_prints_the_assessment_parts_of_the_plan_document(capsys, tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(CASES[5][1]))

    assert main(["plan", str(path)]) == 0

    plan = json.loads(capsys.readouterr().out)
    assert list(plan) == [
        "schema",
        "kb_version",
        "person_id",
        "placement",
        "dimensions",
        "safety",
        "problems",
        "goals",
        "interventions",
        "referrals",
        "missing",
        "review_on",
    ]
    assert plan["placement"]["level"] == "4.0"
    assert plan["placement"]["withdrawal_management"] == "wm.medically_managed"


def test_plan_as_text_and_to_a_file(capsys, tmp_path):
    path, out = tmp_path / "intake.json", tmp_path / "plan.txt"
    path.write_text(json.dumps(CASES[12][1]))

    assert main(["plan", str(path), "--format", "text", "--out", str(out)]) == 0

    text = out.read_text()
    assert text.startswith("Plan for case")
    assert "URGENT: suicidal_ideation, acute_suicide_risk" in text
    assert "Level of care: 4.0" in text


def test_an_invalid_intake_exits_2_naming_the_file_and_the_field(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"schema": "trellis.intake/1", "person": {"age": 200}}))

    assert main(["plan", str(path)]) == 2
    assert capsys.readouterr().err == f"trellis plan: {path}: person.age must be 10-110\n"


def test_a_file_that_is_not_json_exits_2(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("schema: yaml")

    assert main(["plan", str(path)]) == 2
    assert "must be valid JSON" in capsys.readouterr().err


def test_plan_prints_interventions_goals_and_referrals(capsys, tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps({**CASES[10][1], "assessed_on": "2026-11-20"}))

    assert main(["plan", str(path), "--format", "text"]) == 0

    text = capsys.readouterr().out
    assert "[recommended] med.buprenorphine" in text
    assert "Problems and goals:" in text
    assert "Review on 2026-12-20" in text


def test_plan_as_a_pdf_in_spanish(tmp_path):
    import shutil
    import subprocess

    path, out = tmp_path / "intake.json", tmp_path / "plan.pdf"
    path.write_text(json.dumps({**CASES[10][1], "assessed_on": "2026-11-20"}))

    assert main(["plan", str(path), "--format", "pdf", "--language", "es", "--out", str(out)]) == 0

    assert out.read_bytes().startswith(b"%PDF")
    assert shutil.which("pdftotext"), "poppler-utils is installed by make test"
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Mi plan de recuperación" in text
    assert "988" in text


def test_a_pdf_needs_an_output_file(capsys, tmp_path):
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(CASES[1][1]))

    assert main(["plan", str(path), "--format", "pdf"]) == 2
    assert capsys.readouterr().err == "trellis plan: --out must be a file name for the PDF\n"
