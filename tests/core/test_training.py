"""Training mode: the vignettes load and are valid intakes, their references come from the engine,
and agreement figures match values worked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from trellis.core import training
from trellis.core.errors import InvalidInput
from trellis.core.planning import generate
from trellis.core.training import Answer, KappaStatus, agreement, compare, jaccard, kappa
from trellis.knowledge import intake_schema, placement_rules, plan_rules, version
from trellis.knowledge.interventions import knowledge_base
from trellis.knowledge.vignettes import VignetteError, load, vignettes


def _reference(vignette: training.Vignette) -> training.Reference:
    return training.reference_for(
        vignette, knowledge_base(), placement_rules=placement_rules(), plan_rules=plan_rules()
    )


def test_there_are_eight_to_twelve_vignettes_each_a_valid_intake_with_a_narrative():
    validator = Draft202012Validator(intake_schema())

    assert 8 <= len(vignettes()) <= 12
    for vignette in vignettes().values():
        assert list(validator.iter_errors(vignette.intake)) == [], vignette.id
        assert vignette.narrative["en"].strip()
        assert vignette.title_in("es") != vignette.title["en"]  # a Spanish title is given


def test_the_vignettes_span_early_intervention_to_medically_managed_inpatient_care():
    levels = {_reference(v).level for v in vignettes().values()}

    assert levels == {"0.5", "1.0", "2.1", "2.5", "3.1", "3.5", "3.7", "4.0"}


def test_the_vignettes_vary_substances_co_occurring_conditions_and_withdrawal_risk():
    cases = list(vignettes().values())
    substances = {s["substance"] for v in cases for s in v.intake.get("substances", [])}
    diagnoses = {d for v in cases for d in v.intake.get("mental_health", {}).get("diagnoses", [])}
    settings = {_reference(v).withdrawal_management for v in cases}

    assert len(substances) >= 8
    assert {"depression", "ptsd", "bipolar"} <= diagnoses
    assert {None, "wm.ambulatory", "wm.medically_monitored", "wm.medically_managed"} <= settings


def test_each_reference_is_what_the_engine_gives_at_the_current_knowledge_base():
    for vignette in vignettes().values():
        plan = generate(
            vignette.intake,
            knowledge_base(),
            placement_rules=placement_rules(),
            plan_rules=plan_rules(),
            today=date(2030, 1, 1),  # any day: the vignette's own assessed_on is used
        )
        ref = _reference(vignette)

        assert ref.kb_version == version()
        assert ref.level == plan["placement"]["level"]
        proposed = {i["code"] for i in plan["interventions"] if i["status"] in training.PROPOSED}
        assert set(ref.codes) == proposed
        assert ref.rationale == tuple(plan["placement"]["rationale"])
        assert all(ref.because[code] for code in ref.codes)


def _write(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.yaml").write_text(body, encoding="utf-8")


GOOD_INTAKE = """intake:
  schema: trellis.intake/1
  assessed_on: "2026-11-02"
  person: {age: 30}
