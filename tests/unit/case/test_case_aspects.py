"""An aspect its region has no side of (a radial thigh, a plantar neck) is kept as given and
said: the result's warnings tell how the engine reads it, never silently."""

from __future__ import annotations

import pytest

from acupoints import Case, Engine
from acupoints.base.vocab import ASPECT_REGIONS, ASPECTS, REGIONS, UPPER_LIMB, aspects_of_region, same_surface

ENGINE = Engine.default()


def _case(region: str, aspect: str, **more: object) -> dict[str, object]:
    return {
        "complaints": [{"region": region, "aspect": aspect, "side": "left", "sensations": ["numbness"]}],
        **more,
    }


@pytest.mark.parametrize("region", REGIONS)
def test_a_warning_exactly_when_the_region_has_no_such_side(region: str) -> None:
    for aspect in ASPECTS:
        case = Case.from_dict(_case(region, aspect))
        odd = aspect in ASPECT_REGIONS and region not in ASPECT_REGIONS[aspect]
        assert bool(case.aspect_warnings) == odd == (aspect not in aspects_of_region(region)), (
            region,
            aspect,
        )
        assert case.complaints[0].aspect == aspect  # kept as given
        if odd:
            (said,) = case.aspect_warnings
            assert said.startswith(f"complaints[0].aspect: the {region} has no {aspect} side")
            read = sorted(same_surface(aspect, region) - {aspect})
            assert (f"read as its {'/'.join(read)} side" in said) == bool(read)


def test_the_hand_s_words_belong_to_the_arm_and_the_sole_to_the_foot() -> None:
    assert {r for r in REGIONS if "radial" in aspects_of_region(r)} == UPPER_LIMB
    assert {r for r in REGIONS if "plantar" in aspects_of_region(r)} == {"foot", "toes"}
    assert all("lateral" in aspects_of_region(r) and "dorsal" in aspects_of_region(r) for r in REGIONS)


def test_a_radial_thigh_is_read_as_the_lateral_thigh_and_says_so() -> None:
    odd = ENGINE.suggest(_case("thigh", "radial"))
    plain = ENGINE.suggest(_case("thigh", "lateral"))
    assert odd.codes == plain.codes
    assert (
        odd.warnings[0]
        == "complaints[0].aspect: the thigh has no radial side (a side of the arm): read as its lateral side"
    )
    assert not any("has no" in w for w in plain.warnings)


def test_a_radial_foot_is_said_to_find_nothing_by_its_aspect() -> None:
    s = ENGINE.suggest(_case("foot", "radial"))
    assert "no point or channel lies on it" in s.warnings[0]
    assert (
        "(the foot's sides: anterior, posterior, medial, lateral, dorsal, plantar, superior)" in s.warnings[0]
    )


def test_the_warning_comes_after_the_codes_and_before_the_notes_in_a_referral_too() -> None:
    case = _case("neck", "plantar", notes="saddle anaesthesia since yesterday",
                 diagnoses=[{"system": "icd10cm", "code": "E11.42"}, {"system": "icd10cm", "code": "M79.2"}])  # fmt: skip
    s = ENGINE.suggest(case)
    coded = [p.message for p in Case.from_dict(case).diagnosis_warnings]
    assert coded  # M79.2 is a code the table does not cover
    at = next(i for i, w in enumerate(s.warnings) if w.startswith("complaints[0].aspect"))
    assert s.warnings[:at] == tuple(coded)
    assert any("saddle" in w for w in s.warnings[at + 1 :])
    referred = ENGINE.suggest({**case, "red_flags": ["saddle_anesthesia"]})
    assert referred.status == "refer"
    assert any(w.startswith("complaints[0].aspect: the neck has no plantar side") for w in referred.warnings)
