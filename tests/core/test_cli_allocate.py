"""`trellis allocate REQUESTS.json CAPACITY.json [--policy …] [--equity-floor F]`
(contracts/cli.md, contracts/allocation.md): the document on stdout, exit 2 with one line naming
the file, the record and the field for bad input."""

import json

import pytest

from trellis.cli import main


def person(id, **changes):
    return {
        "id": id,
        "waiting_since": "2026-01-01",
        "level": "1.0",
        "need_weight": 1.0,
        "location": {"lat": 40.0, "lon": -75.0},
        "max_travel_km": 30,
        "languages": ["en"],
        "insurance": "medicaid",
        "groups": {"sex": "female"},
    } | changes


def program(id, **changes):
    return {
        "id": id,
        "name": "Harbor Outpatient",
        "level": "1.0",
        "slots": 1,
        "location": {"lat": 40.05, "lon": -75.0},
        "languages": ["en", "es"],
        "insurance": ["medicaid", "none"],
    } | changes


@pytest.fixture
def files(tmp_path):
    def write(requests, capacity):
        paths = tmp_path / "requests.json", tmp_path / "capacity.json"
        for path, document in zip(paths, (requests, capacity), strict=True):
            path.write_text(document if isinstance(document, str) else json.dumps(document))
        return [str(p) for p in paths]

    return write


def run(capsys, *argv):
    code = main(["allocate", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_allocate_prints_the_allocation_document(capsys, files):
    requests, capacity = files(
        [person("r1", need_weight=2.0), person("r2", groups={"sex": "male"})],
        [program("p1", slots=2)],
    )

    code, out, err = run(capsys, requests, capacity, "--policy", "optimal")

    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["policy"] == "optimal"
    assert document["equity_floor"] == 0.8
    assert [(a["request"], a["program"]) for a in document["assignments"]] == [
        ("r1", "p1"),
        ("r2", "p1"),
    ]
    assert document["assignments"][0]["distance_km"] == 5.56
    assert (document["objective"], document["bound"], document["unplaced"]) == (3.0, 3.0, [])
    assert document["fairness"] == {"sex": {"rates": {"female": 1.0, "male": 1.0}, "ratio": 1.0}}
    assert (document["worst_ratio"], document["feasible"]) == (1.0, True)


def test_the_contract_keys_come_first_and_the_report_is_one_key_more(capsys, files):
    requests, capacity = files([person("r1"), person("r2")], [program("p1")])

    document = json.loads(run(capsys, requests, capacity, "--policy", "fcfs")[1])

    assert list(document) == [
        "policy",
        "equity_floor",
        "assignments",
        "unplaced",
        "objective",
        "bound",
        "fairness",
        "worst_ratio",
        "feasible",
        "report",
    ]
    report = document["report"]
    assert [p["why"][0] for p in report["placements"]] == [
        "level 1.0, the level of care recommended"
    ]
    assert report["unplaced"][0]["request"] == "r2"
    assert report["unplaced"][0]["expected_wait_days"] is None  # no turnover history here
    assert report["unmet"] == {
        "count": 1,
        "need": 1.0,
        "by_level": {"1.0": {"count": 1, "need": 1.0}},
    }
    assert report["fairness"]["sex"]["groups"]["female"]["placement_rate"] == 0.5


def test_each_policy_and_floor_can_be_chosen(capsys, files):
    requests, capacity = files([person("r1")], [program("p1")])

    for policy in ("fcfs", "optimal", "equitable"):
        code, out, _ = run(capsys, requests, capacity, "--policy", policy, "--equity-floor", "0.5")
        assert code == 0
        assert (json.loads(out)["policy"], json.loads(out)["equity_floor"]) == (policy, 0.5)
    assert json.loads(run(capsys, requests, capacity)[1])["policy"] == "equitable"


def test_an_equity_floor_that_cannot_be_met_is_said_on_stderr_and_exits_0(capsys, files):
    requests, capacity = files(
        [person("f"), person("m", groups={"sex": "male"}, need_weight=0.5)], [program("p1")]
    )

    code, out, err = run(capsys, requests, capacity, "--policy", "equitable")

    assert code == 0
    assert json.loads(out)["feasible"] is False
    assert err == (
        "trellis allocate: the equity floor 0.8 cannot be met by placing anyone; returned the "
        "best allocation at the largest floor met, 0.000 (worst ratio 0)\n"
    )


def test_a_group_nobody_can_place_is_named_on_stderr_and_the_others_are_still_held(capsys, files):
    requests, capacity = files(
        [
            person("f", groups={"sex": "female", "language": "en"}),
            person("m", groups={"sex": "male", "language": "en"}),
            person("v", languages=["vi"], groups={"language": "vi"}),
        ],
        [program("p1", slots=2)],
    )

    code, out, err = run(capsys, requests, capacity, "--policy", "equitable")

    assert (code, json.loads(out)["feasible"]) == (0, False)
    assert json.loads(out)["fairness"]["language"]["rates"] == {"en": 1.0, "vi": 0.0}
    assert err == (
        "trellis allocate: the equity floor 0.8 cannot be met: a group of language has nobody "
        "with an appropriate program with an open place; returned the best allocation with "
        "those attributes held to no floor and the others to 0.800 (worst ratio 0)\n"
    )


def test_bad_input_exits_2_with_one_line_naming_the_file_the_record_and_the_field(capsys, files):
    missing = person("r1")
    del missing["level"]
    cases = [
        (
            [missing],
            [program("p1")],
            "{requests}: record 1 (id r1): level is missing: it must be one of 0.5, 1.0, 2.1, "
            "2.5, 3.1, 3.5, 3.7, 4.0",
        ),
        (
            [person("r1")],
            [program("p1"), program("p2", slots=-3)],
            "{capacity}: record 2 (id p2): slots must be a whole number, 0 or more",
        ),
        (
            [person("r1", level="3.3")],
            [program("p1")],
            "{requests}: record 1 (id r1): level must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, "
            "3.7, 4.0",
        ),
        (
            '[{"id": "r1",',
            [program("p1")],
            "{requests} must be valid JSON (line 1, column 14)",
        ),
        (
            [person("r1", groups={"income": "low"})],
            [program("p1")],
            "{requests}: record 1 (id r1): groups.income must be one of race_ethnicity, sex, "
            "age_band, insurance, rurality, language",
        ),
    ]
    for requests_doc, capacity_doc, message in cases:
        requests, capacity = files(requests_doc, capacity_doc)
        code, out, err = run(capsys, requests, capacity)
        assert (code, out) == (2, "")
        assert err == f"trellis allocate: {message.format(requests=requests, capacity=capacity)}\n"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--equity-floor", "1.5", "--equity-floor must be a number from 0 to 1"),
        ("--equity-floor", "most", "--equity-floor must be a number from 0 to 1"),
        ("--policy", "lottery", "--policy must be one of fcfs, optimal, equitable"),
    ],
)
def test_a_bad_option_exits_2_with_one_line(capsys, files, option, value, message):
    requests, capacity = files([person("r1")], [program("p1")])

    assert run(capsys, requests, capacity, option, value) == (
        2,
        "",
        f"trellis allocate: {message}\n",
    )


def test_a_file_that_cannot_be_read_is_named(capsys, files, tmp_path):
    _, capacity = files([], [])
    missing = str(tmp_path / "nowhere.json")

    assert run(capsys, missing, capacity) == (
        2,
        "",
        f"trellis allocate: {missing} must be a readable file\n",
    )
