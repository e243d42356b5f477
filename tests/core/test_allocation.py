"""Allocation (contracts/allocation.md): small instances solved by hand, bad input, and
properties of random small instances checked against brute force."""

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.core.allocation import (
    LEVELS,
    allocate,
    appropriate,
    fitting_levels,
    parse_capacity,
    parse_requests,
)
from trellis.core.errors import InvalidInput
from trellis.core.geo import Point, distance_km
from trellis.core.placement import LEVEL_ORDER

KM = 111.19508  # one degree of longitude on the equator (EARTH_RADIUS_KM * pi / 180)


def person(
    id,
    *,
    lon=0.0,
    lat=0.0,
    level="1.0",
    need=1.0,
    reach=50.0,
    since="2026-01-01",
    languages=("en",),
    insurance="medicaid",
    **groups,
):
    return {
        "id": id,
        "waiting_since": since,
        "level": level,
        "need_weight": need,
        "location": {"lat": lat, "lon": lon},
        "max_travel_km": reach,
        "languages": list(languages),
        "insurance": insurance,
        "groups": groups,
    }


def program(
    id, *, lon=0.0, lat=0.0, level="1.0", slots=1, languages=("en",), insurance=("medicaid",)
):
    return {
        "id": id,
        "name": f"Program {id}",
        "level": level,
        "slots": slots,
        "location": {"lat": lat, "lon": lon},
        "languages": list(languages),
        "insurance": list(insurance),
    }


def run(people, programs, policy, floor=0.8):
    return allocate(parse_requests(people), parse_capacity(programs), policy, equity_floor=floor)


def where(result):
    return {a.request: a.program for a in result.assignments}


def reasons(result):
    return {u.request: u.reason for u in result.unplaced}


# Appropriateness ---------------------------------------------------------------------------


def test_the_levels_are_those_of_the_plan_contract_in_the_same_order():
    assert LEVELS == LEVEL_ORDER


def test_a_placement_may_be_at_the_recommended_level_or_one_step_more_intensive_never_less():
    (request,) = parse_requests([person("r", level="2.1")])
    fits = {
        level
        for level in LEVELS
        if appropriate(request, parse_capacity([program("p", level=level)])[0])
    }

    assert fits == {"2.1", "2.5"}
    assert fitting_levels("4.0") == ("4.0",)


def test_a_placement_needs_a_shared_language_accepted_insurance_and_the_travel_limit():
    (request,) = parse_requests(
        [person("r", languages=("es", "en"), insurance="private", reach=20)]
    )

    def fits(**changes):
        return appropriate(request, parse_capacity([program("p", **changes)])[0])

    assert fits(languages=("es",), insurance=("private", "none"), lon=19.9 / KM)
    assert not fits(languages=("vi",), insurance=("private",))
    assert not fits(insurance=("medicaid", "none"))
    assert not fits(insurance=("private",), lon=20.1 / KM)


# Policies on small instances solved by hand -------------------------------------------------


def scarce_nearby_place():
    """A (1 place) at 0 km, B (1 place) 33 km east. r1 waits longest (need 1, reaches both);
    r2 (need 3) lives 11 km west of A and travels at most 20 km, so only A fits r2."""
    people = [
        person("r1", since="2026-01-01", need=1.0, reach=50),
        person("r2", since="2026-01-02", need=3.0, reach=20, lon=-0.1),
    ]
    return people, [program("A", lon=0.0), program("B", lon=0.3)]


def test_fcfs_serves_the_longest_waiting_first_at_the_nearest_place():
    # r1 comes first and takes A, its nearest; when r2's turn comes A is full and B too far.
    result = run(*scarce_nearby_place(), "fcfs")

    assert where(result) == {"r1": "A"}
    assert reasons(result) == {
        "r2": "all appropriate programs full (1 appropriate program, no free place left)"
    }
    assert (result.objective, result.bound) == (1.0, None)


def test_optimal_places_the_most_need_and_reports_the_lp_bound():
    # r2 (need 3) can only use A; r1 can go to B instead: both placed, need 4 = the LP bound
    # (the model is a transportation problem, whose relaxation is whole).
    result = run(*scarce_nearby_place(), "optimal")

    assert where(result) == {"r2": "A", "r1": "B"}
    assert [a.distance_km for a in result.assignments] == [
        round(0.3 * KM, 3),
        round(0.1 * KM, 3),
    ]
    assert (result.objective, result.bound, result.unplaced) == (4.0, 4.0, ())