"""


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        (
            "young",
            "id: young\ntitle: {en: T}\nnarrative: {en: N}\n"
            "intake: {schema: trellis.intake/1, assessed_on: '2026-11-02', person: {age: 5}}\n",
            "young.yaml: young: intake: person.age must be 10-110",
        ),
        (
            "undated",
            "id: undated\ntitle: {en: T}\nnarrative: {en: N}\n"
            "intake: {schema: trellis.intake/1, person: {age: 30}}\n",
            "undated.yaml: undated: intake needs assessed_on",
        ),
        (
            "renamed",
            "id: other\ntitle: {en: T}\nnarrative: {en: N}\n" + GOOD_INTAKE,
            "renamed.yaml: other: id must be the file's name (a-z, 0-9 and -)",
        ),
        (
            "untold",
            "id: untold\ntitle: {en: T}\nnarrative: {es: N}\n" + GOOD_INTAKE,
            "untold.yaml: untold: narrative needs English (en)",
        ),
        (
            "handmade",
            "id: handmade\ntitle: {en: T}\nnarrative: {en: N}\nreference: {level: '1.0'}\n"
            + GOOD_INTAKE,
            "handmade.yaml: handmade: unknown key reference (allowed: id, title, narrative, intake)",
        ),
        (
            "notitle",
            "id: notitle\nnarrative: {en: N}\n" + GOOD_INTAKE,
            "notitle.yaml: notitle: needs title",
        ),
    ],
)
def test_a_bad_vignette_file_fails_naming_the_file_the_vignette_and_the_reason(
    tmp_path, name, body, message
):
    _write(tmp_path, name, body)

    with pytest.raises(VignetteError) as refused:
        load(tmp_path)

    assert str(refused.value) == message


def test_a_good_vignette_file_loads(tmp_path):
    _write(tmp_path, "fine", "id: fine\ntitle: {en: T}\nnarrative: {en: N}\n" + GOOD_INTAKE)

    assert list(load(tmp_path)) == ["fine"]


# Agreement, worked by hand.


def _answers(pairs: list[tuple[str, str]]) -> list[Answer]:
    return [Answer(f"v{i}", mine, (), ref, ()) for i, (mine, ref) in enumerate(pairs)]


def test_kappa_for_a_two_by_two_table_worked_by_hand():
    # trainee \ reference   1.0  2.1
    #   1.0                  4    2      po = 7/10;  pe = 0.6*0.5 + 0.4*0.5 = 0.5
    #   2.1                  1    3      kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = [("1.0", "1.0")] * 4 + [("1.0", "2.1")] * 2 + [("2.1", "1.0")] + [("2.1", "2.1")] * 3

    result = agreement(_answers(pairs))

    assert result.n == 10
    assert result.observed == pytest.approx(0.7)
    assert result.kappa == pytest.approx(0.4)
    assert result.kappa_status == KappaStatus.DEFINED


def test_kappa_for_a_three_by_three_table_worked_by_hand():
    # trainee \ reference  1.0 2.1 3.5
    #   1.0                 3   1   0     po = 8/12; pe = (4*4 + 5*5 + 3*3)/144 = 50/144
    #   2.1                 1   3   1     kappa = (96/144 - 50/144) / (94/144) = 23/47
    #   3.5                 0   1   2
    cells = {("1.0", "1.0"): 3, ("1.0", "2.1"): 1, ("2.1", "1.0"): 1, ("2.1", "2.1"): 3}
    cells |= {("2.1", "3.5"): 1, ("3.5", "2.1"): 1, ("3.5", "3.5"): 2}
    pairs = [pair for pair, count in cells.items() for _ in range(count)]

    value, status = kappa([a for a, _ in pairs], [b for _, b in pairs])

    assert value == pytest.approx(23 / 47)
    assert status == KappaStatus.DEFINED


def test_kappa_is_not_made_up_with_one_answer_or_one_category():
    one = agreement(_answers([("1.0", "1.0")]))
    same = agreement(_answers([("2.1", "2.1"), ("2.1", "2.1"), ("2.1", "2.1")]))
    none = agreement([])

    assert (one.n, one.observed, one.kappa, one.kappa_status) == (1, 1.0, None, "too_few")
    assert (same.n, same.observed, same.kappa, same.kappa_status) == (3, 1.0, None, "undefined")
    assert (none.n, none.observed, none.kappa, none.plan_agreement) == (0, None, None, None)


def test_kappa_is_zero_when_agreement_is_what_chance_gives():
    # The trainee always says 1.0; the reference is 1.0 half the time: po = 0.5 = pe.
    result = agreement(_answers([("1.0", "1.0"), ("1.0", "2.1")]))

    assert result.kappa == pytest.approx(0.0)


def test_agreement_uses_each_vignettes_latest_answer():
    answers = [
        Answer("a", "1.0", ("psy.mi",), "2.1", ("psy.mi", "psy.cbt")),
        Answer("b", "2.1", ("psy.cbt",), "2.1", ("psy.cbt",)),
        Answer("a", "2.1", ("psy.mi", "psy.cbt"), "2.1", ("psy.mi", "psy.cbt")),
    ]

    result = agreement(answers)

    assert result.n == 2
    assert result.observed == 1.0
    assert result.plan_agreement == 1.0
    assert [a.vignette_id for a in training.latest(answers)] == ["b", "a"]


def test_plan_agreement_is_the_mean_jaccard_of_the_codes():
    answers = [
        Answer("a", "1.0", ("x", "y"), "1.0", ("y", "z")),  # 1 of 3
        Answer("b", "1.0", ("x",), "1.0", ("x", "y")),  # 1 of 2
    ]

    assert agreement(answers).plan_agreement == pytest.approx((1 / 3 + 1 / 2) / 2)
    assert jaccard([], []) == 1.0
    assert jaccard(["x"], []) == 0.0


def test_compare_says_what_is_shared_missed_and_extra_and_how_far_the_levels_are():
    result = compare("3.5", ["a", "b"], "2.1", ["b", "c"])

    assert (result.both, result.missed, result.extra) == (("b",), ("c",), ("a",))
    assert (result.level_agrees, result.steps_apart, result.distance) == (False, 3, 3)
    assert compare("1.0", [], "2.5", []).steps_apart == -2


@pytest.mark.parametrize(
    ("vignette", "level", "codes", "message"),
    [
        ("nope", "1.0", [], "vignette must be one of the training vignettes"),
        ("a", "1.5", [], "level must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, 3.7, 4.0"),
        (
            "a",
            "1.0",
            ["psy.mi", "psy.magic"],
            "codes must be intervention codes from the knowledge base",
        ),
    ],
)
def test_an_unknown_vignette_level_or_code_is_refused_naming_the_field(
    vignette, level, codes, message
):
    with pytest.raises(InvalidInput) as refused:
        training.check_answer(vignette, level, codes, vignettes={"a"}, known_codes={"psy.mi"})

    assert refused.value.message == message


def test_a_good_answer_gives_its_codes_sorted_once():
    chosen = training.check_answer(
        "a",
        "1.0",
        ["psy.mi", "psy.cbt", "psy.mi"],
        vignettes={"a"},
        known_codes={"psy.mi", "psy.cbt"},
    )

    assert chosen == ("psy.cbt", "psy.mi")
