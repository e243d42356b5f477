from trellis.core.matching import Candidate, Need, Seeker, match

HOUSING = Need("com.housing", "housing need in the plan")


def candidate(service_id="s1", distance_km=3.0, **facts):
    base = {
        "name": service_id,
        "organization": "Org",
        "categories": ("com.housing",),
        "languages": ("en", "es"),
        "free": True,
    }
    return Candidate(service_id=service_id, distance_km=distance_km, **(base | facts))


def test_a_service_of_the_needed_category_within_reach_matches_with_its_reasons():
    [found] = match([HOUSING], Seeker(language="es", max_travel_km=10), [candidate()])
    assert found.service_id == "s1"
    assert found.reasons == (
        "housing need in the plan",
        "3.0 km away (within 10 km)",
        "offered in es",
        "free",
    )


def test_services_beyond_the_persons_travel_or_of_another_category_do_not_match():
    far = candidate("far", distance_km=12.0)
    food = candidate("food", categories=("com.food",))
    assert match([HOUSING], Seeker(max_travel_km=10), [far, food]) == []


def test_without_a_stated_travel_limit_the_default_radius_applies():
    near, far = candidate("near", distance_km=24.9), candidate("far", distance_km=25.1)
    assert [m.service_id for m in match([HOUSING], Seeker(), [near, far])] == ["near"]


def test_a_service_in_other_languages_does_not_match_and_one_without_languages_is_a_caution():
    other = candidate("fr", languages=("fr",))
    unknown = candidate("unknown", languages=())
    [found] = match([HOUSING], Seeker(language="es"), [other, unknown])
    assert found.service_id == "unknown"
    assert found.cautions == ("the directory does not list its languages",)


def test_without_insurance_only_free_or_sliding_scale_services_match():
    paid = candidate("paid", free=False, insurance=True)
    sliding = candidate("sliding", free=False, sliding_scale=True)
    none = Seeker(insurance="none")
    assert [m.service_id for m in match([HOUSING], none, [paid, sliding])] == ["sliding"]
    insured = Seeker(insurance="medicaid")
    assert {m.service_id for m in match([HOUSING], insured, [paid, sliding])} == {"paid", "sliding"}


def test_eligibility_by_age_sex_and_veteran_status():
    youth = candidate("youth", maximum_age=24)
    women = candidate("women", sex="female")
    vets = candidate("vets", veterans_only=True)
    seeker = Seeker(age=40, sex="male", veteran=False)
    assert match([HOUSING], seeker, [youth, women, vets]) == []
    veteran = Seeker(age=20, sex="female", veteran=True)
    assert {m.service_id for m in match([HOUSING], veteran, [youth, women, vets])} == {
        "youth",
        "women",
        "vets",
    }


def test_preferences_rank_before_distance_and_secular_excludes_faith_based():
    near = candidate("near", distance_km=1.0)
    peer = candidate("peer", distance_km=5.0, peer_led=True)
    faith = candidate("faith", distance_km=0.5, faith_based=True)
    ranked = match([HOUSING], Seeker(prefers=frozenset({"peer_support"})), [near, peer, faith])
    assert [m.service_id for m in ranked] == ["peer", "faith", "near"]
    assert "peer-led, as preferred" in ranked[0].reasons
    secular = match([HOUSING], Seeker(prefers=frozenset({"secular"})), [near, faith])
    assert [m.service_id for m in secular] == ["near"]


def test_the_person_facts_come_from_the_intake_document():
    seeker = Seeker.from_intake(
        {
            "person": {
                "age": 34,
                "preferred_language": "es-MX",
                "insurance": "medicaid",
                "location": {"lat": 41.88, "lon": -87.63},
            },
            "preferences": {"prefers": ["faith_based"], "max_travel_km": 15},
        }
    )
    assert (seeker.lat, seeker.lon, seeker.language, seeker.radius_km) == (41.88, -87.63, "es", 15)
    assert seeker.prefers == frozenset({"faith_based"})