def test_between_allocations_of_equal_need_optimal_takes_the_shorter_travel():
    # Both people fit both programs and all four pairings place the same need; sending each
    # to the program beside them travels 0 km instead of 2 x 22 km.
    people = [person("near-a", lon=0.0), person("near-b", lon=0.2)]
    programs = [program("A", lon=0.0), program("B", lon=0.2)]

    result = run(people, programs, "optimal")

    assert where(result) == {"near-a": "A", "near-b": "B"}
    assert sum(a.distance_km for a in result.assignments) == 0.0


def two_places_for_four():
    """P has 2 places. Two women (need 3 and 2.9) and two men (need 1 and 0.9) all fit."""
    people = [
        person("f1", need=3.0, sex="female"),
        person("f2", need=2.9, sex="female"),
        person("m1", need=1.0, sex="male"),
        person("m2", need=0.9, sex="male"),
    ]
    return people, [program("P", slots=2)]


def test_optimal_alone_can_leave_a_group_unserved():
    result = run(*two_places_for_four(), "optimal")

    assert set(where(result)) == {"f1", "f2"}
    assert result.fairness["sex"].rates == {"female": 1.0, "male": 0.0}
    assert (result.worst_ratio, result.feasible) == (0.0, False)


def test_equitable_keeps_every_group_within_the_floor_of_the_best_served():
    # Two women placed gives men 0 (ratio 0 < 0.8); one of each gives 0.5 and 0.5 (ratio 1),
    # and the most need that way is f1 + m1 = 4. The relaxation may place fractions: women
    # 10/9 and men 8/9 (ratio 0.8), f1 whole, f2 1/9, m1 8/9: 3 + 2.9/9 + 8/9 = 4.2111.
    result = run(*two_places_for_four(), "equitable")

    assert where(result) == {"f1": "P", "m1": "P"}
    assert result.objective == 4.0
    assert result.bound == pytest.approx(3 + 2.9 / 9 + 8 / 9)
    assert result.fairness["sex"].rates == {"female": 0.5, "male": 0.5}
    assert (result.worst_ratio, result.feasible) == (1.0, True)
    assert reasons(result)["f2"].startswith("all appropriate programs full")


def test_an_equity_floor_met_only_by_placing_nobody_is_reported_not_crashed():
    # One place, a woman (need 2) and a man (need 1): whoever is placed, the other group's rate
    # is 0, so only an empty allocation meets the floor. The floor is relaxed to the largest
    # that a real allocation meets (0 here) and the most need under it is returned.
    people = [person("f", need=2.0, sex="female"), person("m", need=1.0, sex="male")]

    result = run(people, [program("P")], "equitable", floor=0.8)

    assert (result.feasible, result.floor_held, result.worst_ratio) == (False, 0.0, 0.0)
    assert where(result) == {"f": "P"}
    assert result.as_dict()["feasible"] is False


def test_a_floor_out_of_reach_is_relaxed_to_the_largest_floor_a_real_allocation_meets():
    # 3 places; 3 women and 2 men. Floor 1.0 needs equal rates: 0/0 only (3 places cannot make
    # k/3 = j/2 with k + j <= 3 except k = j = 0). The best ratio with someone placed is
    # (1/2) / (2/3) = 0.75 (2 women, 1 man); the search finds a floor just under it.
    people = [person(f"f{i}", need=2.0, sex="female") for i in range(3)] + [
        person(f"m{i}", need=1.0, sex="male") for i in range(2)
    ]

    result = run(people, [program("P", slots=3)], "equitable", floor=1.0)

    assert result.feasible is False
    assert 0.74 <= result.floor_held <= 0.75
    assert result.fairness["sex"].rates == {"female": pytest.approx(2 / 3), "male": 0.5}
    assert result.worst_ratio == 0.75


