"""A complaint's aspect on which the catalogue has no point and no channel is said in the
result's warnings: such a complaint gets fewer points than the same one without its
aspect, and the user is told which sides of the region do have something."""

from __future__ import annotations

import pytest

from acupoints import Case, Catalog, Engine
from acupoints.base.vocab import ASPECTS, REGIONS, aspect_outside, aspects_of_region, same_surface
from acupoints.engine.aspects import aspect_reach_warnings, unreached_aspects

CATALOG = Catalog.default()
ENGINE = Engine.default()
TABLE = unreached_aspects(CATALOG)


def _case(region: str, aspect: str | None, **more: object) -> dict[str, object]:
    complaint = {"region": region, "side": "left", "sensations": ["pain"]}
    if aspect is not None:
        complaint["aspect"] = aspect
    return {"complaints": [complaint], **more}


def _has_something(region: str, surface: frozenset[str]) -> bool:
    """Whether a point of the catalogue lies on ``surface`` of ``region``, or a channel's
    course crosses it, asked of the points one by one and of the graph."""
    for code in CATALOG.codes:
        p = CATALOG.get(code)
        assert p is not None
        places = {p.region} | {i.region or p.region for i in p.instances}
        if region in places and p.aspect in surface:
            return True
    return bool(CATALOG.graph.channels_through([region], surface))


@pytest.mark.parametrize("region", REGIONS)
def test_the_table_holds_exactly_the_sides_with_nothing_on_them(region: str) -> None:
    for aspect in ASPECTS:
        surface = same_surface(aspect, region)
        outside = aspect_outside(region, aspect)
        # A word the region has no side of, read as none, is already said by the case.
        said_by_case = outside is not None and not surface - {aspect}
        expected = not said_by_case and not _has_something(region, surface)
        assert ((region, aspect) in TABLE) == expected, (region, aspect)


def test_the_sides_of_a_region_count_a_channel_that_crosses_it() -> None:
    # No point of the ankle is filed on its back, but the Bladder and Kidney channels cross it.
    assert "posterior" not in CATALOG.aspects_in(["ankle"])
    assert "posterior" in CATALOG.sides_of("ankle")
    assert ("ankle", "posterior") not in TABLE
    assert CATALOG.sides_of("no-such-region") == frozenset()


def test_a_medial_scapula_is_said_to_find_nothing_by_its_aspect() -> None:
    s = ENGINE.suggest(_case("scapula", "medial"))
    plain = ENGINE.suggest(_case("scapula", "posterior"))
    said = [w for w in s.warnings if w.startswith("complaints[0].aspect")]
    assert said == [
        "complaints[0].aspect: no point lies on the scapula's medial side and no channel crosses it, "
        "so the selections that read a complaint's aspect find none for this one "
        "(the scapula's sides with a point or a channel: posterior)"
    ]
    assert "SI11" in plain.codes and "SI11" not in s.codes
    assert not any(w.startswith("complaints[0].aspect") for w in plain.warnings)


@pytest.mark.parametrize(
    ("region", "aspect"), [("thigh", "lateral"), ("forearm", "radial"), ("foot", "plantar")]
)
def test_no_warning_where_the_catalogue_has_something(region: str, aspect: str) -> None:
    assert (region, aspect) not in TABLE
    s = ENGINE.suggest(_case(region, aspect))
    assert not any(w.startswith("complaints[0].aspect") for w in s.warnings)
    assert not aspect_reach_warnings(Case.from_dict(_case(region, None)), TABLE)


def test_each_complaint_is_placed_and_the_case_s_own_reading_comes_first() -> None:
    case = {
        "complaints": [
            {"region": "thigh", "aspect": "lateral", "sensations": ["pain"]},
            {"region": "lower_back", "aspect": "ulnar", "sensations": ["pain"]},
            {"region": "scapula", "aspect": "superior", "sensations": ["numbness"]},
        ],
        "notes": "a fall last week, no fracture",
    }
    s = ENGINE.suggest(case)
    placed = [w for w in s.warnings if w.startswith("complaints[")]
    assert [w.split(":")[0] for w in placed] == ["complaints[1].aspect"] * 2 + ["complaints[2].aspect"]
    # The case says how it reads an ulnar lower back; the engine, that nothing lies there.
    assert placed[0].startswith("complaints[1].aspect: the lower_back has no ulnar side")
    assert placed[1].startswith("complaints[1].aspect: no point lies on the lower_back's medial side")
    notes = next(i for i, w in enumerate(s.warnings) if "the notes mention" in w)
    assert all(s.warnings.index(w) < notes for w in placed)


def test_a_referred_case_says_it_too() -> None:
    s = ENGINE.suggest(_case("lower_back", "lateral", red_flags=["saddle_anesthesia"]))
    assert s.status == "refer"
    assert any(
        w.startswith("complaints[0].aspect: no point lies on the lower_back's lateral side")
        for w in s.warnings
    )


def test_a_region_with_no_side_at_all_says_so() -> None:
    from acupoints.base.vocab import aspect_unreached

    said = aspect_unreached("scapula", "medial", frozenset())
    assert said is not None and said.endswith("(no point or channel lies on any side of the scapula)")
    # Every side the table lists for a region is one of the region's own words.
    for (region, aspect), text in TABLE.items():
        listed = text.rsplit(": ", 1)[-1].rstrip(")").split(", ")
        assert set(listed) <= set(aspects_of_region(region)), (region, aspect)
