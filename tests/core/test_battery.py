from trellis.core.battery import StepState, plan
from trellis.knowledge.battery import rules


def doc(age=35, instruments=None, **sections):
    return {
        "schema": "trellis.intake/1",
        "person": {"age": age, **sections.pop("person", {})},
        "instruments": instruments or {},
        **sections,
    }


def states(battery):
    return {s.instrument: s.state for s in battery.steps}


def test_a_new_adult_intake_starts_with_the_screens():
    battery = plan(rules(), doc())

    assert states(battery)["phq9"] is StepState.TO_SCREEN
    assert battery.step("phq9").next_instrument == "phq2"
    assert battery.step("audit").next_instrument == "auditc"
    assert states(battery)["crafft"] is StepState.NOT_APPLICABLE
    assert states(battery)["pcl5"] is StepState.NOT_APPLICABLE
    assert battery.items_asked == 0


def test_negative_screens_skip_the_full_instruments_and_count_the_items_spared():
    battery = plan(
        rules(),
        doc(
            instruments={
                "phq2": [0, 1],
                "auditc": [1, 0, 0],
                "gad7": [0] * 7,
                "dast10": [False, False, True] + [False] * 7,
                "asq": [False] * 4,
            }
        ),
    )

    assert states(battery)["phq9"] is StepState.SCREENED_OUT
    assert states(battery)["audit"] is StepState.SCREENED_OUT
    assert battery.complete
    # asked 2 + 7 + 3 + 10 + 4 (the ASQ's acuity item is not asked after four no's) of 9 + 7 + 10 + 10 + 5
    assert (battery.items_asked, battery.items_full) == (2 + 7 + 3 + 10 + 4, 9 + 7 + 10 + 10 + 5)
    assert states(battery)["gad7"] is StepState.DONE  # given in full: all seven count


def test_a_positive_screen_asks_the_rest_of_the_full_instrument():
    battery = plan(rules(), doc(instruments={"phq2": [2, 2]}))

    step = battery.step("phq9")
    assert step.state is StepState.TO_ASK
    assert step.items_asked == 2


def test_the_clinician_can_ask_for_a_full_instrument_after_a_negative_screen():
    battery = plan(rules(), doc(instruments={"auditc": [0, 0, 0]}), requested_in_full=["audit"])
    assert states(battery)["audit"] is StepState.TO_ASK


def test_adolescents_get_the_crafft_instead_of_the_adult_alcohol_and_drug_tests():
    battery = plan(rules(), doc(age=15))
    assert states(battery)["crafft"] is StepState.TO_ASK
    assert states(battery)["audit"] is StepState.NOT_APPLICABLE


def test_the_cssrs_replaces_the_asq_only_where_the_site_holds_the_licence():
    assert states(plan(rules(), doc()))["cssrs_screen"] is StepState.NOT_APPLICABLE
    licensed = plan(rules(), doc(), settings={"cssrs_licensed": True})
    assert states(licensed)["cssrs_screen"] is StepState.TO_ASK
    assert states(licensed)["asq"] is StepState.NOT_APPLICABLE


def test_trauma_history_brings_the_pcl5():
    assert (
        states(plan(rules(), doc(mental_health={"trauma_history": True})))["pcl5"]
        is StepState.TO_ASK
    )


def test_simulating_the_adaptive_intake_keeps_only_what_it_would_ask():
    from trellis.core.battery import simulate

    full = {
        "phq9": [0, 1, 0, 0, 0, 0, 0, 0, 0],
        "gad7": [0] * 7,
        "audit": [3, 2, 2, 1, 0, 0, 1, 0, 0, 2],
        "dast10": [False, False, True] + [False] * 7,
        "asq": [False] * 4,
    }

    document, battery = simulate(rules(), doc(), full)

    assert document["instruments"]["phq2"] == [0, 1]
    assert "phq9" not in document["instruments"]
    assert document["instruments"]["gad2"] == [0, 0]
    assert "gad7" not in document["instruments"]
    assert document["instruments"]["audit"] == full["audit"]
    assert battery.complete
    assert battery.items_asked == 2 + 2 + 10 + 10 + 4


def test_a_gad2_under_its_cut_off_skips_the_rest_of_the_gad7():
    battery = plan(rules(), doc(instruments={"gad2": [1, 1]}))
    step = battery.step("gad7")

    assert step.state is StepState.SCREENED_OUT
    assert (step.items_asked, step.items_full) == (2, 7)
    assert plan(rules(), doc(instruments={"gad2": [2, 1]})).step("gad7").state is StepState.TO_ASK


def test_dast10_item_1_no_counts_one_item_asked_of_ten():
    battery = plan(rules(), doc(instruments={"dast10": [False] + [None] * 9}))
    step = battery.step("dast10")

    assert step.state is StepState.SCREENED_OUT
    assert (step.items_asked, step.items_full) == (1, 10)
    asked_in_full = plan(
        rules(), doc(instruments={"dast10": [False] + [None] * 9}), requested_in_full=["dast10"]
    )
    assert asked_in_full.step("dast10").state is StepState.TO_ASK


def test_a_no_to_the_trauma_question_screens_out_the_pcl5_as_one_item_asked_of_twenty():
    no = plan(rules(), doc(mental_health={"trauma_history": False})).step("pcl5")
    unknown = plan(rules(), doc(mental_health={})).step("pcl5")
    asked_anyway = plan(
        rules(), doc(mental_health={"trauma_history": False}), requested_in_full=["pcl5"]
    ).step("pcl5")

    assert (no.state, no.items_asked, no.items_full) == (StepState.SCREENED_OUT, 1, 20)
    assert unknown.state is StepState.NOT_APPLICABLE
    assert asked_anyway.state is StepState.TO_ASK