def test_a_placement_rate_counts_every_member_of_the_group_even_those_no_program_can_take():
    # m2 lives too far from P to be placed by any allocation, yet he is one of the two men, as
    # anyone counting the output would have it. Men can reach at most 1/2; one woman and one man
    # gives 1/2 and 1/2 (ratio 1), the most need that way is f1 + m1 = 4; f1 + f2 gives men 0.
    people, programs = two_places_for_four()
    people[3] = person("m2", need=0.9, sex="male", lon=1.0, reach=25)

    result = run(people, programs, "equitable")

    assert where(result) == {"f1": "P", "m1": "P"}
    assert result.fairness["sex"].rates == {"female": 0.5, "male": 0.5}
    assert result.bound == pytest.approx(3 + 2.9 / 9 + 8 / 9)  # as for four who all fit
    assert (result.worst_ratio, result.feasible, result.floor_dropped) == (1.0, True, ())


def test_a_group_nobody_can_place_makes_the_floor_unmeetable_and_leaves_the_others_held():
    # Nobody serves Vietnamese: the "vi" language group stays at 0, so any floor above 0 over
    # language is met only by placing none of the English speakers either. Language is held to
    # no floor and the allocation is infeasible; sex (vi1 has no sex given, so is in neither
    # group) is still held to 0.8: one woman and one man, as without vi1.
    people, programs = two_places_for_four()
    people = [p | {"groups": p["groups"] | {"language": "en"}} for p in people]
    people.append(person("vi1", need=5.0, languages=("vi",), language="vi"))

    result = run(people, programs, "equitable")

    assert where(result) == {"f1": "P", "m1": "P"}
    assert result.fairness["sex"].rates == {"female": 0.5, "male": 0.5}
    assert result.fairness["language"].rates == {"en": 0.5, "vi": 0.0}
    assert (result.worst_ratio, result.feasible) == (0.0, False)
    assert (result.floor_dropped, result.floor_held) == (("language",), 0.8)
    assert reasons(result)["vi1"].startswith("no appropriate program (language)")


def test_each_unplaced_person_is_told_which_condition_ruled_out_every_program():
    people = [
        person("level", level="3.7"),
        person("language", languages=("ar",)),
        person("insurance", insurance="medicare"),
        person("distance", lon=1.0, reach=25),
    ]

    result = run(people, [program("P", slots=5)], "optimal")

    assert reasons(result) == {
        "level": "no appropriate program (level): no program offers level 3.7 or 4.0",
        "language": "no appropriate program (language): no program at level 1.0 or 2.1 "
        "shares a language",
        "insurance": "no appropriate program (insurance): no program at level 1.0 or 2.1 that "
        "shares a language accepts the insurance",
        "distance": "no appropriate program (distance): the nearest program at level 1.0 or "
        "2.1 that shares a language and accepts the insurance is 111.2 km away, beyond the "
        "25 km travel limit",
    }


def test_the_document_has_exactly_the_contract_keys():
    document = run(*scarce_nearby_place(), "optimal").as_dict()

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
    ]
    assert document["assignments"][0] == {"request": "r1", "program": "B", "distance_km": 33.359}


def test_nothing_to_place_or_nowhere_to_go_gives_an_empty_allocation():
    for people, programs in (([], [program("P")]), ([person("r")], []), ([], [])):
        for policy in ("fcfs", "optimal", "equitable"):
            result = run(people, programs, policy)
            assert (result.assignments, result.objective, result.feasible) == ((), 0.0, True)


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"need_weight": None},
            "requests: record 1 (id r1): need_weight must be a number greater than 0",
        ),
        (
            {"need_weight": -1},
            "requests: record 1 (id r1): need_weight must be a number greater than 0",
        ),
        (
            {"level": "3.2"},
            "requests: record 1 (id r1): level must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, 3.7, 4.0",
        ),
        (
            {"waiting_since": "last week"},
            "requests: record 1 (id r1): waiting_since must be an ISO date such as 2026-01-31",
        ),
        (
            {"location": {"lat": 91, "lon": 0}},
            "requests: record 1 (id r1): location.lat must be a number from -90 to 90",
        ),
        (
            {"location": {"lat": 0}},
            "requests: record 1 (id r1): location.lon must be a number from -180 to 180",
        ),
        (
            {"languages": []},
            "requests: record 1 (id r1): languages must be a non-empty list of strings",
        ),
        (
            {"groups": {"religion": "x"}},
            "requests: record 1 (id r1): groups.religion must be one of race_ethnicity, sex, "
            "age_band, insurance, rurality, language",
        ),
        ({"id": 7}, "requests: record 1: id must be a non-empty string"),
    ],
)
def test_a_bad_request_names_the_file_the_record_the_field_and_what_is_allowed(document, message):
    with pytest.raises(InvalidInput) as error:
        parse_requests([person("r1") | document])

    assert str(error.value) == message


