"""Taxonomy terms to Trellis community categories: every mapped 211HSIS code and Open Eligibility
name through the real crosswalk, the longest prefix winning, codes normalised, unknown terms mapping
to nothing, and a loader that refuses a category that is not a com.* code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trellis.core.taxonomy import Term, airs_code, airs_prefixes, categories, category
from trellis.knowledge.taxonomy import PATH, TaxonomyError, crosswalk, load

AIRS = "AIRS"
OE = "Open Eligibility"


def only_category(term: tuple[str | None, str | None, str | None]) -> str | None:
    found = categories([term], crosswalk())
    assert len(found) <= 1
    return found[0].category if found else None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("BD", "com.food"),
        ("BD-1800.2000", "com.food"),  # Food Pantries
        ("BH", "com.housing"),
        ("BH-1800.8500", "com.housing"),  # Homeless Shelter
        ("BT", "com.transportation"),
        ("DM", "com.legal_financial"),
        ("FT", "com.legal_financial"),
        ("NT", "com.legal_financial"),
        ("LE", "com.health_clinic"),
        ("LN", "com.health_clinic"),
        ("ND", "com.vocational"),
        ("PN", "com.mutual_help"),
        ("PN-8100.0500-070", "com.mutual_help"),  # Alcohol Use Disorder Support Groups
        ("RD", "com.counseling"),
        ("RF", "com.counseling"),
        ("RP", "com.counseling"),
        ("RX", "com.treatment_center"),
        ("RX-0400", "com.treatment_center"),  # Assessment for Substance Use Disorders
        ("RX-1700.0500", "com.treatment_center"),  # Alcohol Detoxification
        ("PH-1250", "com.childcare"),
        ("PH-1250.1400", "com.childcare"),  # Child Care Centers
        ("PH-2400.1500", "com.childcare"),
        ("PH-2400.1000", "com.childcare"),
    ],
)
def test_each_mapped_211_code_and_its_children_land_in_their_category(code, expected):
    assert only_category((AIRS, code, "any name")) == expected


def test_the_longest_matching_prefix_wins():
    # Recovery homes sit under RX (Substance Use Disorder Services) but are housing.
    assert only_category((AIRS, "RX-8500.6500", "Recovery Homes/Halfway Houses")) == "com.housing"
    assert only_category((AIRS, "RX-8450.1150", "Comprehensive Outpatient SUD Treatment")) == (
        "com.treatment_center"
    )


def test_prefixes_only_match_whole_levels_of_a_code():
    assert airs_prefixes("RX-8450.1150-050") == (
        "RX-8450.1150-050",
        "RX-8450.1150",
        "RX-8450",
        "RX",
        "R",
    )
    assert airs_code("RXB") is None
    assert only_category((AIRS, "BDX", "not a code")) is None


@pytest.mark.parametrize(
    "written", ["rx-8450.1150", "RX-8450.1150", " Rx - 8450.1150 ", "rX-8450 .1150"]
)
def test_codes_are_compared_in_capitals_without_spaces(written):
    match = category(Term(AIRS, written, None), crosswalk())

    assert match is not None
    assert match.category == "com.treatment_center"
    assert match.reason == "211HSIS RX-8450.1150 is within RX Substance Use Disorder Services"


def test_the_reason_names_the_published_term_and_the_source_is_cited():
    (match,) = categories([(AIRS, "RX-8500.6500", None)], crosswalk())

    assert match.reason == "211HSIS RX-8500.6500 Recovery Homes/Halfway Houses"
    assert "uwgkc.myresourcedirectory.com" in match.source


@pytest.mark.parametrize(
    "taxonomy",
    [
        "AIRS",
        "airs/211",
        "211 Taxonomy",
        "211HSIS",
        "https://211taxonomy.org/",
        "HTTP://211HSIS.ORG",
    ],
)
def test_the_211_taxonomy_is_recognised_by_its_common_names(taxonomy):
    assert only_category((taxonomy, "BD-1800.2000", "Food Pantries")) == "com.food"


def test_a_211_code_written_as_the_term_name_is_read_from_the_name():
    # Open Referral's iCarol transformer writes the code as the term and the title elsewhere.
    assert only_category(("211 Taxonomy", None, "BT-4500.6500")) == "com.transportation"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Addiction & Recovery", "com.treatment_center"),
        ("Detox", "com.treatment_center"),
        ("12-Step", "com.mutual_help"),
        ("Support Groups", "com.mutual_help"),
        ("Peer Support", "com.peer_recovery"),
        ("Counseling", "com.counseling"),
        ("Medical Care", "com.health_clinic"),
        ("Health Education", "com.prevention_education"),
        ("Housing", "com.housing"),
        ("Sober Living", "com.housing"),
        ("Food", "com.food"),
        ("Food Pantry", "com.food"),
        ("Transit", "com.transportation"),
        ("Bus Passes", "com.transportation"),
        ("Work", "com.vocational"),
        ("Job Placement", "com.vocational"),
        ("Legal", "com.legal_financial"),
        ("Advocacy & Legal Aid", "com.legal_financial"),
        ("Childcare", "com.childcare"),
        ("Help Pay for Childcare", "com.childcare"),
    ],
)
def test_each_mapped_open_eligibility_name_lands_in_its_category(name, expected):
    assert only_category((OE, None, name)) == expected


def test_open_eligibility_names_are_compared_without_case_or_extra_spaces():
    assert only_category((OE, "1312", "support groups")) == "com.mutual_help"
    assert only_category(("open eligibility", None, "  ADDICTION   &   recovery ")) == (
        "com.treatment_center"
    )
    assert only_category(("http://openeligibility.org/", None, "Transit")) == "com.transportation"


@pytest.mark.parametrize(
    "term",
    [
        (AIRS, "ZZ-9999", "Not a real code"),
        (AIRS, "TJ", "Information Services"),  # a real 211HSIS section Trellis does not map
        (AIRS, None, None),
        (OE, None, "Notary"),
        (
            OE,
            None,
            "Residential Treatment",
        ),  # ambiguous: under Addiction & Recovery and Medical Care
        ("NTEE", "K31", "Food Banks, Food Pantries"),  # another taxonomy
        (None, "BD-1800.2000", "Food Pantries"),  # no taxonomy named
        ("Food", None, "Food"),
    ],
)
def test_an_unknown_term_maps_to_nothing(term):
    assert categories([term], crosswalk()) == ()
    assert category(Term(*term), crosswalk()) is None


def test_several_terms_give_each_category_once_explained_by_the_first_term():
    found = categories(
        [
            (AIRS, "BD-1800.2000", "Food Pantries"),
            (OE, None, "Free Meals"),
            (AIRS, "PN-8100.0500", "Addictions/Substance Use Disorder Support Groups"),
            (AIRS, "ZZ", "unknown"),
        ],
        crosswalk(),
    )

    assert [m.category for m in found] == ["com.food", "com.mutual_help"]
    assert found[0].reason == "211HSIS BD-1800.2000 is within BD Food"
    assert (
        found[1].reason == "211HSIS PN-8100.0500 Addictions/Substance Use Disorder Support Groups"
    )


def test_every_target_of_the_shipped_crosswalk_is_a_community_code():
    cw = crosswalk()

    targets = {r.category for r in [*cw.airs.values(), *cw.open_eligibility.values()]}

    assert targets <= {
        "com.mutual_help",
        "com.counseling",
        "com.treatment_center",
        "com.peer_recovery",
        "com.health_clinic",
        "com.vocational",
        "com.housing",
        "com.legal_financial",
        "com.prevention_education",
        "com.peer_events",
        "com.transportation",
        "com.childcare",
        "com.food",
    }


def _write(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _set_first_airs_category(value: str):
    def change(data):
        data["airs"][0]["category"] = value

    return change


@pytest.mark.parametrize(
    ("category_code", "message"),
    [
        (
            "com.spaceships",
            "taxonomy.yaml: airs BD: com.spaceships is not a com.* code of interventions.csv",
        ),
        (
            "safety.naloxone",
            "taxonomy.yaml: airs BD: safety.naloxone is not a com.* code of interventions.csv",
        ),
    ],
)
def test_the_loader_rejects_a_target_that_is_not_a_community_code(tmp_path, category_code, message):
    path = _write(tmp_path, _set_first_airs_category(category_code))

    with pytest.raises(TaxonomyError) as raised:
        load(path)

    assert str(raised.value) == message


def test_the_loader_rejects_an_unknown_open_eligibility_target(tmp_path):
    def change(data):
        data["open_eligibility"][0]["category"] = "com.unknown"

    with pytest.raises(TaxonomyError) as raised:
        load(_write(tmp_path, change))

    assert str(raised.value) == (
        "taxonomy.yaml: open_eligibility Addiction & Recovery: "
        "com.unknown is not a com.* code of interventions.csv"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["airs"][0].update(code="bd"),
            "taxonomy.yaml: airs bd: code must be a 211HSIS code as published, e.g. RX-8450.1150",
        ),
        (
            lambda d: d["airs"].append(dict(d["airs"][0])),
            "taxonomy.yaml: airs BD: is listed twice",
        ),
        (
            lambda d: d["airs"][0].update(source="wikipedia"),
            "taxonomy.yaml: airs BD: source must name one of the sources",
        ),
        (
            lambda d: d["airs"][0].update(colour="red"),
            "taxonomy.yaml: airs BD: unknown key colour",
        ),
        (
            lambda d: d["open_eligibility"][0].pop("ids"),
            "taxonomy.yaml: open_eligibility Addiction & Recovery: needs ids",
        ),
        (
            lambda d: d["taxonomies"]["airs"].append({"name": "211 taxonomy", "source": "trellis"}),
            "taxonomy.yaml: taxonomies.airs 10: 211 taxonomy is listed twice",
        ),
    ],
)
def test_the_loader_names_the_file_entry_and_reason_for_other_mistakes(tmp_path, change, message):
    with pytest.raises(TaxonomyError) as raised:
        load(_write(tmp_path, change))

    assert str(raised.value) == message
