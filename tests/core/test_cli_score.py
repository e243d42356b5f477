import json

from trellis.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_prints_the_json_result(capsys):
    code, out, _ = run(capsys, "score", "phq9", "1", "1", "1", "1", "1", "1", "1", "1", "1")

    assert code == 0
    result = json.loads(out)
    assert (result["total"], result["band"], result["flags"]) == (9, "mild", ["suicidal_ideation"])


def test_score_takes_yes_no_answers_and_context_options(capsys):
    assert (
        json.loads(run(capsys, "score", "auditc", "--sex", "female", "1", "1", "1")[1])["band"]
        == "positive"
    )
    assert (
        json.loads(run(capsys, "score", "auditc", "--sex", "male", "1", "1", "1")[1])["band"]
        == "negative"
    )
    assert (
        json.loads(run(capsys, "score", "asq", "no", "no", "no", "no", "null")[1])["band"]
        == "negative"
    )


def test_score_reads_a_json_file(capsys, tmp_path):
    path = tmp_path / "bam.json"
    path.write_text(
        json.dumps({"instrument": "auditc", "responses": [1, 1, 1], "context": {"sex": "female"}})
    )

    code, out, _ = run(capsys, "score", "--json", str(path))

    assert code == 0
    assert json.loads(out)["band"] == "positive"


def test_bad_input_exits_2_naming_the_instrument_the_item_and_the_allowed_values(capsys):
    assert run(capsys, "score", "phq9", "0", "0", "0", "0", "0", "0", "0", "0", "7") == (
        2,
        "",
        "trellis score: phq9 item 9 must be 0-3\n",
    )
    assert run(capsys, "score", "phq9", "0")[2] == "trellis score: phq9 takes 9 responses\n"
    assert run(capsys, "score", "nosuch", "0")[2].startswith(
        "trellis score: instrument must be one of asq, audit"
    )
    assert (
        run(capsys, "score", "phq9", "zero")[2]
        == "trellis score: response 1 must be a whole number, yes/no, or null\n"
    )


def test_a_malformed_json_file_exits_2_naming_the_file(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")

    code, _, err = run(capsys, "score", "--json", str(path))

    assert code == 2
    assert err == f"trellis score: {path} must be valid JSON (line 1, column 2)\n"


def test_a_reader_that_stops_reading_ends_the_command_without_a_trace():
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # `trellis score … | head -c 0`: nobody reads what it prints
    try:
        done = subprocess.run(
            [sys.executable, "-m", "trellis.cli", "score", "phq9", *["1"] * 9],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write)

    assert done.returncode == 1
    assert done.stderr == ""