def test_a_missing_field_is_named_as_missing_with_what_it_takes():
    record = person("r1")
    del record["max_travel_km"]

    with pytest.raises(InvalidInput) as error:
        parse_requests([record], "waitlist.json")

    assert str(error.value) == (
        "waitlist.json: record 1 (id r1): max_travel_km is missing: it must be a number greater "
        "than 0"
    )


def test_bad_capacity_is_named_the_same_way():
    cases = [
        ({"slots": -1}, "capacity: record 1 (id p1): slots must be a whole number, 0 or more"),
        ({"slots": 2.5}, "capacity: record 1 (id p1): slots must be a whole number, 0 or more"),
        (
            {"level": "5"},
            "capacity: record 1 (id p1): level must be one of 0.5, 1.0, 2.1, 2.5, "
            "3.1, 3.5, 3.7, 4.0",
        ),
        (
            {"insurance": "medicaid"},
            "capacity: record 1 (id p1): insurance must be a non-empty list of strings",
        ),
    ]
    for change, message in cases:
        with pytest.raises(InvalidInput) as error:
            parse_capacity([program("p1") | change])
        assert str(error.value) == message


def test_duplicate_ids_and_documents_that_are_not_lists_are_rejected():
    with pytest.raises(
        InvalidInput,
        match=r"^capacity: record 2 \(id p1\): id must be unique "
        r"\(record 1 has the same id\)$",
    ):
        parse_capacity([program("p1"), program("p1")])
    with pytest.raises(InvalidInput, match="^requests must be a JSON list of requests$"):
        parse_requests({"requests": []})
    with pytest.raises(InvalidInput, match=r"^requests: record 1 must be an object$"):
        parse_requests(["r1"])


@pytest.mark.parametrize("floor", [1.5, -0.1, "0.8", float("nan"), True])
def test_an_equity_floor_outside_0_to_1_is_rejected(floor):
    with pytest.raises(InvalidInput, match="^equity_floor must be a number from 0 to 1$"):
        run([], [], "equitable", floor=floor)


def test_an_unknown_policy_is_rejected():
    with pytest.raises(InvalidInput, match="^policy must be one of fcfs, optimal, equitable$"):
        run([], [], "lottery")


# Properties of random small instances -------------------------------------------------------

SMALL_LEVELS = ("1.0", "2.1", "2.5")


@st.composite
def instances(draw):
    """Up to 7 people and 3 programs within about 15 km, with two groups by sex and language:
    crowded enough that places are scarce and the floor often binds."""
    spot = st.floats(0.0, 0.1)
    people = [
        person(
            f"r{i}",
            lat=draw(spot),
            lon=draw(spot),
            level=draw(st.sampled_from(SMALL_LEVELS[:2])),
            need=draw(st.sampled_from([0.5, 1.0, 2.0, 3.5])),
            reach=draw(st.sampled_from([6.0, 15.0, 40.0])),
            since=f"2026-01-0{draw(st.integers(1, 3))}",
            languages=draw(st.sampled_from([("en",), ("en",), ("es",), ("en", "es")])),
            insurance=draw(st.sampled_from(["medicaid", "medicaid", "private"])),
            sex=draw(st.sampled_from(["female", "male"])),
            language=draw(st.sampled_from(["en", "es"])),
        )
        for i in range(draw(st.integers(0, 7)))
    ]
    programs = [
        program(
            f"p{j}",
            lat=draw(spot),
            lon=draw(spot),
            level=draw(st.sampled_from(SMALL_LEVELS)),
            slots=draw(st.integers(0, 3)),
            languages=draw(st.sampled_from([("en",), ("en", "es")])),
            insurance=draw(st.sampled_from([("medicaid",), ("medicaid", "private")])),
        )
        for j in range(draw(st.integers(1, 3)))
    ]
    return parse_requests(people), parse_capacity(programs), draw(st.sampled_from([0.5, 0.8, 1.0]))


