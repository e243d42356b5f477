"""The family content (knowledge/family/*.yaml): every entry speaks English and Spanish and
names its source, and a broken file fails loudly, naming the entry and the field."""

from __future__ import annotations

import shutil

import pytest

from trellis.knowledge import family


def texts_of(entry: object) -> list[dict[str, str]]:
    found = []
    for name in ("title", "summary", "what", "example"):
        value = getattr(entry, name, None)
        if value is not None:
            found.append(value)
    for name in ("paragraphs", "points", "steps"):
        found.extend(getattr(entry, name, ()))
    for pair in getattr(entry, "pairs", ()):
        found.extend([pair.avoid, pair.use])
    return found


def test_the_library_has_the_five_topics_families_ask_about():
    assert set(family.content().topics) >= {
        "addiction-is-a-health-condition",
        "enabling-or-supporting",
        "codependency",
        "boundaries",
        "overdose-and-naloxone",
    }


def test_every_entry_has_english_and_spanish_text_and_a_source():
    c = family.content()
    entries = [*c.topics.values(), *c.groups, *c.empathy, *c.craft.modules.values()]

    assert len(c.empathy) >= 3
    assert len(c.craft.modules) >= 7
    for entry in entries:
        assert entry.source, entry.id
        for text in texts_of(entry):
            assert text["en"], entry.id
            assert text["es"], entry.id
            assert text["en"] != text["es"], entry.id


def test_support_groups_list_the_curated_six_and_only_the_helpline_has_a_phone():
    groups = {g.id: g for g in family.content().groups}

    assert set(groups) == {
        "al-anon",
        "nar-anon",
        "families-anonymous",
        "smart-family-friends",
        "learn-to-cope",
        "samhsa-helpline",
    }
    assert {g.id for g in groups.values() if g.phone} == {"samhsa-helpline"}
    assert groups["samhsa-helpline"].phone == "1-800-662-4357"
    assert all(g.website.startswith("https://") for g in groups.values())


def test_the_phq4_reuses_the_catalogue_wording_and_has_spanish():
    from trellis.knowledge.instruments import catalog

    wellbeing = family.content().wellbeing
    phq2, gad7 = catalog()["phq2"], catalog()["gad7"]

    assert [i.text["en"] for i in wellbeing.items] == [
        phq2.items[0].text,
        phq2.items[1].text,
        gad7.items[0].text,
        gad7.items[1].text,
    ]
    assert all(i.text["es"] for i in wellbeing.items)
    assert [(b.low, b.high, b.label) for b in wellbeing.rules.bands] == [
        (0, 2, "normal"),
        (3, 5, "mild"),
        (6, 8, "moderate"),
        (9, 12, "severe"),
    ]
    assert wellbeing.rules.positive_at == 3
    assert "Psychosomatics 2009;50:613-21" in wellbeing.source


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """Copy the content folder so one file can be broken without touching the real one."""
    folder = tmp_path / "family"
    shutil.copytree(family.FOLDER, folder)
    monkeypatch.setattr(family, "FOLDER", folder)
    family.content.cache_clear()
    yield folder
    monkeypatch.undo()
    family.content.cache_clear()


def break_file(folder, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_topic_without_spanish_fails_naming_the_topic_and_field(broken):
    break_file(
        broken,
        "topics.yaml",
        'title: {en: "Codependency", es: "Codependencia"}',
        'title: {en: "Codependency"}',
    )

    with pytest.raises(
        family.ContentError,
        match=r"^topics\.yaml: topics\[2\] codependency: title: needs text in en and es$",
    ):
        family.content()


def test_a_group_without_a_source_fails_naming_the_group(broken):
    break_file(
        broken,
        "support_groups.yaml",
        '    source: "Nar-Anon Family Groups, nar-anon.org (the group\'s own website)."\n',
        "",
    )

    with pytest.raises(
        family.ContentError,
        match=r"^support_groups\.yaml: groups\[1\] nar-anon: source is required$",
    ):
        family.content()


def test_bands_with_a_gap_fail_naming_the_band(broken):
    break_file(
        broken,
        "wellbeing.yaml",
        "{min: 6, max: 8, label: moderate",
        "{min: 7, max: 8, label: moderate",
    )

    with pytest.raises(
        family.ContentError, match="wellbeing.yaml: bands moderate: bands must be contiguous"
    ):
        family.content()