def is_sound(result, requests, programs):
    """No program over its places, each person at most once, every placement appropriate."""
    by_id = {r.id: r for r in requests}
    places = {p.id: p for p in programs}
    placed = [a.request for a in result.assignments]
    assert len(placed) == len(set(placed))
    for program_id in places:
        assert sum(a.program == program_id for a in result.assignments) <= places[program_id].slots
    for a in result.assignments:
        request, program_ = by_id[a.request], places[a.program]
        assert appropriate(request, program_)
        step = LEVELS.index(program_.level) - LEVELS.index(request.level)
        assert step in (0, 1)
        assert distance_km(request.location, program_.location) <= request.max_travel_km
        assert a.distance_km == round(distance_km(request.location, program_.location), 3)
    assert {u.request for u in result.unplaced} | set(placed) == set(by_id)
    assert math.isclose(result.objective, sum(by_id[r].need_weight for r in placed))


def brute_force(requests, programs, floor=None):
    """The most need over every allocation (by trying them all), within the floor if given."""
    options = [[None] + [p for p in programs if appropriate(r, p)] for r in requests]
    best = 0.0
    for choice in itertools.product(*options):
        used = [p.id for p in choice if p is not None]
        if any(used.count(p.id) > p.slots for p in programs):
            continue
        placed = {r.id for r, p in zip(requests, choice, strict=True) if p is not None}
        if floor is not None and not meets(requests, programs, placed, floor):
            continue
        best = max(best, sum(r.need_weight for r in requests if r.id in placed))
    return best


def meets(requests, programs, placed, floor):
    """Every group's rate (placed / members) at least floor x the best, and someone placed when
    anyone could be (everyone here has both attributes)."""
    eligible = [r for r in requests if any(appropriate(r, p) and p.slots for p in programs)]
    if eligible and not placed and floor > 0:
        return False
    for attribute in ("sex", "language"):
        rates = {}
        for g in {r.group(attribute) for r in requests}:
            members = [r for r in requests if r.group(attribute) == g]
            rates[g] = sum(r.id in placed for r in members) / len(members)
        if (
            rates
            and max(rates.values()) > 0
            and min(rates.values()) < floor * max(rates.values()) - 1e-9
        ):
            return False
    return True


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_policy_respects_capacity_appropriateness_and_once_only(instance):
    requests, programs, floor = instance
    for policy in ("fcfs", "optimal", "equitable"):
        is_sound(allocate(requests, programs, policy, equity_floor=floor), requests, programs)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_optimal_places_the_most_need_there_is_and_never_less_than_fcfs(instance):
    requests, programs, _ = instance

    optimal = allocate(requests, programs, "optimal")

    assert optimal.objective == pytest.approx(brute_force(requests, programs))
    assert optimal.objective >= allocate(requests, programs, "fcfs").objective - 1e-9
    assert optimal.bound == optimal.objective


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_equitable_meets_the_floor_whenever_it_says_feasible_with_the_most_need_that_does(instance):
    requests, programs, floor = instance

    result = allocate(requests, programs, "equitable", equity_floor=floor)

    placed = {a.request for a in result.assignments}
    assert result.objective <= result.bound + 1e-9
    if result.feasible:
        assert result.worst_ratio >= floor - 1e-9
        assert meets(requests, programs, placed, floor) or not result.assignments
        assert result.objective == pytest.approx(brute_force(requests, programs, floor))
    else:
        assert result.worst_ratio < floor
        assert brute_force(requests, programs, floor) == 0.0


def test_distances_are_those_of_the_geo_module():
    request, program_ = Point(40.0, -75.0), Point(40.2, -75.3)
    people = [person("r", lat=40.0, lon=-75.0)]
    result = run(people, [program("p", lat=40.2, lon=-75.3)], "optimal")

    assert result.assignments[0].distance_km == round(distance_km(request, program_), 3)
